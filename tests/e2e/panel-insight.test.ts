/**
 * AI insight end to end in real Chromium: the real gateway's simulated agent
 * (made deterministic with `insight: {chance: false}`) answers a refund above
 * its limit; the real worker carries everything to the real panel — agent
 * steps under the reply (expanded by keyboard, the failure visible), the
 * user's sentiment and risk, the reply's latency, tokens and cost, the
 * session's totals and the metrics' cost per hour and p95, the hand-off
 * request with its reason, a waiting timer on the card that turns amber then
 * red (thresholds from the settings), the badge and a desktop notification;
 * a supervisor's transfer clears it.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentStep, Session } from "../../utils/protocol";
import { type LoadedExtension, launchExtension } from "../helpers/extension";
import { api, spawnSession, startTestGateway, type TestGateway } from "../helpers/gateway";
import { openPanelPage } from "../helpers/panel-page";

const TIMEOUT = 20_000;

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("AI insight from the gateway to the card and transcript", () => {
  let tg: TestGateway;
  let ext: LoadedExtension;
  let page: Page;

  beforeAll(async () => {
    tg = await startTestGateway({ simulate: false, tokensPerSecond: 40, heartbeatMs: 2000 });
    ext = await launchExtension();
    page = await openPanelPage(ext, { url: tg.url, token: tg.tokens.supervisor });
    // Short waiting-timer thresholds, so the colours change within the test (the panel follows the settings).
    await ext.worker.evaluate((s) => chrome.storage.local.set({ settings: s }), {
      gatewayUrl: tg.url,
      token: tg.tokens.supervisor,
      handoffAmberSec: 2,
      handoffRedSec: 4,
    });
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: 30_000 });
  }, 90_000);
  afterAll(async () => {
    await ext?.close();
    await tg?.stop();
  });

  it("shows steps, signals, usage, totals, metrics and the hand-off request with its timer", async () => {
    const s = spawnSession(tg, {
      channel: "web",
      priority: "normal",
      maxTurns: 20,
      insight: { chance: false },
    });
    const card = page.locator(`[data-session-id="${s.id}"]`);
    await card.click({ timeout: TIMEOUT });
    await page.locator(".transcript-loading").waitFor({ state: "detached", timeout: TIMEOUT });
    s.userMessage("My order #12345 is damaged, I want a refund of €250 now!");

    // The reply and its steps, collapsed under it.
    const steps = page.locator(".messages .agent-steps");
    await steps.filter({ hasText: "4 steps · 1 failed" }).waitFor({ timeout: TIMEOUT });
    const replyId = (await steps.getAttribute("data-steps-for")) ?? "";
    const reply = page.locator(`.messages [data-message-id="${replyId}"]`);
    expect(await reply.getAttribute("data-role")).toBe("agent");
    const toggle = steps.locator("button.steps-toggle");
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await steps.locator(".steps-list").count()).toBe(0);
    await toggle.focus();
    await page.keyboard.press("Enter");
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    const items = steps.locator(".step");
    expect(await items.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.status))).toEqual([
      "ok",
      "ok",
      "error",
      "ok",
    ]);
    const failed = steps.locator('.step[data-status="error"]');
    expect(await failed.locator(".step-status").textContent()).toBe("Failed");
    expect(await failed.locator(".step-error-text").textContent()).toMatch(/above the agent's limit/);
    expect(await failed.locator("pre.step-json").first().textContent()).toBe(
      JSON.stringify({ order_id: "12345", amount_eur: 250 }, null, 2),
    );

    // The gateway's own record, to compare with what the panel shows.
    const t = await api(tg, tg.tokens.supervisor, `/v1/sessions/${s.id}`);
    const session = t.body.session as Session;
    const gwSteps = t.body.steps as AgentStep[];
    expect(gwSteps.map((x) => x.status)).toEqual(["ok", "ok", "error", "ok"]);
    const gwReply = (t.body.messages as { id: string; usage?: { cost_usd: number } }[]).find(
      (m) => m.id === replyId,
    );
    expect(gwReply?.usage?.cost_usd).toBeGreaterThan(0);

    // Signals on the user's message and the reply.
    const user = page.locator('.messages [data-role="user"]').first();
    expect(await user.locator(".sentiment-chip").getAttribute("aria-label")).toMatch(/^Negative sentiment/);
    expect(await user.locator(".risk-chip").getAttribute("title")).toBe("Risk 55%: Refund request");
    expect(await reply.locator(".message-latency").textContent()).toMatch(/\d/);
    expect(await reply.locator(".reply-tokens").textContent()).toMatch(/tokens$/);
    expect(await reply.locator(".reply-cost").getAttribute("data-cost")).toBe(
      String(gwReply?.usage?.cost_usd),
    );

    // The session's totals and the hand-off reason in the conversation.
    await page
      .locator('.session-totals [data-total="replies"]', { hasText: "1 reply" })
      .waitFor({ timeout: TIMEOUT });
    expect(session.totals?.replies).toBe(1);
    const banner = page.locator(".handoff-banner");
    await banner.waitFor({ timeout: TIMEOUT });
    expect(await banner.locator(".handoff-reason").textContent()).toBe(
      "Refund of €250 is above the agent's €100 limit",
    );

    // The card: cost, risk, and the waiting timer turning amber, then red.
    await page.keyboard.press("Escape");
    await card.waitFor({ timeout: TIMEOUT });
    expect(await card.locator(".card-cost").getAttribute("data-cost")).toBe(String(session.totals?.cost_usd));
    expect(await card.locator(".risk-chip").getAttribute("data-risk-level")).toBe("medium");
    const timer = card.locator(".handoff-timer");
    expect(await timer.textContent()).toMatch(/^waiting \d:\d\d$/);
    await card.locator('.handoff-timer[data-level="amber"]').waitFor({ timeout: TIMEOUT });
    await card.locator('.handoff-timer[data-level="red"]').waitFor({ timeout: TIMEOUT });

    // The metrics bar: cost per hour and p95 reply time.
    const metric = (label: string) =>
      page.locator(".metric", { has: page.locator("dt", { hasText: label }) }).locator("dd");
    await waitUntil(async () => (await metric("Cost / h").textContent()) !== "—", TIMEOUT, "cost per hour");
    expect(await metric("Cost / h").textContent()).toMatch(/^\$/);
    expect(await metric("p95 reply").textContent()).toMatch(/\d/);

    // The badge counts the waiting session; a desktop notification says why.
    await waitUntil(
      async () =>
        (await ext.worker.evaluate(() => chrome.action.getTitle({}))).includes("1 waiting for a human"),
      TIMEOUT,
      "badge title",
    );
    expect(await ext.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe("1");
    await waitUntil(
      async () =>
        Object.keys(await ext.worker.evaluate(() => chrome.notifications.getAll())).some((id) =>
          id.startsWith(`lc|handoffRequest|${s.id}|`),
        ),
      TIMEOUT,
      "hand-off notification",
    );

    // A supervisor takes over: the request is dealt with, the timer and the badge count go.
    const cmdId = crypto.randomUUID();
    const cmd = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body: {
        cmd_id: cmdId,
        action: "transfer",
        session_id: s.id,
        reason: "Taking it myself",
        payload: { queue: "human" },
      },
      headers: { "idempotency-key": cmdId },
    });
    expect(cmd.status).toBe(200);
    await timer.waitFor({ state: "detached", timeout: TIMEOUT });
    await waitUntil(
      async () => (await ext.worker.evaluate(() => chrome.action.getBadgeText({}))) === "",
      TIMEOUT,
      "badge cleared",
    );
  }, 90_000);

  it("sorts the list by risk, or waiting for a human first", async () => {
    const waiting = spawnSession(tg, { channel: "web", priority: "normal", insight: { chance: false } });
    waiting.userMessage("Can I talk to a human, please?");
    await page.locator(`[data-session-id="${waiting.id}"] .handoff-timer`).waitFor({ timeout: TIMEOUT });
    const calm = spawnSession(tg, { channel: "web", priority: "normal", insight: { chance: false } });
    calm.userMessage("Thanks, that helps.");
    await page
      .locator(`[data-session-id="${calm.id}"] .card-preview`, { hasText: "Thanks" })
      .waitFor({ timeout: TIMEOUT });
    // A low risk shows no chip (below the options' threshold, 30 % by default); sorting still uses it.
    expect(await page.locator(`[data-session-id="${calm.id}"] .risk-chip`).count()).toBe(0);
    const top = (id: string) =>
      page
        .locator(`[data-session-id="${id}"]`)
        .evaluate((el) => Number.parseFloat((el as HTMLElement).style.top));
    const sort = page.getByRole("combobox", { name: "Sort sessions" });
    await sort.selectOption("recent");
    await waitUntil(async () => (await top(calm.id)) < (await top(waiting.id)), TIMEOUT, "recent first");
    await sort.selectOption("handoff");
    await waitUntil(async () => (await top(waiting.id)) === 0, TIMEOUT, "waiting first");
    await sort.selectOption("recent");
    await waitUntil(async () => (await top(calm.id)) < (await top(waiting.id)), TIMEOUT, "recent again");
    await sort.selectOption("risk");
    await waitUntil(async () => (await top(waiting.id)) < (await top(calm.id)), TIMEOUT, "riskier first");
  }, 60_000);
});
