/**
 * The agent client (agent-client) against the real gateway over real
 * sockets: typed publishing, streamed replies, resend after a dropped link
 * without duplicates, intervention handlers, close and fatal refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type AgentClient, createAgentClient, type WebSocketCtor } from "../../agent-client/index.ts";
import type { DeltaFrame, EventFrame, Message } from "../../utils/protocol/index.ts";
import { DEMO_AGENT_TOKEN, EXAMPLE_AGENT } from "../helpers/agent-socket.ts";
import { connectAs, startTestGateway, type TestClient, type TestGateway } from "../helpers/gateway.ts";

let tg: TestGateway;
let sup: TestClient;
const open: AgentClient[] = [];
beforeAll(async () => {
  tg = await startTestGateway({ simulate: false });
  sup = await connectAs(tg, tg.tokens.admin);
});
afterAll(async () => {
  for (const c of open) c.close();
  sup.close();
  await tg.stop();
});

function client(token = DEMO_AGENT_TOKEN, extra: Partial<Parameters<typeof createAgentClient>[0]> = {}) {
  const c = createAgentClient({
    url: tg.url,
    token,
    WebSocket: WebSocket as unknown as WebSocketCtor,
    backoff: { minMs: 20, maxMs: 100 },
    ...extra,
  });
  open.push(c);
  return c;
}
async function* tokens(list: string[]) {
  for (const t of list) yield t;
}
const eventsOf = (sid: string) =>
  sup.frames.filter((f): f is EventFrame => f.type === "event" && f.session_id === sid);

describe("agent client", () => {
  it("publishes a conversation: session, user message, a streamed reply whose deltas add up to it", async () => {
    const agent = client();
    const sid = agent.startSession({
      agent: EXAMPLE_AGENT,
      channel: "telegram",
      user: { id: "u1", name: "Ana" },
    });
    sup.send({ type: "watch", session_ids: [sid] });
    agent.userMessage(sid, "Where is my order?");
    await sup.waitFor((f) => f.type === "event" && f.kind === "message_received" && f.session_id === sid);
    const r = await agent.streamReply(sid, tokens(["It ", "arrives ", "**tomorrow**."]));
    expect(r).toMatchObject({ text: "It arrives **tomorrow**.", cancelled: false });
    const sent = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "message_sent" && (f.data as Message).id === r.message_id,
    );
    expect(sent.data).toMatchObject({ role: "agent", format: "markdown", text: "It arrives **tomorrow**." });
    const deltas = sup.frames.filter(
      (f): f is DeltaFrame => f.type === "delta" && f.message_id === r.message_id,
    );
    expect(deltas.map((d) => d.idx)).toEqual([0, 1, 2]);
    expect(eventsOf(sid).map((e) => e.kind)).toEqual([
      "session_started",
      "message_received",
      "agent_thinking",
      "stream_started",
      "message_sent",
    ]);
    expect(await agent.endSession(sid, "resolved")).toMatchObject({ ok: true });
    await agent.idle();
    expect(agent.unanswered).toBe(0);
  });

  it("returns the gateway's refusal as a result, never a rejection", async () => {
    const agent = client();
    const r = await agent.publish("message_received", "ses_nobody", {
      id: "m",
      role: "user",
      format: "text",
      text: "x",
      ts: new Date().toISOString(),
    });
    expect(r).toMatchObject({ ok: false, code: "UNKNOWN_SESSION", path: "event.session_id" });
    const bad = await agent.updateSession("ses_nobody", { priority: "asap" as "high" });
    expect(bad).toMatchObject({ ok: false, code: "INVALID_EVENT", path: "event.data.priority" });
  });

  it("resends what was not answered after the link drops, and nothing lands twice", async () => {
    const agent = client(DEMO_AGENT_TOKEN, { runtimeId: "rt-resend" });
    const sid = agent.startSession({ agent: EXAMPLE_AGENT });
    await agent.idle();
    const texts = Array.from({ length: 40 }, (_, i) => `message ${i}`);
    for (const t of texts) agent.userMessage(sid, t);
    tg.gateway.dropAllSockets();
    const sim = tg.gateway.orgs.get("org_demo");
    await agent.idle();
    const kept = sim?.state.session(sid)?.messages.map((m) => m.text);
    expect(kept).toEqual(texts);
    expect(sim?.state.session(sid)?.session.message_count).toBe(40);
    // The supervisors' stream was dropped too; it resumes without a gap and without duplicates.
  });

  it("runs intervention handlers: nothing returned = applied, a throw = rejected with its message", async () => {
    const agent = client(DEMO_AGENT_TOKEN, { runtimeId: "rt-handlers" });
    const sid = agent.startSession({ agent: EXAMPLE_AGENT });
    await agent.idle();
    const seen: string[] = [];
    const off = agent.onIntervention((iv) => {
      seen.push(iv.action);
      if (iv.action === "override") throw new Error("No reply to override");
    });
    const sup2 = await connectAs(tg, tg.tokens.supervisor);
    const send = async (action: string, payload: Record<string, unknown> = {}) => {
      const cmd_id = crypto.randomUUID();
      const from = sup2.frames.length;
      sup2.send({ type: "command", cmd_id, action, session_id: sid, reason: "Client test", payload });
      return sup2.waitFor<EventFrame>(
        (f) =>
          f.type === "event" &&
          f.kind === "intervention_result" &&
          (f.data as { cmd_id?: string }).cmd_id === cmd_id,
        5000,
        from,
      );
    };
    expect((await send("pause")).data).toMatchObject({ outcome: "applied" });
    expect((await send("override", { text: "Hi" })).data).toMatchObject({
      outcome: "rejected",
      detail: "No reply to override",
    });
    off();
    expect((await send("resume")).data).toMatchObject({
      outcome: "rejected",
      detail: "This runtime has no intervention handler.",
    });
    expect(seen).toEqual(["pause", "override"]);
    sup2.close();
  });

  it("stops for good on a refused token and when closed or aborted", async () => {
    const states: string[] = [];
    const wrong = client(tg.tokens.supervisor, { onState: (s) => states.push(s) });
    await expect.poll(() => wrong.state, { timeout: 5000 }).toBe("stopped");
    expect(
      await wrong.publish("error_occurred", null, { code: "X", message: "y", severity: "warning" }),
    ).toMatchObject({
      ok: false,
      code: "CLOSED",
    });
    const ac = new AbortController();
    const agent = client(DEMO_AGENT_TOKEN, { signal: ac.signal });
    await expect.poll(() => agent.state, { timeout: 5000 }).toBe("open");
    ac.abort();
    expect(agent.state).toBe("stopped");
  });
});
