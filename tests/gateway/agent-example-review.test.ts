/**
 * The example agent runtime in review mode (issue 24), against the real
 * gateway over real sockets: with review on, a reply streams but is held as a
 * draft (`draft_ready`, nothing sent to the user) until a supervisor approves
 * it (sent as written), edits it (the edited text is sent) or rejects it (a
 * new, different draft follows); an admin's review mode for the whole agent
 * reaches the conversations it starts later; a draft nobody handles is held
 * back at its deadline.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  answerFor,
  createExampleRuntime,
  createFakeLlm,
  type ExampleRuntime,
  type WebSocketCtor,
} from "../../agent-client/index.ts";
import type { DraftReady, DraftResolved, EventFrame, Message } from "../../utils/protocol/index.ts";
import { DEMO_AGENT_TOKEN } from "../helpers/agent-socket.ts";
import { api, connectAs, startTestGateway, type TestClient, type TestGateway } from "../helpers/gateway.ts";

let tg: TestGateway;
let sup: TestClient;
const runtimes: ExampleRuntime[] = [];
beforeAll(async () => {
  tg = await startTestGateway({ simulate: false, commandsPerMinute: 600, commandBurst: 50 });
  sup = await connectAs(tg, tg.tokens.supervisor);
});
afterAll(async () => {
  for (const r of runtimes) r.close();
  sup?.close();
  await tg?.stop();
});

function runtime(review?: { timeoutMs: number }): ExampleRuntime {
  const r = createExampleRuntime({
    url: tg.url,
    token: DEMO_AGENT_TOKEN,
    runtimeId: `review-${runtimes.length}`,
    WebSocket: WebSocket as unknown as WebSocketCtor,
    llm: createFakeLlm({ tokensPerSecond: 400 }),
    ...(review ? { review } : {}),
  });
  runtimes.push(r);
  return r;
}

async function command(
  sid: string,
  action: string,
  payload: Record<string, unknown>,
  token = tg.tokens.supervisor,
) {
  const cmdId = randomUUID();
  const from = sup.frames.length;
  const r = await api(tg, token, "/v1/commands", {
    body: { cmd_id: cmdId, action, session_id: sid, reason: `Review test: ${action}`, payload },
    headers: { "idempotency-key": cmdId },
  });
  expect(r.status).toBe(200);
  const result = await sup.waitFor(
    (f) =>
      f.type === "event" &&
      f.kind === "intervention_result" &&
      (f.data as { cmd_id?: string }).cmd_id === cmdId,
    10_000,
    from,
  );
  expect((result as EventFrame).data).toMatchObject({ outcome: "applied" });
}
const events = (sid: string, kind: string, from = 0) =>
  sup.frames
    .slice(from)
    .filter((f): f is EventFrame => f.type === "event" && f.session_id === sid && f.kind === kind);
const agentSent = (sid: string) =>
  events(sid, "message_sent")
    .map((f) => f.data as Message)
    .filter((m) => m.role === "agent");
const nextDraft = async (sid: string, from: number) =>
  (
    await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.session_id === sid && f.kind === "draft_ready",
      10_000,
      from,
    )
  ).data as DraftReady;
const resolution = async (sid: string, from: number) =>
  (
    await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.session_id === sid && f.kind === "draft_resolved",
      10_000,
      from,
    )
  ).data as DraftResolved;

describe("the example runtime in review mode", () => {
  it("holds each reply as a draft until approved, edited or rejected", async () => {
    const rt = runtime();
    const sid = rt.start({ id: "usr_review", name: "Rita" });
    await sup.waitFor((f) => f.type === "event" && f.kind === "session_started" && f.session_id === sid);
    await command(sid, "review_mode", { enabled: true });

    // Held: streamed, announced as a draft, nothing sent to the user.
    let from = sup.frames.length;
    await rt.userSays(sid, "Where is my order?");
    const first = await nextDraft(sid, from);
    expect(first.text).toBe(answerFor("Where is my order?"));
    expect(agentSent(sid)).toEqual([]);
    expect(tg.gateway.orgs.get("org_demo")?.state.session(sid)?.session.review).toEqual({
      enabled: true,
      drafts_waiting: 1,
    });

    // Approved: sent as written, with the draft's message id.
    from = sup.frames.length;
    await command(sid, "approve_draft", { draft_id: first.draft_id });
    expect(await resolution(sid, from)).toMatchObject({
      draft_id: first.draft_id,
      outcome: "approved",
      by: "sup_dana",
    });
    expect(agentSent(sid).map((m) => [m.id, m.text])).toEqual([[first.message_id, first.text]]);

    // Edited: the supervisor's text goes out instead, as plain text.
    from = sup.frames.length;
    await rt.userSays(sid, "I was charged twice");
    const second = await nextDraft(sid, from);
    const edited = "Sorry about the double charge: the refund is on its way.";
    await command(sid, "approve_draft", { draft_id: second.draft_id, text: edited });
    expect(await resolution(sid, from)).toMatchObject({ outcome: "edited" });
    expect(agentSent(sid).at(-1)).toMatchObject({ id: second.message_id, text: edited, format: "text" });

    // Rejected: nothing sent; the agent writes another, different draft for the same question.
    from = sup.frames.length;
    await rt.userSays(sid, "Can I reset my password?");
    const third = await nextDraft(sid, from);
    const before = agentSent(sid).length;
    const afterReject = sup.frames.length;
    await command(sid, "reject_draft", { draft_id: third.draft_id });
    expect(await resolution(sid, afterReject)).toMatchObject({
      draft_id: third.draft_id,
      outcome: "rejected",
    });
    const retry = await nextDraft(sid, afterReject);
    expect(retry.draft_id).not.toBe(third.draft_id);
    expect(retry.text).not.toBe(third.text);
    expect(retry.text.startsWith(answerFor("Can I reset my password?"))).toBe(true);
    expect(agentSent(sid)).toHaveLength(before);

    // A draft that no longer waits is refused by the gateway before it reaches the runtime.
    const stale = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body: {
        cmd_id: randomUUID(),
        action: "approve_draft",
        session_id: sid,
        reason: "Too late",
        payload: { draft_id: third.draft_id },
      },
    });
    expect(stale.status).toBe(409);

    // Switched off: the next reply goes straight to the user.
    await command(sid, "review_mode", { enabled: false });
    from = sup.frames.length;
    await rt.userSays(sid, "Hello again");
    await sup.waitFor(
      (f) =>
        f.type === "event" && f.session_id === sid && f.kind === "message_sent" && f.data.role === "agent",
      10_000,
      from,
    );
    expect(events(sid, "draft_ready", from)).toEqual([]);
    rt.end(sid);
  });

  it("an admin's review mode for the agent reaches conversations started later; an unhandled draft is held back", async () => {
    const rt = runtime({ timeoutMs: 400 });
    const first = rt.start({ id: "usr_agentwide", name: "Ana" });
    await sup.waitFor((f) => f.type === "event" && f.kind === "session_started" && f.session_id === first);
    await command(first, "review_mode", { agent_id: "agt_example", enabled: true }, tg.tokens.admin);
    const later = rt.start({ id: "usr_later", name: "Leo" });
    const started = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "session_started" && f.session_id === later,
    );
    expect((started.data as { review?: unknown }).review).toEqual({ enabled: true, drafts_waiting: 0 });
    const from = sup.frames.length;
    await rt.userSays(later, "Where is my parcel?");
    const draft = await nextDraft(later, from);
    // Nobody handles it: at its deadline it is held back for good; the user got nothing.
    expect(await resolution(later, from)).toEqual({ draft_id: draft.draft_id, outcome: "expired_held" });
    expect(agentSent(later)).toEqual([]);
    rt.end(first);
    rt.end(later);
  });
});
