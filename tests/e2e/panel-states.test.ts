/**
 * The panel's empty and error states in real Chromium with the real worker:
 * no gateway reachable → "Not connected: open Options…" whose button opens the
 * options page; a refused token → "Not authorized".
 */
import { createServer } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedExtension, launchExtension } from "../helpers/extension";
import { startTestGateway, type TestGateway } from "../helpers/gateway";

const TIMEOUT = 20_000;

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const addr = srv.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("side panel states", () => {
  let ext: LoadedExtension;
  let tg: TestGateway;
  let page: Page;
  const configure = (url: string, token: string) =>
    ext.worker.evaluate(
      async (s) => {
        await chrome.storage.local.set({ settings: s });
      },
      { gatewayUrl: url, token },
    );

  beforeAll(async () => {
    tg = await startTestGateway({ simulate: false });
    ext = await launchExtension();
    await configure(`http://127.0.0.1:${await closedPort()}`, "lc_nobody");
    page = await ext.context.newPage();
    await page.setViewportSize({ width: 360, height: 640 });
    await page.goto(`chrome-extension://${ext.id}/sidepanel.html`);
  });
  afterAll(async () => {
    await ext?.close();
    await tg?.stop();
  });

  it("says it is not connected and opens Options from its button", async () => {
    await page.getByText("Not connected: open Options to set the gateway").waitFor({ timeout: TIMEOUT });
    expect(await page.locator(".connection").getAttribute("data-state")).toMatch(
      /reconnecting|offline|polling/,
    );
    const opened = ext.context.waitForEvent("page", { timeout: TIMEOUT });
    await page.getByRole("button", { name: "Open Options" }).click();
    const options = await opened;
    expect(options.url()).toMatch(/options/);
    await options.close();
  });

  it("says the token was refused", async () => {
    await configure(tg.url, "lc_wrong_token");
    await page.getByText("Not authorized").waitFor({ timeout: TIMEOUT });
    expect(await page.locator(".connection").getAttribute("data-state")).toBe("unauthorized");
    await page.getByRole("button", { name: "Open Options" }).waitFor({ timeout: TIMEOUT });
  });

  it("goes live when the settings are fixed", async () => {
    await configure(tg.url, tg.tokens.supervisor);
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: TIMEOUT });
    await page.getByText("No active sessions").waitFor({ timeout: TIMEOUT });
  });
});
