import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventFrame, InterventionFrame } from "../../utils/protocol/index.ts";
import { type AgentSocket, connectAgent, publish, sessionData } from "../helpers/agent-socket.ts";
import { api, connectAs, startTestGateway, type TestClient, type TestGateway } from "../helpers/gateway.ts";
import { interventionResult, sendCommand } from "../helpers/supervisor-command.ts";

let tg: TestGateway;
let sup: TestClient;
const TIMEOUT_MS = 600;
beforeAll(async () => {
  tg = await startTestGateway({ simulate: false, agentCommandTimeoutMs: TIMEOUT_MS });
  sup = await connectAs(tg, tg.tokens.supervisor);
});
afterAll(async () => {
  sup.close();
  await tg.stop();
});

let n = 0;
async function ownSession(a: AgentSocket): Promise<string> {
  const sid = `ses_agent_iv${++n}`;
  const r = await publish(a, "session_started", sid, sessionData(sid));
  expect(r.type).toBe("published");
  await sup.waitFor((f) => f.type === "event" && f.kind === "session_started" && f.session_id === sid);
  return sid;
}

const command = (action: string, sid: string, payload: Record<string, unknown> = {}) =>
  sendCommand(sup, action, sid, payload);
const resultOf = (intervention_id: string, from: number, timeoutMs = 5000) =>
  interventionResult(sup, intervention_id, from, timeoutMs);

describe("interventions reach the owning runtime", () => {
  it("pause: audited and acked, delivered with its reason, applied by the runtime and reported", async () => {
    const a = await connectAgent(tg.port);
    const sid = await ownSession(a);
    const { cmd_id, from, intervention_id } = await command("pause", sid);
    const iv = await a.waitFor<InterventionFrame>((f) => f.type === "intervention" && f.cmd_id === cmd_id);
    expect(iv).toMatchObject({
      intervention_id,
      session_id: sid,
      action: "pause",
      reason: "Supervisor test",
      payload: {},
    });
    expect(Date.parse(iv.deadline)).toBeGreaterThan(Date.now());
    // The audit record exists before the runtime has done anything.
    const audit = await api(tg, tg.tokens.supervisor, `/v1/interventions?session_id=${sid}`);
    expect(audit.body.interventions.map((i: { intervention_id: string }) => i.intervention_id)).toEqual([
      intervention_id,
    ]);
    // The runtime applies it: its own events, then its answer.
    const paused = await publish(a, "session_updated", sid, { status: "paused" });
    expect(paused.type).toBe("published");
    a.send({ type: "intervention_result", intervention_id, cmd_id, outcome: "applied" });
    const result = await resultOf(intervention_id, from);
    expect(result.data).toEqual({ intervention_id, cmd_id, action: "pause", outcome: "applied" });
    const kinds = sup.frames
      .slice(from)
      .filter((f): f is EventFrame => f.type === "event" && f.session_id === sid)
      .map((e) => e.kind);
    expect(kinds).toEqual(["intervention_triggered", "session_updated", "intervention_result"]);
    // A second answer to the same intervention is refused, not applied twice.
    a.send({ type: "intervention_result", intervention_id, outcome: "applied" });
    await a.waitFor((f) => f.type === "agent_error" && f.code === "UNKNOWN_INTERVENTION");
    a.close();
  });

  it("a runtime may refuse an intervention; the supervisors see why", async () => {
    const a = await connectAgent(tg.port);
    const sid = await ownSession(a);
    const { from, intervention_id } = await command("override", sid, { text: "Refund is on its way." });
    const iv = await a.waitFor<InterventionFrame>(
      (f) => f.type === "intervention" && f.intervention_id === intervention_id,
    );
    expect(iv.payload).toEqual({ text: "Refund is on its way." });
    a.send({
      type: "intervention_result",
      intervention_id,
      outcome: "rejected",
      detail: "Nothing to override",
    });
    const result = await resultOf(intervention_id, from);
    expect(result.data).toMatchObject({
      outcome: "rejected",
      detail: "Nothing to override",
      action: "override",
    });
    a.close();
  });

  it("another runtime of the same token cannot answer for the owner, and cobrowse stays with the gateway", async () => {
    const a = await connectAgent(tg.port, undefined, "rt-owner");
    const b = await connectAgent(tg.port, undefined, "rt-other");
    const sid = await ownSession(a);
    const { intervention_id, from } = await command("system_message", sid, {
      text: "Hello from a supervisor",
    });
    await a.waitFor((f) => f.type === "intervention" && f.intervention_id === intervention_id);
    expect(b.frames.some((f) => f.type === "intervention")).toBe(false);
    b.send({ type: "intervention_result", intervention_id, outcome: "applied" });
    await b.waitFor((f) => f.type === "agent_error" && f.code === "UNKNOWN_INTERVENTION");
    a.send({ type: "intervention_result", intervention_id, outcome: "applied" });
    await resultOf(intervention_id, from);
    const cob = await command("cobrowse_start", sid);
    await sup.waitFor(
      (f) =>
        f.type === "event" &&
        f.kind === "intervention_triggered" &&
        f.data.intervention_id === cob.intervention_id,
    );
    expect(a.frames.some((f) => f.type === "intervention" && f.intervention_id === cob.intervention_id)).toBe(
      false,
    );
    expect(tg.gateway.orgs.get("org_demo")?.state.session(sid)?.session.monitored_by).toEqual(["sup_dana"]);
    a.close();
    b.close();
  });
});

describe("a runtime offline or silent", () => {
  it("offline: the intervention waits, then fails with RUNTIME_OFFLINE at the deadline", async () => {
    const a = await connectAgent(tg.port, undefined, "rt-off");
    const sid = await ownSession(a);
    a.close();
    await a.closed;
    const { from, intervention_id } = await command("pause", sid);
    const result = await resultOf(intervention_id, from, TIMEOUT_MS + 5000);
    expect(result.data).toMatchObject({ outcome: "failed", code: "RUNTIME_OFFLINE", action: "pause" });
    expect(tg.gateway.agents.pendingCount()).toBe(0);
  });

  it("offline then back before the deadline: delivered on reconnect, after the welcome", async () => {
    const a = await connectAgent(tg.port, undefined, "rt-back");
    const sid = await ownSession(a);
    a.close();
    await a.closed;
    const { from, intervention_id } = await command("resume", sid);
    const back = await connectAgent(tg.port, undefined, "rt-back");
    const welcome = back.frames.findIndex((f) => f.type === "agent_welcome");
    expect(back.frames[welcome]).toMatchObject({ sessions: [sid] });
    const iv = await back.waitFor((f) => f.type === "intervention" && f.intervention_id === intervention_id);
    expect(back.frames.indexOf(iv)).toBeGreaterThan(welcome);
    back.send({ type: "intervention_result", intervention_id, outcome: "applied" });
    expect((await resultOf(intervention_id, from)).data).toMatchObject({ outcome: "applied" });
    back.close();
  });

  it("delivered but never answered: fails with RUNTIME_TIMEOUT", async () => {
    const a = await connectAgent(tg.port, undefined, "rt-mute");
    const sid = await ownSession(a);
    const { from, intervention_id } = await command("pause", sid);
    await a.waitFor((f) => f.type === "intervention" && f.intervention_id === intervention_id);
    const result = await resultOf(intervention_id, from, TIMEOUT_MS + 5000);
    expect(result.data).toMatchObject({ outcome: "failed", code: "RUNTIME_TIMEOUT" });
    a.close();
  });

  it("queued while the session ends: fails with SESSION_ENDED", async () => {
    const a = await connectAgent(tg.port, undefined, "rt-ends");
    const sid = await ownSession(a);
    a.close();
    await a.closed;
    const { from, intervention_id } = await command("pause", sid);
    // The runtime ends the conversation over HTTP, without taking its socket back.
    const end = await api(tg, "lc_demo_agent_token_0001", "/v1/agent/events", {
      body: {
        runtime_id: "rt-ends",
        events: [
          {
            pub_id: `end-${sid}`,
            event: {
              kind: "session_ended",
              session_id: sid,
              data: { reason: "resolved", ended_at: new Date().toISOString() },
            },
          },
        ],
      },
    });
    expect(end.body.results[0].seq).toEqual(expect.any(Number));
    const result = await resultOf(intervention_id, from);
    expect(result.data).toMatchObject({ outcome: "failed", code: "SESSION_ENDED" });
    expect(result.seq).toBeGreaterThan(end.body.results[0].seq);
  });
});
