/**
 * Transfers that land (issue 24), over real sockets: a transfer to the human
 * queue makes the session wait (`human_queue` waiting, with its give-up time)
 * and ends "transferring" once a person picks it up (the simulated queue, or a
 * runtime / CRM through the agent API) or once nobody did within
 * --human-queue-timeout-ms (the gateway announces `expired`). A transfer to an
 * agent shows the new agent at once.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  type AgentClient,
  createAgentClient,
  postHumanQueue,
  type WebSocketCtor,
} from "../../agent-client/index.ts";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import type { Simulation } from "../../gateway/sim/simulation.ts";
import type { EventFrame, HumanQueueState } from "../../utils/protocol/index.ts";
import { DEMO_AGENT_TOKEN, EXAMPLE_AGENT } from "../helpers/agent-socket.ts";
import { connectAs, simOf, startTestGateway, type TestClient, type TestGateway } from "../helpers/gateway.ts";

const TIMEOUT_MS = 60_000;
let tg: TestGateway;
let org: OrgRuntime;
let sim: Simulation;
let sup: TestClient;
const clients: AgentClient[] = [];

beforeAll(async () => {
  tg = await startTestGateway({ manualClock: true, simulate: false, humanQueueTimeoutMs: TIMEOUT_MS });
  const o = tg.gateway.orgs.get("org_demo");
  if (!o) throw new Error("no org");
  org = o;
  sim = simOf(tg.gateway);
  sup = await connectAs(tg, tg.tokens.supervisor);
});
afterAll(async () => {
  for (const c of clients) c.close();
  expect(sup.errors).toEqual([]);
  sup.close();
  await tg.stop();
});

async function command(sid: string, action: string, payload: Record<string, unknown>) {
  const cmd_id = randomUUID();
  const from = sup.frames.length;
  sup.send({ type: "command", cmd_id, action, session_id: sid, reason: "Needs a person", payload });
  const a = await sup.waitFor((f) => (f.type === "ack" || f.type === "command_error") && f.cmd_id === cmd_id);
  expect(a.type).toBe("ack");
  return from;
}
const queueEvent = (sid: string, status: string, from = 0) =>
  sup.waitFor<EventFrame>(
    (f) =>
      f.type === "event" &&
      f.kind === "human_queue" &&
      f.session_id === sid &&
      (f.data as HumanQueueState).status === status,
    5000,
    from,
  );
const session = (sid: string) => org.state.session(sid)?.session;
function advance(ms: number): void {
  for (let t = 0; t < ms; t += 500) tg.gateway.clock.advance(500);
}

describe("the human queue", () => {
  it("a simulated session waits, then a person picks it up: who, and Transferring… ends", async () => {
    const s = sim.spawn({ channel: "web", auto: false, humanPickupMs: 42_000 });
    const from = await command(s.id, "transfer", { queue: "human" });
    const waiting = await queueEvent(s.id, "waiting", from);
    const w = waiting.data as HumanQueueState;
    expect(Date.parse(w.expires_at ?? "") - Date.parse(w.queued_at ?? "")).toBe(TIMEOUT_MS);
    expect(session(s.id)).toMatchObject({ status: "transferring", agent: { name: "Human queue" } });
    advance(42_000);
    const picked = await queueEvent(s.id, "picked_up", from);
    const by = (picked.data as HumanQueueState).by;
    expect(by?.name).toMatch(/\w+ \w+/);
    expect(session(s.id)?.status).toBe("active");
    expect(session(s.id)?.human_queue).toMatchObject({ status: "picked_up", queued_at: w.queued_at, by });
    // Nothing expires later: the give-up timer went with the pick-up.
    advance(TIMEOUT_MS);
    expect(
      sup.frames
        .slice(from)
        .some(
          (f) =>
            f.type === "event" &&
            f.kind === "human_queue" &&
            (f.data as HumanQueueState).status === "expired" &&
            f.session_id === s.id,
        ),
    ).toBe(false);
    s.end("resolved");
  });

  it("nobody picks it up in time: the gateway announces expired and the agent carries on", async () => {
    const s = sim.spawn({ channel: "web", auto: false, humanPickupMs: null, agentId: "agt_sales" });
    const from = await command(s.id, "transfer", { queue: "human" });
    await queueEvent(s.id, "waiting", from);
    advance(TIMEOUT_MS - 1000);
    expect(session(s.id)?.human_queue?.status).toBe("waiting");
    advance(1000);
    const expired = await queueEvent(s.id, "expired", from);
    expect(expired.seq).toBeGreaterThan(0);
    expect(session(s.id)).toMatchObject({ status: "active", agent: { id: "agt_sales" } });
    expect(session(s.id)?.human_queue?.status).toBe("expired");
    s.end("resolved");
  });

  it("a transfer to another agent shows the new agent at once, takes it out of the queue, and is active once it replies", async () => {
    const s = sim.spawn({ channel: "web", auto: false, humanPickupMs: null });
    const from = await command(s.id, "transfer", { queue: "human" });
    await queueEvent(s.id, "waiting", from);
    const from2 = await command(s.id, "transfer", { agent_id: "agt_billing" });
    await sup.waitFor(
      (f) =>
        f.type === "event" &&
        f.kind === "session_updated" &&
        f.session_id === s.id &&
        (f.data as { agent?: { id: string } }).agent?.id === "agt_billing",
      5000,
      from2,
    );
    expect(session(s.id)).toMatchObject({
      status: "transferring",
      agent: { id: "agt_billing" },
      human_queue: null,
    });
    // The new agent's first reply ends the transfer.
    const before = sup.frames.length;
    s.userMessage("Hello, anyone there?");
    for (let i = 0; i < 120 && session(s.id)?.status !== "active"; i++) advance(500);
    await sup.waitFor(
      (f) =>
        f.type === "event" &&
        f.kind === "message_sent" &&
        f.session_id === s.id &&
        (f.data as { role?: string }).role === "agent",
      5000,
      before,
    );
    expect(session(s.id)).toMatchObject({ status: "active", agent: { id: "agt_billing" } });
    advance(TIMEOUT_MS);
    expect(session(s.id)?.human_queue).toBeNull();
    s.end("resolved");
  });

  it("a runtime of the team's own: the gateway queues its transfer, the runtime and a CRM report the pick-up", async () => {
    const agent = createAgentClient({
      url: tg.url,
      token: DEMO_AGENT_TOKEN,
      WebSocket: WebSocket as unknown as WebSocketCtor,
      backoff: { minMs: 20, maxMs: 100 },
    });
    clients.push(agent);
    // The runtime applies the transfer (its own way) without saying the session waits.
    agent.onIntervention((iv) => {
      if (iv.action === "transfer") void agent.updateSession(iv.session_id, { status: "transferring" });
      return { outcome: "applied" };
    });
    const sid = agent.startSession({
      agent: EXAMPLE_AGENT,
      channel: "web",
      user: { id: "u_q", name: "Ana" },
    });
    await agent.idle();
    const from = await command(sid, "transfer", { queue: "human" });
    const waiting = await queueEvent(sid, "waiting", from);
    expect((waiting.data as HumanQueueState).expires_at).toBeDefined();
    expect(session(sid)?.status).toBe("transferring");
    // A CRM learns of the pick-up and reports it over HTTP with an agent token.
    const r = await postHumanQueue({ url: tg.url, token: DEMO_AGENT_TOKEN }, sid, {
      status: "picked_up",
      by: { id: "crm_77", name: "Rosa Diaz" },
    });
    expect(r.ok).toBe(true);
    const picked = await queueEvent(sid, "picked_up", from);
    expect((picked.data as HumanQueueState).by).toEqual({ id: "crm_77", name: "Rosa Diaz" });
    expect(session(sid)?.status).toBe("active");
    // The report claimed nothing: the conversation is still the runtime's, which applies the next intervention.
    const iv = await command(sid, "system_message", { text: "A colleague is with you now." });
    const result = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "intervention_result" && f.session_id === sid,
      5000,
      iv,
    );
    expect(result.data).toMatchObject({ action: "system_message", outcome: "applied" });
    // Bad input: a status the protocol does not know is refused with the field named.
    const bad = await fetch(`${tg.url}/v1/agent/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${DEMO_AGENT_TOKEN}` },
      body: JSON.stringify({
        pub_id: "hq_bad",
        event: {
          kind: "human_queue",
          session_id: sid,
          data: { status: "lost", at: new Date().toISOString() },
        },
      }),
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { path: string } }).error.path).toBe("event.data.status");
    // The runtime's own link: it puts the session back in the queue and reports it picked up.
    const again = sup.frames.length;
    expect((await agent.humanQueue(sid, { status: "waiting" })).ok).toBe(true);
    await queueEvent(sid, "waiting", again);
    expect(
      (await agent.humanQueue(sid, { status: "picked_up", by: { id: "hum_x", name: "Lee Chan" } })).ok,
    ).toBe(true);
    await queueEvent(sid, "picked_up", again);
    expect(session(sid)?.human_queue).toMatchObject({ status: "picked_up", by: { name: "Lee Chan" } });
    await agent.endSession(sid, "resolved");
  });
});
