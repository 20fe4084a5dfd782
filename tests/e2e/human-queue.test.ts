/**
 * Transfers that land (issue 24), end to end in real Chromium: a supervisor
 * transfers a session to the human queue; the real gateway's simulated queue
 * picks it up (or nobody does within --human-queue-timeout-ms); the real
 * worker carries `human_queue` to the real panel. The card says "Waiting for a
 * human · 0:0x" with the hand-off timer's colours (thresholds from the
 * settings) and the badge counts it; then "Picked up: <name>" and Active, or
 * "Nobody picked up" with a desktop notification, a toast, and the AI agent
 * back on the card.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeFindings, runAxe } from "../helpers/axe";
import { type LoadedExtension, launchExtension } from "../helpers/extension";
import { api, spawnSession, startTestGateway, type TestGateway } from "../helpers/gateway";
import { openPanelPage } from "../helpers/panel-page";

const TIMEOUT = 20_000;

/** axe-core finds nothing in this card (contrast of the queue's tags, names). */
async function expectCardClean(page: Page, sessionId: string): Promise<void> {
  const findings = await runAxe(page, `[data-session-id="${sessionId}"]`);
  expect(findings, describeFindings(findings)).toEqual([]);
}
const GIVE_UP_MS = 5000;

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a transfer to the human queue, on the card", () => {
  let tg: TestGateway;
  let ext: LoadedExtension;
  let page: Page;

  beforeAll(async () => {
    tg = await startTestGateway({
      simulate: false,
      tokensPerSecond: 40,
      heartbeatMs: 2000,
      humanQueueTimeoutMs: GIVE_UP_MS,
    });
    ext = await launchExtension();
    page = await openPanelPage(ext, { url: tg.url, token: tg.tokens.supervisor });
    // Short thresholds, so the waiting tag turns amber and red within the test.
    await ext.worker.evaluate((s) => chrome.storage.local.set({ settings: s }), {
      gatewayUrl: tg.url,
      token: tg.tokens.supervisor,
      handoffAmberSec: 1,
      handoffRedSec: 2,
    });
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: 30_000 });
  }, 90_000);
  afterAll(async () => {
    await ext?.close();
    await tg?.stop();
  });

  async function transferToHumans(sessionId: string): Promise<void> {
    const cmdId = crypto.randomUUID();
    const cmd = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body: {
        cmd_id: cmdId,
        action: "transfer",
        session_id: sessionId,
        reason: "The customer needs a person",
        payload: { queue: "human" },
      },
      headers: { "idempotency-key": cmdId },
    });
    expect(cmd.status).toBe(200);
  }

  it("waits with a timer, then shows who picked it up, and Transferring… ends", async () => {
    const s = spawnSession(tg, { channel: "web", priority: "normal", humanPickupMs: 3000 });
    const card = page.locator(`[data-session-id="${s.id}"]`);
    await card.waitFor({ timeout: TIMEOUT });
    await transferToHumans(s.id);

    const waiting = card.locator('.queue-tag[data-queue="waiting"]');
    await waiting.waitFor({ timeout: TIMEOUT });
    expect(await waiting.textContent()).toMatch(/^Waiting for a human · 0:0\d$/);
    expect(await waiting.getAttribute("role")).toBe("timer");
    expect(await card.locator(".agent-name").textContent()).toBe("Human queue");
    expect(await card.getAttribute("aria-description")).toContain("Waiting for a human");
    // Nothing clipped at the narrowest panel: the tag stays inside its card.
    await page.setViewportSize({ width: 320, height: 700 });
    const inside = async () => {
      const [c, t] = await Promise.all([card.boundingBox(), waiting.boundingBox()]);
      return c !== null && t !== null && t.x >= c.x && t.x + t.width <= c.x + c.width + 0.5;
    };
    expect(await inside()).toBe(true);
    await page.setViewportSize({ width: 420, height: 760 });
    await waitUntil(
      async () =>
        (await ext.worker.evaluate(() => chrome.action.getTitle({}))).includes("1 waiting for a human"),
      TIMEOUT,
      "badge title",
    );

    const picked = card.locator('.queue-tag[data-queue="picked_up"]');
    await picked.waitFor({ timeout: TIMEOUT });
    expect(await picked.textContent()).toMatch(/^Picked up: \S+ \S+/);
    expect(await picked.getAttribute("title")).toMatch(/^Picked up by .+ after 0:0[23]$/);
    await expectCardClean(page, s.id);
    expect(await card.locator(".status-badge").getAttribute("data-status")).toBe("active");
    await page
      .locator(".toast-title", { hasText: /^Picked up by / })
      .first()
      .waitFor({ timeout: TIMEOUT });
    await waitUntil(
      async () =>
        !(await ext.worker.evaluate(() => chrome.action.getTitle({}))).includes("waiting for a human"),
      TIMEOUT,
      "badge no longer counts it",
    );
    // The conversation says it too.
    await card.click();
    const header = page.locator(`.conversation[data-session-id="${s.id}"] .conversation-meta`);
    await header.locator('.queue-tag[data-queue="picked_up"]').waitFor({ timeout: TIMEOUT });
    expect(await header.locator(".queue-tag").textContent()).toBe(await picked.textContent());
    await page.keyboard.press("Escape");
    await card.waitFor({ timeout: TIMEOUT });
    s.end("resolved");
  }, 90_000);

  it("nobody picks it up in time: amber, red, then expired with a notification and the agent back", async () => {
    const s = spawnSession(tg, {
      channel: "web",
      priority: "normal",
      agentId: "agt_billing",
      humanPickupMs: null,
    });
    const card = page.locator(`[data-session-id="${s.id}"]`);
    await card.waitFor({ timeout: TIMEOUT });
    await transferToHumans(s.id);

    await card.locator('.queue-tag[data-queue="waiting"][data-level="amber"]').waitFor({ timeout: TIMEOUT });
    await card.locator('.queue-tag[data-queue="waiting"][data-level="red"]').waitFor({ timeout: TIMEOUT });
    const expired = card.locator('.queue-tag[data-queue="expired"]');
    await expired.waitFor({ timeout: TIMEOUT });
    expect(await expired.textContent()).toBe("Nobody picked up");
    expect(await expired.getAttribute("title")).toBe("Nobody picked it up within 0:05");
    await expectCardClean(page, s.id);
    await card.locator(".agent-name", { hasText: "Billing Agent" }).waitFor({ timeout: TIMEOUT });
    expect(await card.locator(".status-badge").getAttribute("data-status")).toBe("active");
    await page
      .locator(".toast-title", { hasText: "Nobody picked up the transfer" })
      .waitFor({ timeout: TIMEOUT });
    await waitUntil(
      async () =>
        Object.keys(await ext.worker.evaluate(() => chrome.notifications.getAll())).some((id) =>
          id.startsWith(`lc|queueExpired|${s.id}|`),
        ),
      TIMEOUT,
      "expiry notification",
    );
    s.end("resolved");
  }, 90_000);
});
