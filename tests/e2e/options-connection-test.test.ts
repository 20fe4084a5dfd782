/**
 * The options page's "Test connection" in real Chromium, behind a real TCP proxy that passes HTTP but resets
 * every WebSocket upgrade (the fault kit's): the page names the network, not the origin — the browser hides
 * the status of the failed upgrade, and the page's HTTP probes tell the cases apart. Then, with Chromium's own
 * CORS (not the Node emulation of the unit test): an agent's token and a gateway that does not allow the origin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTcpProxy, type TcpProxy } from "../faults/kit";
import { DEMO_AGENT_TOKEN } from "../helpers/agent-socket";
import { type LoadedExtension, launchExtension } from "../helpers/extension";
import { startTestGateway, type TestGateway } from "../helpers/gateway";

let tg: TestGateway;
let proxy: TcpProxy;
let ext: LoadedExtension;

beforeAll(async () => {
  tg = await startTestGateway({ sessions: 1 });
  proxy = await startTcpProxy(tg.port);
  proxy.upgrades = "refuse";
  ext = await launchExtension();
  const settings = { gatewayUrl: proxy.url, token: tg.tokens.supervisor, pollIntervalMs: 5000 };
  await ext.worker.evaluate((s) => chrome.storage.local.set({ settings: s }), settings);
});

afterAll(async () => {
  await ext?.close();
  await proxy?.close();
  await tg?.stop();
});

describe("Test connection in Chromium names the real fault", () => {
  it("says the network blocks WebSockets and the panel will poll — no 403, no origin", async () => {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.id}/options.html`);
    await expect.poll(() => page.getByLabel("Gateway URL").inputValue(), { timeout: 5000 }).toBe(proxy.url);
    await page.getByRole("button", { name: "Test connection" }).click();
    const result = page.getByRole("status", { name: "Connection test result" });
    await result.filter({ hasText: "WebSockets blocked" }).waitFor({ timeout: 15_000 });
    const text = (await result.textContent()) ?? "";
    expect(text).toContain("your network blocks WebSockets; the panel will poll every 5 s");
    expect(text).toContain("Fix:");
    // A status 403, not the digits of a random port (":44403").
    expect(text).not.toMatch(/\b403\b|origin/i);

    // The same page through the same proxy, once it lets upgrades through: connected.
    proxy.upgrades = "pass";
    await page.getByRole("button", { name: "Test connection" }).click();
    await result.filter({ hasText: "Connected" }).waitFor({ timeout: 15_000 });
    await page.close();
  }, 60_000);

  it("with the browser's own CORS: an agent's token is the wrong kind of token, and a gateway that does not allow this origin names it", async () => {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.id}/options.html`);
    const result = page.getByRole("status", { name: "Connection test result" });
    await page.getByLabel("Gateway URL").fill(tg.url);
    await page.getByLabel("Token").fill(DEMO_AGENT_TOKEN);
    await page.getByRole("button", { name: "Test connection" }).click();
    await result.filter({ hasText: "Wrong kind of token" }).waitFor({ timeout: 15_000 });
    expect(await result.textContent()).not.toMatch(/origin/i);

    const strict = await startTestGateway({ sessions: 0, allowOrigins: ["chrome-extension://someoneelse"] });
    try {
      await page.getByLabel("Gateway URL").fill(strict.url);
      await page.getByLabel("Token").fill(strict.tokens.supervisor);
      await page.getByRole("button", { name: "Test connection" }).click();
      await result.filter({ hasText: "Origin not allowed" }).waitFor({ timeout: 15_000 });
      expect(await result.textContent()).toContain(`--allow-origin chrome-extension://${ext.id}`);
    } finally {
      await strict.stop();
      await page.close();
    }
  }, 60_000);
});
