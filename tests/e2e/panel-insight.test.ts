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
import { api, spawnSession, type TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession } from "../helpers/panel-session";
import { until } from "../helpers/until";

const TIMEOUT = 20_000;

describe("AI insight from the gateway to the card and transcript", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;

  beforeAll(async () => {
    e2e = await startPanelSession({
      // Short waiting-timer thresholds, so the colours change within the test (the panel follows the settings).
      settings: { handoffAmberSec: 2, handoffRedSec: 4 },
    });
    ({ tg, page } = e2e);
  }, 90_000);
  afterAll(() => e2e?.close());

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
    // (The hand-off request's timer; the human queue's tag, issue 24, shares its look.)
    const timer = card.locator(".handoff-timer:not(.queue-tag)");
    expect(await timer.textContent()).toMatch(/^waiting \d:\d\d$/);
    await card.locator('.handoff-timer[data-level="amber"]').waitFor({ timeout: TIMEOUT });
    await card.locator('.handoff-timer[data-level="red"]').waitFor({ timeout: TIMEOUT });

    // The metrics bar: cost per hour and p95 reply time.
    const metric = (label: string) =>
      page.locator(".metric", { has: page.locator("dt", { hasText: label }) }).locator("dd");
    await until("cost per hour", async () => (await metric("Cost/h").textContent()) !== "—", TIMEOUT, 100);
    expect(await metric("Cost/h").textContent()).toMatch(/^\$/);
    expect(await metric("p95 reply").textContent()).toMatch(/\d/);

    // The badge counts the waiting session; a desktop notification says why.
    await until(
      "badge title",
      async () =>
        (await e2e.ext.worker.evaluate(() => chrome.action.getTitle({}))).includes("1 waiting for a human"),
      TIMEOUT,
      100,
    );
    expect(await e2e.ext.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe("1");
    await until(
      "hand-off notification",
      async () =>
        Object.keys(await e2e.ext.worker.evaluate(() => chrome.notifications.getAll())).some((id) =>
          id.startsWith(`lc|handoffRequest|${s.id}|`),
        ),
      TIMEOUT,
      100,
    );

    // A supervisor transfers it to the human queue: the request is dealt with, its timer goes and the
    // session waits in the queue instead (tests/e2e/human-queue.test.ts follows that wait).
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
    await card.locator('.queue-tag[data-queue="waiting"]').waitFor({ timeout: TIMEOUT });
    s.end("resolved");
    await until(
      "badge cleared",
      async () => (await e2e.ext.worker.evaluate(() => chrome.action.getBadgeText({}))) === "",
      TIMEOUT,
      100,
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
    await until("recent first", async () => (await top(calm.id)) < (await top(waiting.id)), TIMEOUT, 100);
    await sort.selectOption("handoff");
    await until("waiting first", async () => (await top(waiting.id)) === 0, TIMEOUT, 100);
    await sort.selectOption("recent");
    await until("recent again", async () => (await top(calm.id)) < (await top(waiting.id)), TIMEOUT, 100);
    await sort.selectOption("risk");
    await until("riskier first", async () => (await top(waiting.id)) < (await top(calm.id)), TIMEOUT, 100);
  }, 60_000);
});
