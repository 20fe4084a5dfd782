/**
 * Review mode (issue 12): over real sockets, a supervisor switches it on for a
 * session; the simulated agent's replies are then held as drafts — streamed to
 * watchers, announced with draft_ready, but not in the transcript the gateway
 * keeps (the user side) — until approved (sent as written), edited (the edited
 * text is sent) or rejected with a reason (the agent writes a new, different
 * draft). Every action audited with its reason, idempotent, refused to a
 * viewer; a draft nobody handles follows --draft-policy at --draft-timeout-ms.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import type { DraftReady, EventFrame, Message } from "../../utils/protocol/index.ts";
import {
  api,
  connectAs,
  simOf,
  startTestGateway,
  type TestClient,
  type TestGateway,
} from "../helpers/gateway.ts";

const REASON = "New agent prompt under review";

async function send(c: TestClient, body: Record<string, unknown>) {
  const from = c.frames.length;
  c.send({ type: "command", ...body });
  return c.waitFor(
    (f) => (f.type === "ack" || f.type === "command_error") && f.cmd_id === body.cmd_id,
    5000,
    from,
  );
}
const command = (sid: string, action: string, payload: Record<string, unknown>, reason = REASON) => ({
  cmd_id: randomUUID(),
  action,
  session_id: sid,
  reason,
  payload,
});

interface Rig {
  tg: TestGateway;
  org: OrgRuntime;
  sup: TestClient;
}
async function rig(opts: Parameters<typeof startTestGateway>[0]): Promise<Rig> {
  const tg = await startTestGateway({ manualClock: true, simulate: false, tokensPerSecond: 50, ...opts });
  const org = tg.gateway.orgs.get("org_demo");
  if (!org) throw new Error("no org");
  return { tg, org, sup: await connectAs(tg, tg.tokens.supervisor) };
}
/** Advances the manual clock until `pred` holds (at most 2 simulated minutes). */
function advanceUntil(r: Rig, pred: () => boolean): void {
  for (let t = 0; t < 120_000 && !pred(); t += 50) r.tg.gateway.clock.advance(50);
  if (!pred()) throw new Error("condition not reached in 2 simulated minutes");
}
const agentMessages = (r: Rig, sid: string): Message[] =>
  (r.org.state.session(sid)?.messages ?? []).filter((m) => m.role === "agent");
const waiting = (r: Rig, sid: string) => r.org.state.session(sid)?.session.review?.drafts_waiting ?? 0;

/** A session in review mode with one draft waiting; returns the draft as announced. */
async function draftWaiting(r: Rig, userSays = "Where is my order?") {
  const s = simOf(r.tg.gateway).spawn({ channel: "web", auto: false });
  const sid = s.id;
  r.sup.send({ type: "watch", session_ids: [sid] });
  const on = await send(r.sup, command(sid, "review_mode", { enabled: true }));
  expect(on.type).toBe("ack");
  await r.sup.waitFor(
    (f) => f.type === "event" && f.kind === "intervention_result" && f.session_id === sid,
    5000,
  );
  expect(r.org.state.session(sid)?.session.review).toEqual({ enabled: true, drafts_waiting: 0 });
  const from = r.sup.frames.length;
  s.userMessage(userSays);
  advanceUntil(r, () => waiting(r, sid) === 1);
  const ready = await r.sup.waitFor<EventFrame>(
    (f) => f.type === "event" && f.kind === "draft_ready" && f.session_id === sid,
    5000,
    from,
  );
  return { s, sid, from, draft: ready.data as DraftReady };
}

describe("review mode", () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig({ draftTimeoutMs: 600_000, commandBurst: 50, commandsPerMinute: 600 });
  });
  afterAll(async () => {
    expect(r.sup.errors).toEqual([]);
    r.sup.close();
    await r.tg.stop();
  });

  it("holds the reply as a draft — streamed to watchers, not in the user's transcript — until approved", async () => {
    const { sid, from, draft } = await draftWaiting(r);
    // It streamed into the panel like any reply (deltas for its message id)…
    const deltas = r.sup.frames.filter(
      (f) => f.type === "delta" && f.message_id === draft.message_id && r.sup.frames.indexOf(f) >= from,
    );
    expect(deltas.map((d) => (d as { text: string }).text).join("")).toBe(draft.text);
    // …but the user side has no reply.
    expect(agentMessages(r, sid)).toEqual([]);
    const before = await api(r.tg, r.tg.tokens.supervisor, `/v1/sessions/${sid}`);
    expect((before.body.messages as Message[]).some((m) => m.role === "agent")).toBe(false);
    expect(Date.parse(draft.expires_at) - Date.parse(draft.created_at)).toBe(600_000);

    const body = command(sid, "approve_draft", { draft_id: draft.draft_id }, "Checked: the answer is right");
    const ack = await send(r.sup, body);
    expect(ack.type).toBe("ack");
    const resolved = await r.sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "draft_resolved" && f.session_id === sid,
      5000,
      from,
    );
    expect(resolved.data).toEqual({ draft_id: draft.draft_id, outcome: "approved", by: "sup_dana" });
    const after = await api(r.tg, r.tg.tokens.supervisor, `/v1/sessions/${sid}`);
    const sent = (after.body.messages as Message[]).filter((m) => m.role === "agent");
    expect(sent.map((m) => [m.id, m.text])).toEqual([[draft.message_id, draft.text]]);
    expect(r.org.state.session(sid)?.session.review).toEqual({ enabled: true, drafts_waiting: 0 });
    // Audited with its reason; the same cmd_id again is the same ack, and nothing more is sent.
    const again = await send(r.sup, body);
    expect(again).toMatchObject({
      type: "ack",
      intervention_id: (ack as { intervention_id: string }).intervention_id,
    });
    const audit = await api(r.tg, r.tg.tokens.supervisor, `/v1/interventions?session_id=${sid}`);
    expect(audit.body.interventions).toMatchObject([
      { type: "review_mode", reason: REASON, payload: { enabled: true }, admin_id: "sup_dana" },
      {
        type: "approve_draft",
        reason: "Checked: the answer is right",
        payload: { draft_id: draft.draft_id },
      },
    ]);
    // Resolved already: a second approval (a new command) is a conflict, not a second message.
    const late = await send(r.sup, command(sid, "approve_draft", { draft_id: draft.draft_id }));
    expect(late).toMatchObject({ type: "command_error", code: "CONFLICT" });
    expect(agentMessages(r, sid)).toHaveLength(1);
  });

  it("sends the edited text instead of the draft", async () => {
    const { sid, from, draft } = await draftWaiting(r);
    const edited = "Your parcel is with the courier and arrives tomorrow.";
    const body = command(sid, "approve_draft", { draft_id: draft.draft_id, text: edited }, "Tone it down");
    const ack = await send(r.sup, body);
    expect(ack.type).toBe("ack");
    const resolved = await r.sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "draft_resolved" && f.session_id === sid,
      5000,
      from,
    );
    expect(resolved.data).toMatchObject({ outcome: "edited", by: "sup_dana" });
    expect(agentMessages(r, sid).map((m) => m.text)).toEqual([edited]);
    // Audited as an edit with the supervisor's reason and both texts (issue 24): the draft the agent wrote
    // (`original_text`, added by the gateway from its own state) and the text sent.
    const log = await api(r.tg, r.tg.tokens.supervisor, `/v1/interventions?session_id=${sid}`);
    const record = (log.body.interventions as { type: string; reason: string; payload: unknown }[]).find(
      (i) => i.type === "approve_draft",
    );
    expect(record).toMatchObject({
      reason: "Tone it down",
      payload: { draft_id: draft.draft_id, text: edited, original_text: draft.text },
    });
    // The same command again (a resend after a lost ack) gets its first answer, not IDEMPOTENCY_MISMATCH.
    const resent = await send(r.sup, body);
    expect(resent).toMatchObject({
      type: "ack",
      intervention_id: (ack as { intervention_id: string }).intervention_id,
    });
  });

  it("rejects with a reason: the agent writes another, visibly different draft; nothing reaches the user", async () => {
    const { sid, from, draft } = await draftWaiting(r);
    const ack = await send(
      r.sup,
      command(sid, "reject_draft", { draft_id: draft.draft_id }, "Do not promise a delivery date"),
    );
    expect(ack.type).toBe("ack");
    const resolved = await r.sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "draft_resolved" && f.session_id === sid,
      5000,
      from,
    );
    expect(resolved.data).toMatchObject({ draft_id: draft.draft_id, outcome: "rejected", by: "sup_dana" });
    advanceUntil(r, () => waiting(r, sid) === 1);
    const next = await r.sup.waitFor<EventFrame>(
      (f) =>
        f.type === "event" && f.kind === "draft_ready" && (f.data as DraftReady).draft_id !== draft.draft_id,
      5000,
      from,
    );
    const second = next.data as DraftReady;
    expect(second.text).toMatch(/^Let me put that another way\. /);
    expect(second.text).not.toBe(draft.text);
    expect(agentMessages(r, sid)).toEqual([]);
    const audit = await api(r.tg, r.tg.tokens.supervisor, `/v1/interventions?session_id=${sid}`);
    expect(audit.body.interventions.at(-1)).toMatchObject({
      type: "reject_draft",
      reason: "Do not promise a delivery date",
      payload: { draft_id: draft.draft_id },
    });
  });

  it("is refused to a viewer (audited as refused) and checks its payload", async () => {
    const { sid, draft } = await draftWaiting(r);
    const viewer = await connectAs(r.tg, r.tg.tokens.viewer);
    for (const body of [
      command(sid, "approve_draft", { draft_id: draft.draft_id }),
      command(sid, "reject_draft", { draft_id: draft.draft_id }),
      command(sid, "review_mode", { enabled: false }),
    ])
      expect(await send(viewer, body)).toMatchObject({ type: "command_error", code: "FORBIDDEN" });
    viewer.close();
    const refused = r.tg.gateway.audit
      .list("org_demo", { limit: 10_000, includeRefused: true })
      .filter((x) => x.session_id === sid && x.outcome === "refused:FORBIDDEN");
    expect(refused.map((x) => x.type).sort()).toEqual(["approve_draft", "reject_draft", "review_mode"]);
    expect(await send(r.sup, command(sid, "review_mode", {}))).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await send(r.sup, command(sid, "approve_draft", {}))).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(
      await send(r.sup, command(sid, "approve_draft", { draft_id: draft.draft_id, text: " " })),
    ).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await send(r.sup, command(sid, "reject_draft", { draft_id: draft.draft_id }, ""))).toMatchObject({
      code: "REASON_REQUIRED",
    });
    expect(await send(r.sup, command(sid, "reject_draft", { draft_id: "drf_nope" }))).toMatchObject({
      code: "CONFLICT",
    });
    expect(waiting(r, sid)).toBe(1);
    expect(agentMessages(r, sid)).toEqual([]);
  });

  it("per agent: admins only; the agent's open and later sessions hold their replies", async () => {
    const open = simOf(r.tg.gateway).spawn({ channel: "web", auto: false, agentId: "agt_sales" });
    const admin = await connectAs(r.tg, r.tg.tokens.admin);
    const perAgent = (enabled: boolean) =>
      command(open.id, "review_mode", { agent_id: "agt_sales", enabled }, "Sales prompt changed today");
    const bySup = await send(r.sup, perAgent(true));
    expect(bySup).toMatchObject({ type: "command_error", code: "FORBIDDEN" });
    const refused = r.tg.gateway.audit
      .list("org_demo", { limit: 10_000, includeRefused: true })
      .filter((x) => x.session_id === open.id);
    expect(refused).toMatchObject([
      { type: "review_mode", outcome: "refused:FORBIDDEN", admin_id: "sup_dana" },
    ]);
    expect(
      await send(admin, command(open.id, "review_mode", { agent_id: "agt_nobody", enabled: true })),
    ).toMatchObject({ code: "VALIDATION_FAILED" });
    const on = await send(admin, perAgent(true));
    expect(on.type).toBe("ack");
    await admin.waitFor(
      (f) =>
        f.type === "event" &&
        f.kind === "intervention_result" &&
        (f.data as { cmd_id?: string }).cmd_id === (on as { cmd_id: string }).cmd_id,
      5000,
    );
    expect(r.org.state.session(open.id)?.session.review?.enabled).toBe(true);
    // A session the agent starts later is reviewed from its start.
    const later = simOf(r.tg.gateway).spawn({ channel: "web", auto: false, agentId: "agt_sales" });
    advanceUntil(r, () => r.org.state.session(later.id)?.session.review?.enabled === true);
    later.userMessage("Do you have a discount for teams?");
    advanceUntil(r, () => waiting(r, later.id) === 1);
    expect(agentMessages(r, later.id)).toEqual([]);
    // Another agent's sessions are not.
    const other = simOf(r.tg.gateway).spawn({ channel: "web", auto: false, agentId: "agt_support" });
    other.userMessage("Hello?");
    advanceUntil(r, () => agentMessages(r, other.id).length === 1);
    expect(await send(admin, perAgent(false))).toMatchObject({ type: "ack" });
    admin.close();
  });

  it("switched off, replies are sent again at once", async () => {
    const { s, sid, draft } = await draftWaiting(r);
    await send(r.sup, command(sid, "approve_draft", { draft_id: draft.draft_id }));
    const off = await send(r.sup, command(sid, "review_mode", { enabled: false }, "Prompt looks fine now"));
    expect(off.type).toBe("ack");
    await r.sup.waitFor(
      (f) =>
        f.type === "event" &&
        f.kind === "intervention_result" &&
        (f.data as { cmd_id?: string }).cmd_id === (off as { cmd_id: string }).cmd_id,
      5000,
    );
    expect(r.org.state.session(sid)?.session.review?.enabled).toBe(false);
    s.userMessage("And can I change the address?");
    advanceUntil(r, () => agentMessages(r, sid).length === 2);
    expect(waiting(r, sid)).toBe(0);
  });
});

describe("review mode: an unhandled draft follows the policy", () => {
  for (const policy of ["send", "hold"] as const)
    it(`--draft-policy ${policy}`, async () => {
      const r = await rig({ draftTimeoutMs: 5000, draftPolicy: policy });
      try {
        const { sid, from, draft } = await draftWaiting(r);
        advanceUntil(r, () => waiting(r, sid) === 0);
        const resolved = await r.sup.waitFor<EventFrame>(
          (f) => f.type === "event" && f.kind === "draft_resolved" && f.session_id === sid,
          5000,
          from,
        );
        expect(resolved.data).toEqual({
          draft_id: draft.draft_id,
          outcome: `expired_${policy === "send" ? "sent" : "held"}`,
        });
        expect(agentMessages(r, sid).map((m) => m.text)).toEqual(policy === "send" ? [draft.text] : []);
      } finally {
        r.sup.close();
        await r.tg.stop();
      }
    });
});
