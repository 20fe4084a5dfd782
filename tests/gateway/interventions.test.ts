import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import type { Simulation } from "../../gateway/sim/simulation.ts";
import type { DeltaFrame, EventFrame, Message } from "../../utils/protocol/index.ts";
import {
  api,
  connectAs,
  simOf,
  startTestGateway,
  type TestClient,
  type TestGateway,
} from "../helpers/gateway.ts";
import { sendCommand } from "../helpers/supervisor-command.ts";

let tg: TestGateway;
let org: OrgRuntime;
let sim: Simulation;
let admin: TestClient;
let sup: TestClient;

beforeAll(async () => {
  tg = await startTestGateway({ manualClock: true, simulate: false, tokensPerSecond: 10 });
  const o = tg.gateway.orgs.get("org_demo");
  if (!o) throw new Error("no org");
  org = o;
  sim = simOf(tg.gateway);
  admin = await connectAs(tg, tg.tokens.admin);
  sup = await connectAs(tg, tg.tokens.supervisor);
});
afterAll(async () => {
  expect(admin.errors).toEqual([]);
  expect(sup.errors).toEqual([]);
  admin.close();
  sup.close();
  await tg.stop();
});

/** Advances the manual clock in small steps until `pred` holds (at most 2 simulated minutes). */
function advanceUntil(pred: () => boolean): void {
  for (let t = 0; t < 120_000 && !pred(); t += 50) tg.gateway.clock.advance(50);
  if (!pred()) throw new Error("condition not reached in 2 simulated minutes");
}
const eventsOf = (c: TestClient, sid: string, from = 0) =>
  c.frames.slice(from).filter((f): f is EventFrame => f.type === "event" && f.session_id === sid);
const agentMessages = (sid: string) =>
  org.state.session(sid)?.messages.filter((m) => m.role === "agent") ?? [];

/**
 * Resolves once the server has answered a ping sent now: it handles a client's frames in order and
 * sends everything through one queue, so every frame it queued before (events, deltas) has arrived.
 */
async function roundTrip(c: TestClient) {
  const id = randomUUID();
  c.send({ type: "ping", id });
  await c.waitFor((f) => f.type === "pong" && f.id === id);
}

/** Waits until the client has received every event emitted so far. */
async function catchUp(c: TestClient) {
  const last = org.state.log.lastSeq();
  await c.waitFor((f) => f.type === "event" && f.seq === last);
}

async function command(c: TestClient, action: string, sid: string, payload: Record<string, unknown> = {}) {
  await catchUp(c);
  const { cmd_id, from } = await sendCommand(c, action, sid, payload);
  const trig = await c.waitFor<EventFrame>(
    (f) =>
      f.type === "event" &&
      f.kind === "intervention_triggered" &&
      (f.data as { cmd_id: string }).cmd_id === cmd_id,
    5000,
    from,
  );
  return { from, trig };
}

async function streamingSession() {
  const s = sim.spawn({ channel: "web", auto: false });
  admin.send({ type: "watch", session_ids: [s.id] });
  // The pong proves the server has applied the watch set (frames are handled in order).
  await roundTrip(admin);
  s.userMessage("Where is my order?");
  advanceUntil(() => org.state.session(s.id)?.session.status === "streaming");
  return s;
}

describe("interventions change the simulated conversation", () => {
  it("pause cancels the in-flight reply and nothing is sent until resume; resume continues", async () => {
    const s = await streamingSession();
    const cancelled = s.replyId;
    tg.gateway.clock.advance(300);
    const planned = await admin.waitFor<DeltaFrame>((f) => f.type === "delta" && f.message_id === cancelled);
    const { from, trig } = await command(sup, "pause", s.id);
    expect(trig.data).toMatchObject({
      type: "pause",
      session_id: s.id,
      admin_id: "sup_dana",
      reason: "Supervisor test",
    });
    // The simulated agents are a runtime: they apply it, and their acknowledgement follows (intervention_result).
    const evs = eventsOf(sup, s.id, from).filter((e) => e.kind !== "intervention_result");
    expect(evs.map((e) => e.kind)).toEqual(["session_updated", "message_sent", "intervention_triggered"]);
    const result = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "intervention_result" && f.session_id === s.id,
      5000,
      from,
    );
    expect(result.data).toMatchObject({
      intervention_id: trig.data.intervention_id,
      action: "pause",
      outcome: "applied",
    });
    expect(evs[1]?.data).toMatchObject({ role: "system", system_kind: "paused" });
    expect(org.state.session(s.id)?.session.status).toBe("paused");
    const before = agentMessages(s.id).length;
    s.userMessage("Hello? Anyone there?");
    tg.gateway.clock.advance(60_000);
    expect(agentMessages(s.id).length).toBe(before);
    expect(agentMessages(s.id).some((m) => m.id === cancelled)).toBe(false);
    const { from: f2 } = await command(sup, "resume", s.id);
    advanceUntil(() => agentMessages(s.id).length > before);
    const reply = agentMessages(s.id).at(-1) as Message;
    expect(reply.overridden).toBeUndefined();
    // The agent gives the answer it was giving when paused.
    expect(reply.text.startsWith(planned.text)).toBe(true);
    const sent = await admin.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "message_sent" && (f.data as Message).id === reply.id,
    );
    const deltas = admin.frames.filter(
      (f): f is DeltaFrame => f.type === "delta" && f.message_id === reply.id,
    );
    expect(deltas.map((d) => d.text).join("")).toBe((sent.data as Message).text);
    expect(
      eventsOf(sup, s.id, f2).some(
        (e) => e.kind === "message_sent" && (e.data as Message).system_kind === "resumed",
      ),
    ).toBe(true);
  });

  it("override replaces the streaming reply: same message id, overridden:true, the original discarded", async () => {
    const s = await streamingSession();
    const mid = s.replyId;
    const { from } = await command(sup, "override", s.id, { text: "Your parcel arrives tomorrow." });
    const sent = eventsOf(sup, s.id, from).find((e) => e.kind === "message_sent");
    expect(sent?.data).toMatchObject({
      id: mid,
      role: "agent",
      text: "Your parcel arrives tomorrow.",
      overridden: true,
    });
    expect(agentMessages(s.id).find((m) => m.id === mid)?.text).toBe("Your parcel arrives tomorrow.");
    const n = admin.frames.length;
    tg.gateway.clock.advance(10_000);
    // Any delta those 10 s produced was queued before the pong.
    await roundTrip(admin);
    expect(admin.frames.slice(n).some((f) => f.type === "delta" && f.message_id === mid)).toBe(false);
  });

  it("override with nothing pending replaces the next reply", async () => {
    const s = sim.spawn({ channel: "telegram", auto: false });
    await command(sup, "override", s.id, { text: "A supervisor wrote this." });
    s.userMessage("Can I get a refund?");
    advanceUntil(() => agentMessages(s.id).length > 0);
    expect(agentMessages(s.id)[0]).toMatchObject({ text: "A supervisor wrote this.", overridden: true });
  });

  it("system_message reaches the transcript", async () => {
    const s = sim.spawn({ channel: "whatsapp", auto: false });
    await command(admin, "system_message", s.id, { text: "A specialist will join shortly." });
    const r = await api(tg, tg.tokens.viewer, `/v1/sessions/${s.id}`);
    expect(r.body.messages.at(-1)).toMatchObject({
      role: "system",
      system_kind: "notice",
      text: "A specialist will join shortly.",
    });
  });

  it("transfer to another agent keeps the transcript and the new agent answers", async () => {
    const s = await streamingSession();
    const count = org.state.session(s.id)?.messages.length ?? 0;
    await command(sup, "transfer", s.id, { agent_id: "agt_billing" });
    const entry = org.state.session(s.id);
    expect(entry?.session.agent.id).toBe("agt_billing");
    expect(entry?.messages.length).toBe(count + 1);
    expect(entry?.messages.at(-1)).toMatchObject({ system_kind: "agent_transferred" });
    advanceUntil(() => agentMessages(s.id).length > 0);
  });

  it("transfer to the human queue stops agent replies", async () => {
    const s = sim.spawn({ channel: "sip", auto: false });
    await command(sup, "transfer", s.id, { queue: "human" });
    expect(org.state.session(s.id)?.session).toMatchObject({
      status: "transferring",
      agent: { id: "queue_human" },
    });
    s.userMessage("Hello?");
    tg.gateway.clock.advance(60_000);
    expect(agentMessages(s.id)).toHaveLength(0);
  });

  it("cobrowse is silent for the participants; monitored_by is visible to admins only", async () => {
    const s = sim.spawn({ channel: "mobile_sdk", auto: false });
    const count = org.state.session(s.id)?.messages.length;
    const { from } = await command(admin, "cobrowse_start", s.id);
    expect(org.state.session(s.id)?.messages.length).toBe(count);
    const forAdmin = eventsOf(admin, s.id, from).find((e) => e.kind === "session_updated");
    expect(forAdmin?.data).toEqual({ monitored_by: ["adm_riley"] });
    await sup.waitFor(
      (f) => f.type === "event" && f.kind === "intervention_triggered" && f.session_id === s.id,
    );
    const forSup = eventsOf(sup, s.id).find((e) => e.kind === "session_updated");
    expect(forSup?.data).toEqual({});
    expect((await api(tg, tg.tokens.admin, `/v1/sessions/${s.id}`)).body.session.monitored_by).toEqual([
      "adm_riley",
    ]);
    expect(
      (await api(tg, tg.tokens.supervisor, `/v1/sessions/${s.id}`)).body.session.monitored_by,
    ).toBeUndefined();
    const snap = (await api(tg, tg.tokens.supervisor, "/v1/snapshot")).body;
    expect(snap.sessions.every((x: { monitored_by?: unknown }) => x.monitored_by === undefined)).toBe(true);
    await command(admin, "cobrowse_stop", s.id);
    expect(org.state.session(s.id)?.session.monitored_by).toEqual([]);
  });

  it("refuses commands for ended sessions", async () => {
    const s = sim.spawn({ auto: false });
    s.end("resolved");
    const cmd_id = randomUUID();
    sup.send({ type: "command", cmd_id, action: "pause", session_id: s.id, reason: "Too late now" });
    const err = await sup.waitFor((f) => f.type === "command_error" && f.cmd_id === cmd_id);
    expect(err).toMatchObject({ code: "SESSION_ENDED" });
  });
});
