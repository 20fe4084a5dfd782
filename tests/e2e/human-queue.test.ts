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
import { api, spawnSession, type TestGateway } from "../helpers/gateway";
import { clickCard, type PanelSession, startPanelSession } from "../helpers/panel-session";
import { until } from "../helpers/until";

const TIMEOUT = 20_000;

/** axe-core finds nothing in this card (contrast of the queue's tags, names). */
async function expectCardClean(page: Page, sessionId: string): Promise<void> {
  const findings = await runAxe(page, `[data-session-id="${sessionId}"]`);
  expect(findings, describeFindings(findings)).toEqual([]);
}
const GIVE_UP_MS = 5000;

describe("a transfer to the human queue, on the card", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;

  beforeAll(async () => {
    e2e = await startPanelSession({
      gateway: { humanQueueTimeoutMs: GIVE_UP_MS },
      // Short thresholds, so the waiting tag turns amber and red within the test.
      settings: { handoffAmberSec: 1, handoffRedSec: 2 },
    });
    ({ tg, page } = e2e);
  }, 90_000);
  afterAll(() => e2e?.close());

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
    await until(
      "badge title",
      async () =>
        (await e2e.ext.worker.evaluate(() => chrome.action.getTitle({}))).includes("1 waiting for a human"),
      TIMEOUT,
      100,
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
    await until(
      "badge no longer counts it",
      async () =>
        !(await e2e.ext.worker.evaluate(() => chrome.action.getTitle({}))).includes("waiting for a human"),
      TIMEOUT,
      100,
    );
    // The conversation says it too.
    await clickCard(card);
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
    await until(
      "expiry notification",
      async () =>
        Object.keys(await e2e.ext.worker.evaluate(() => chrome.notifications.getAll())).some((id) =>
          id.startsWith(`lc|queueExpired|${s.id}|`),
        ),
      TIMEOUT,
      100,
    );
    s.end("resolved");
  }, 90_000);
});
