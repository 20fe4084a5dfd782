/**
 * The activity feed in real Chromium, fed by the real worker from the real
 * gateway: one conversation's whole lifecycle — started, user message, status
 * changes, the agent's complete reply, an intervention, a transfer, ended —
 * each named by user and agent (the ended session too, never by raw id), and
 * the filters by kind and by session.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, spawnSession, type TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession } from "../helpers/panel-session";

const TIMEOUT = 20_000;

describe("activity feed against the reference gateway", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;

  beforeAll(async () => {
    e2e = await startPanelSession();
    ({ tg, page } = e2e);
  });
  afterAll(() => e2e?.close());

  it("shows every lifecycle kind of a conversation, named by user and agent, and filters by kind and session", async () => {
    const other = spawnSession(tg, { channel: "web" });
    const s = spawnSession(tg, { channel: "phone", maxTurns: 5 });
    const orgId = tg.gateway.options.users.find((u) => u.token === tg.tokens.supervisor)?.org_id ?? "";
    const summary = tg.gateway.orgs.get(orgId)?.state.session(s.id)?.session;
    const user = summary?.user.name ?? summary?.user.id ?? "";
    const agent = summary?.agent.name ?? "";
    expect(user).not.toBe("");
    await page.locator(`[data-session-id="${s.id}"]`).waitFor({ timeout: TIMEOUT });

    // The user writes; the agent thinks, streams and replies.
    s.userMessage("Where is my parcel? It was due on Monday.");
    await e2e.until("the agent's first reply", async () =>
      (await e2e.sessionOf(s.id)).messages.some((m) => m.role === "agent"),
    );
    // A supervisor transfers it to the human queue (an intervention, then a transfer), then it ends.
    const cmdId = crypto.randomUUID();
    const cmd = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body: {
        cmd_id: cmdId,
        action: "transfer",
        session_id: s.id,
        reason: "VIP customer",
        payload: { queue: "human" },
      },
      headers: { "idempotency-key": cmdId },
    });
    expect(cmd.status).toBe(200);
    s.end("resolved");
    await page.locator(`[data-session-id="${s.id}"]`).waitFor({ state: "detached", timeout: TIMEOUT });

    await page.getByRole("tab", { name: "Activity" }).click();
    const feed = page.locator(".activity-feed");
    await feed.waitFor({ timeout: TIMEOUT });
    // Only this session: its first entry's "Only" button (the newest is its end).
    const ended = feed.locator('.activity-entry[data-feed-kind="ended"]', { hasText: user }).first();
    await ended.waitFor({ timeout: TIMEOUT });
    await ended.locator(".activity-only-btn").click();
    await feed.locator(".activity-only").waitFor({ timeout: TIMEOUT });
    expect(await feed.locator(".activity-only").textContent()).toContain(`Only ${user} · `);

    const kinds = await feed
      .locator(".activity-entry")
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.feedKind).reverse());
    for (const k of [
      "started",
      "user_message",
      "status",
      "agent_response",
      "intervention",
      "transfer",
      "ended",
    ])
      expect(kinds).toContain(k);
    // In order: started first, ended last; the reply after the user's message.
    expect(kinds[0]).toBe("started");
    expect(kinds.at(-1)).toBe("ended");
    expect(kinds.indexOf("agent_response")).toBeGreaterThan(kinds.indexOf("user_message"));
    // Named by user and agent, never by the raw id; the other session is filtered out.
    const who = await feed.locator(".activity-session").allTextContents();
    for (const w of who) expect(w.startsWith(`${user} · `)).toBe(true);
    expect(who).toContain(`${user} · ${agent}`);
    expect(who).toContain(`${user} · Human queue`);
    expect(await feed.textContent()).not.toContain(s.id);
    expect(await feed.textContent()).not.toContain(other.id);
    expect(await feed.locator('[data-feed-kind="user_message"] .activity-text').first().textContent()).toBe(
      "User: Where is my parcel? It was due on Monday.",
    );
    expect(await feed.locator('[data-feed-kind="transfer"] .activity-text').first().textContent()).toBe(
      `Transferred from ${agent} to Human queue`,
    );

    // By kind: only agent responses.
    await feed.locator('.flt-toggle[data-value="agent_response"]').click();
    const onlyReplies = await feed
      .locator(".activity-entry")
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.feedKind));
    expect(onlyReplies.length).toBeGreaterThan(0);
    expect(new Set(onlyReplies)).toEqual(new Set(["agent_response"]));
    // Clearing the session filter brings the other session's start back.
    await feed.locator('.flt-toggle[data-value="agent_response"]').click();
    await feed.locator(".activity-only-clear").click();
    await feed.locator('.activity-entry[data-feed-kind="started"]').nth(1).waitFor({ timeout: TIMEOUT });
  }, 90_000);
});
