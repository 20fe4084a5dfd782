/**
 * AI insight from the real gateway over real sockets: a session driven by
 * the test (`insight: {chance: false}`: the words alone decide) produces
 * agent steps linked to its reply, scores on the user's message, usage on
 * the reply, the session's totals, the metrics' cost and p95, and a hand-off
 * request that a supervisor's transfer clears.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentStep, EventFrame, Metrics, Session } from "../../utils/protocol/index.ts";
import { api, connectAs, spawnSession, startTestGateway, type TestGateway } from "../helpers/gateway.ts";

let tg: TestGateway;
beforeAll(async () => {
  tg = await startTestGateway({ sessions: 0, newPerMinute: 0 });
});
afterAll(() => tg.stop());

const events = (frames: readonly unknown[], sid: string) =>
  frames.filter(
    (f): f is EventFrame => (f as EventFrame).type === "event" && (f as EventFrame).session_id === sid,
  );

describe("AI insight from the gateway", () => {
  it("emits steps, signals, usage, totals and a hand-off request for a refund above the limit", async () => {
    const c = await connectAs(tg, tg.tokens.supervisor);
    const s = spawnSession(tg, { channel: "web", insight: { chance: false } });
    await c.waitFor((f) => f.type === "event" && f.kind === "session_started" && f.session_id === s.id);
    s.userMessage("My order #12345 is damaged, I want a refund of €250 now!");
    const handoff = await c.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "handoff_requested" && f.session_id === s.id,
      10_000,
    );
    const evs = events(c.frames, s.id);

    const user = evs.find((e) => e.kind === "message_received");
    if (user?.kind !== "message_received") throw new Error("no user message");
    expect(user.data.sentiment).toBeLessThan(-0.5);
    expect(user.data.risk).toEqual({ score: 0.55, reason: "Refund request" });

    const steps = evs.filter(
      (e): e is Extract<EventFrame, { kind: "agent_step" }> => e.kind === "agent_step",
    );
    const reply = evs.find((e) => e.kind === "message_sent" && e.data.role === "agent");
    if (reply?.kind !== "message_sent") throw new Error("no reply");
    // Every step belongs to the reply, and goes running → ok | error with a duration.
    expect(new Set(steps.map((e) => e.data.message_id))).toEqual(new Set([reply.data.id]));
    const byId = new Map<string, AgentStep[]>();
    for (const e of steps) byId.set(e.data.step_id, [...(byId.get(e.data.step_id) ?? []), e.data]);
    const final = [...byId.values()].map((v) => {
      expect(v.map((x) => x.status)[0]).toBe("running");
      expect(v).toHaveLength(2);
      const last = v[1] as AgentStep;
      expect(last.duration_ms).toBeGreaterThanOrEqual(0);
      return last;
    });
    expect(final.map((x) => `${x.kind}:${x.name}:${x.status}`)).toEqual([
      "tool_call:lookup_order:ok",
      "retrieval:kb_search:ok",
      "tool_call:issue_refund:error",
      "reasoning:plan_reply:ok",
    ]);
    const refund = final.find((x) => x.name === "issue_refund");
    expect(refund?.input).toEqual({ order_id: "12345", amount_eur: 250 });
    expect(refund?.error).toMatch(/above the agent's limit/);
    // Steps come before the reply they belong to.
    expect(evs.indexOf(steps.at(-1) as EventFrame)).toBeLessThan(evs.indexOf(reply));

    expect(reply.data.latency_ms).toBeGreaterThanOrEqual(0);
    expect(reply.data.usage?.input_tokens).toBeGreaterThan(0);
    expect(reply.data.usage?.output_tokens).toBeGreaterThan(0);
    expect(reply.data.usage?.cost_usd).toBeGreaterThan(0);

    const totals = evs.find((e) => e.kind === "session_updated" && e.data.totals);
    if (totals?.kind !== "session_updated") throw new Error("no totals");
    expect(totals.data.totals).toMatchObject({
      replies: 1,
      cost_usd: reply.data.usage?.cost_usd,
      input_tokens: reply.data.usage?.input_tokens,
      output_tokens: reply.data.usage?.output_tokens,
      avg_latency_ms: reply.data.latency_ms,
    });
    if (handoff.kind !== "handoff_requested") throw new Error("not a hand-off");
    expect(handoff.data.reason).toBe("Refund of €250 is above the agent's €100 limit");

    // The transcript and the session summary carry it all.
    const t = await api(tg, tg.tokens.supervisor, `/v1/sessions/${s.id}`);
    expect(t.status).toBe(200);
    expect((t.body.steps as AgentStep[]).map((x) => x.status)).toEqual(["ok", "ok", "error", "ok"]);
    const session = t.body.session as Session;
    expect(session.handoff?.reason).toBe(handoff.data.reason);
    expect(session.sentiment).toBe(user.data.sentiment);
    expect(session.risk?.reason).toBe("Refund request");
    expect(session.totals?.replies).toBe(1);

    // The metrics report the spend and the p95 reply time.
    const metrics = await c.waitFor<{ type: "metrics"; data: Metrics }>(
      (f) => f.type === "metrics" && (f.data.cost_per_hour_usd ?? 0) > 0,
      5000,
    );
    expect(metrics.data.p95_response_ms).toBeGreaterThan(0);

    // A supervisor's transfer deals with the request.
    const from = c.frames.length;
    const cmdId = crypto.randomUUID();
    const cmd = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body: {
        cmd_id: cmdId,
        action: "transfer",
        session_id: s.id,
        reason: "Taking the refund myself",
        payload: { queue: "human" },
      },
      headers: { "idempotency-key": cmdId },
    });
    expect(cmd.status).toBe(200);
    await c.waitFor(
      (f) =>
        f.type === "event" &&
        f.kind === "session_updated" &&
        f.session_id === s.id &&
        f.data.handoff === null,
      5000,
      from,
    );
    const after = await api(tg, tg.tokens.supervisor, `/v1/sessions/${s.id}`);
    expect(after.body.session.handoff).toBeNull();
    expect(c.errors).toEqual([]);
    c.close();
  });

  it("asks for a human when the user does, and keeps the highest risk on the session", async () => {
    const c = await connectAs(tg, tg.tokens.supervisor);
    const s = spawnSession(tg, { channel: "web", insight: { chance: false } });
    s.userMessage("I will contact my lawyer about this.");
    await c.waitFor(
      (f) =>
        f.type === "event" && f.kind === "message_sent" && f.session_id === s.id && f.data.role === "agent",
      10_000,
    );
    s.userMessage("Thanks, great. Can I talk to a real person please?");
    const h = await c.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "handoff_requested" && f.session_id === s.id,
      10_000,
    );
    expect(h.kind === "handoff_requested" && h.data.reason).toBe("The user asked to speak to a human");
    const t = await api(tg, tg.tokens.supervisor, `/v1/sessions/${s.id}`);
    const session = t.body.session as Session;
    expect(session.risk).toEqual({ score: 0.95, reason: "Legal threat" });
    expect(session.sentiment).toBeGreaterThan(0);
    expect(session.totals?.replies).toBe(2);
    c.close();
  });
});
