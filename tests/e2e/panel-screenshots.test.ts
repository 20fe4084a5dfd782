/**
 * Screenshots of the side panel (session list and a transcript, light and
 * dark) from real Chromium against the simulated gateway, for the README.
 * They land in docs/screenshots/ when LC_SCREENSHOTS=1 is set or a file is
 * missing there; otherwise in .output/screenshots/, so a test run leaves the
 * committed images alone.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedExtension, launchExtension } from "../helpers/extension";
import { startTestGateway, type TestGateway } from "../helpers/gateway";

const ROOT = resolve(import.meta.dirname, "../..");
const DOCS = join(ROOT, "docs/screenshots");
const SCRATCH = join(ROOT, ".output/screenshots");
const TIMEOUT = 20_000;

function target(name: string): string {
  const docPath = join(DOCS, name);
  const dir = process.env.LC_SCREENSHOTS === "1" || !existsSync(docPath) ? DOCS : SCRATCH;
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

async function shoot(page: Page, name: string): Promise<void> {
  const path = target(name);
  await page.screenshot({ path, animations: "disabled", caret: "hide" });
  const png = readFileSync(path);
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  expect(png.length).toBeGreaterThan(5_000);
}

describe("side panel screenshots", () => {
  let tg: TestGateway;
  let ext: LoadedExtension;
  let page: Page;

  beforeAll(async () => {
    tg = await startTestGateway({
      seed: 7,
      sessions: 9,
      rate: 30,
      newPerMinute: 20,
      tokensPerSecond: 40,
      heartbeatMs: 2000,
    });
    ext = await launchExtension();
    await ext.worker.evaluate(
      async ({ url, token }) => {
        await chrome.storage.local.set({ settings: { gatewayUrl: url, token } });
      },
      { url: tg.url, token: tg.tokens.supervisor },
    );
    page = await ext.context.newPage();
    await page.setViewportSize({ width: 400, height: 760 });
    await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });
    await page.goto(`chrome-extension://${ext.id}/sidepanel.html`);
    await page
      .locator(".connection-latency")
      .filter({ hasText: /^\d+ ms$/ })
      .waitFor({ timeout: TIMEOUT });
  });
  afterAll(async () => {
    await ext?.close();
    await tg?.stop();
  });

  it("saves the session list, light and dark", async () => {
    await expect
      .poll(() => page.locator("[data-session-id]").count(), { timeout: TIMEOUT, interval: 200 })
      .toBeGreaterThanOrEqual(6);
    await shoot(page, "panel-list-light.png");
    await page.emulateMedia({ colorScheme: "dark" });
    await shoot(page, "panel-list-dark.png");
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("saves a transcript, light and dark", async () => {
    const orgId = tg.gateway.options.users.find((u) => u.token === tg.tokens.supervisor)?.org_id ?? "";
    // Open a text conversation that already has a few messages (it may end meanwhile: then pick another).
    const openOne = async (): Promise<boolean> => {
      const shown = await page
        .locator("[data-session-id]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-session-id")));
      const pick = tg.gateway
        .snapshot(orgId)
        .sessions.filter(
          (s) => shown.includes(s.id) && s.message_count >= 5 && s.channel !== "phone" && s.channel !== "sip",
        )
        .sort((a, b) => b.message_count - a.message_count)[0];
      if (!pick) return false;
      try {
        await page.locator(`[data-session-id="${pick.id}"]`).click({ timeout: 2_000 });
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(openOne, { timeout: 30_000, interval: 300 }).toBe(true);
    await page.locator(".transcript-loading").waitFor({ state: "detached", timeout: TIMEOUT });
    await expect
      .poll(() => page.locator(".messages .message").count(), { timeout: TIMEOUT })
      .toBeGreaterThanOrEqual(4);
    await shoot(page, "panel-transcript-light.png");
    await page.emulateMedia({ colorScheme: "dark" });
    await shoot(page, "panel-transcript-dark.png");
  });
});
