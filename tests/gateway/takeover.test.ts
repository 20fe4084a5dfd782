/**
 * Take-over (issue 12) over real sockets: a lock held by one supervisor at a
 * time (a second gets CONFLICT naming the holder, on the socket and over
 * HTTP); the simulated agent runtime stays silent while it is held, the
 * holder's replies reach the transcript with role `supervisor`; hand-back
 * resumes the agent with those replies in its context; a lock idle for
 * `takeoverIdleMs` (manual clock) is released by an audited hand_back.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import type { Simulation } from "../../gateway/sim/simulation.ts";
import type { EventFrame, Message } from "../../utils/protocol/index.ts";
import {
  api,
  connectAs,
  simOf,
  startTestGateway,
  type TestClient,
  type TestGateway,
} from "../helpers/gateway.ts";

const IDLE_MS = 60_000;
let tg: TestGateway;
let org: OrgRuntime;
let sim: Simulation;
let sup: TestClient;
let admin: TestClient;

beforeAll(async () => {
  tg = await startTestGateway({
    manualClock: true,
    simulate: false,
    tokensPerSecond: 50,
    takeoverIdleMs: IDLE_MS,
    commandBurst: 100,
    commandsPerMinute: 600,
  });
  const o = tg.gateway.orgs.get("org_demo");
  if (!o) throw new Error("no org");
  org = o;
  sim = simOf(tg.gateway);
  sup = await connectAs(tg, tg.tokens.supervisor);
  admin = await connectAs(tg, tg.tokens.admin);
});
afterAll(async () => {
  expect(sup.errors).toEqual([]);
  expect(admin.errors).toEqual([]);
  sup.close();
  admin.close();
  await tg.stop();
});

function advanceUntil(pred: () => boolean, limit = 120_000): void {
  for (let t = 0; t < limit && !pred(); t += 50) tg.gateway.clock.advance(50);
  if (!pred()) throw new Error(`condition not reached in ${limit / 1000} simulated seconds`);
}
const messagesOf = (sid: string): Message[] => org.state.session(sid)?.messages ?? [];
const agentCount = (sid: string) => messagesOf(sid).filter((m) => m.role === "agent").length;

async function command(
  c: TestClient,
  action: string,
  sid: string,
  payload: Record<string, unknown> = {},
  cmd_id = randomUUID(),
) {
  const from = c.frames.length;
  c.send({ type: "command", cmd_id, action, session_id: sid, reason: `Take-over test: ${action}`, payload });
  return c.waitFor(
    (f) => (f.type === "ack" || f.type === "command_error") && f.cmd_id === cmd_id,
    5000,
    from,
  ) as Promise<Record<string, unknown>>;
}
/** Waits for the runtime's answer to an acked command. */
const applied = (c: TestClient, cmdId: string) =>
  c.waitFor<EventFrame>(
    (f) =>
      f.type === "event" &&
      f.kind === "intervention_result" &&
      (f.data as { cmd_id?: string }).cmd_id === cmdId,
    5000,
  );

describe("take over", () => {
  it("one holder at a time: a second supervisor gets CONFLICT naming the holder", async () => {
    const s = sim.spawn({ channel: "web", auto: false });
    s.userMessage("Where is my parcel?");
    advanceUntil(() => org.state.session(s.id)?.session.status === "streaming");
    const took = await command(sup, "take_over", s.id, {}, randomUUID());
    expect(took.type).toBe("ack");
    const updated = await sup.waitFor<EventFrame>(
      (f) =>
        f.type === "event" &&
        f.kind === "session_updated" &&
        f.session_id === s.id &&
        (f.data as { taken_over_by?: unknown }).taken_over_by !== undefined,
      5000,
    );
    expect(updated.data).toMatchObject({ taken_over_by: { id: "sup_dana", name: "Dana Supervisor" } });
    expect(org.state.session(s.id)?.session.taken_over_by).toMatchObject({ id: "sup_dana" });

    // The second supervisor: refused on the socket and over HTTP, with the holder named.
    const second = await command(admin, "take_over", s.id);
    expect(second).toMatchObject({
      type: "command_error",
      code: "CONFLICT",
      holder: { id: "sup_dana", name: "Dana Supervisor" },
    });
    expect(String(second.message)).toContain("Dana Supervisor");
    const http = await api(tg, tg.tokens.admin, "/v1/commands", {
      body: { cmd_id: randomUUID(), action: "take_over", session_id: s.id, reason: "Me too", payload: {} },
    });
    expect(http.status).toBe(409);
    expect(http.body.error).toMatchObject({ code: "CONFLICT", holder: { id: "sup_dana" } });
    // Neither may the second reply nor hand back.
    expect(await command(admin, "takeover_reply", s.id, { text: "Hi" })).toMatchObject({ code: "CONFLICT" });
    expect(await command(admin, "hand_back", s.id)).toMatchObject({ code: "CONFLICT" });
    // The holder taking over again is fine (nothing changes).
    expect((await command(sup, "take_over", s.id)).type).toBe("ack");
  });

  it("the agent is silent while held, the holder's replies are supervisor messages; hand back resumes it with them in context", async () => {
    const s = sim.spawn({ channel: "web", auto: false });
    s.userMessage("I need to change my order.");
    advanceUntil(() => agentCount(s.id) >= 1);
    const take = randomUUID();
    expect((await command(sup, "take_over", s.id, {}, take)).type).toBe("ack");
    await applied(sup, take);
    const before = agentCount(s.id);
    s.userMessage("Hello? Who is this?");
    tg.gateway.clock.advance(30_000);
    expect(agentCount(s.id)).toBe(before); // the agent stayed silent

    const replyId = randomUUID();
    const text = "Hi, this is Dana from the support team — I have changed the order for you.";
    expect((await command(sup, "takeover_reply", s.id, { text }, replyId)).type).toBe("ack");
    await applied(sup, replyId);
    expect(messagesOf(s.id).filter((m) => m.role === "supervisor")).toMatchObject([{ text }]);
    expect(agentCount(s.id)).toBe(before);

    // Without the lock, a reply is refused (nobody holds it) — after hand back.
    const back = randomUUID();
    expect((await command(sup, "hand_back", s.id, {}, back)).type).toBe("ack");
    await applied(sup, back);
    expect(org.state.session(s.id)?.session.taken_over_by).toBeNull();
    // The user spoke during the take-over: the agent answers now, picking up from the supervisor.
    advanceUntil(() => agentCount(s.id) > before);
    const resumed = messagesOf(s.id)
      .filter((m) => m.role === "agent")
      .at(-1);
    expect(resumed?.text).toContain("Following up on what my colleague said");
    expect(resumed?.text).toContain("I have changed the order for you");
    const refused = await command(sup, "takeover_reply", s.id, { text: "Late" });
    expect(refused).toMatchObject({ type: "command_error", code: "CONFLICT" });
    expect(refused.holder).toBeUndefined();

    // Every step audited with its reason.
    const audit = await api(tg, tg.tokens.supervisor, `/v1/interventions?session_id=${s.id}`);
    expect(audit.body.interventions.map((i: { type: string; reason: string }) => [i.type, i.reason])).toEqual(
      [
        ["take_over", "Take-over test: take_over"],
        ["takeover_reply", "Take-over test: takeover_reply"],
        ["hand_back", "Take-over test: hand_back"],
      ],
    );
  });

  it("is idempotent per cmd_id", async () => {
    const s = sim.spawn({ channel: "web", auto: false });
    const id = randomUUID();
    const first = await command(sup, "take_over", s.id, {}, id);
    const again = await command(sup, "take_over", s.id, {}, id);
    expect(again).toMatchObject({ type: "ack", intervention_id: first.intervention_id });
    const rid = randomUUID();
    await command(sup, "takeover_reply", s.id, { text: "Once only" }, rid);
    await command(sup, "takeover_reply", s.id, { text: "Once only" }, rid);
    await applied(sup, rid);
    expect(messagesOf(s.id).filter((m) => m.text === "Once only")).toHaveLength(1);
    expect(await command(sup, "takeover_reply", s.id, { text: "Changed" }, rid)).toMatchObject({
      code: "IDEMPOTENCY_MISMATCH",
    });
    await command(sup, "hand_back", s.id);
  });

  it("an idle lock is released, audited and announced; a reply keeps it alive", async () => {
    const s = sim.spawn({ channel: "web", auto: false });
    expect((await command(sup, "take_over", s.id)).type).toBe("ack");
    // A reply before the idle time restarts it.
    tg.gateway.clock.advance(IDLE_MS - 10_000);
    expect((await command(sup, "takeover_reply", s.id, { text: "Still here" })).type).toBe("ack");
    tg.gateway.clock.advance(IDLE_MS - 10_000);
    expect(org.state.session(s.id)?.session.taken_over_by).toMatchObject({ id: "sup_dana" });

    const from = sup.frames.length;
    tg.gateway.clock.advance(10_000);
    const trig = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "intervention_triggered" && f.session_id === s.id,
      5000,
      from,
    );
    expect(trig.data).toMatchObject({ type: "hand_back", admin_id: "policy_takeover_idle" });
    expect((trig.data as { reason: string }).reason).toContain("idle for 60 s");
    expect(org.state.session(s.id)?.session.taken_over_by).toBeNull();
    const audit = await api(tg, tg.tokens.supervisor, `/v1/interventions?session_id=${s.id}`);
    expect(audit.body.interventions.at(-1)).toMatchObject({
      type: "hand_back",
      admin_id: "policy_takeover_idle",
    });
    // Free again: another supervisor may take over now.
    expect((await command(admin, "take_over", s.id)).type).toBe("ack");
    await command(admin, "hand_back", s.id);
  });

  it("an agent runtime may not set who holds the take-over", async () => {
    const r = await api(tg, "lc_demo_agent_token_0001", "/v1/agent/events", {
      body: {
        pub_id: "p_takeover_1",
        event: {
          kind: "session_updated",
          session_id: "ses_whatever",
          data: { taken_over_by: { id: "sup_dana", name: "Dana Supervisor" } },
        },
      },
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: "INVALID_EVENT", path: "event.data.taken_over_by" });
  });

  it("a viewer may not take over", async () => {
    const s = sim.spawn({ channel: "web", auto: false });
    const viewer = await connectAs(tg, tg.tokens.viewer);
    expect(await command(viewer, "take_over", s.id)).toMatchObject({ code: "FORBIDDEN" });
    viewer.close();
    expect(org.state.session(s.id)?.session.taken_over_by).toBeUndefined();
  });
});
