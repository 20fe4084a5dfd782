/**
 * The agent side: agent tokens on /v1/agent and nowhere else, published
 * events validated and numbered on the org stream, bad ones refused with a
 * precise error while the supervisors' stream stays contiguous.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventFrame, SingleServerFrame } from "../../utils/protocol/index.ts";
import {
  connectAgent,
  DEMO_AGENT_TOKEN,
  EXAMPLE_AGENT,
  openAgentSocket,
  publish,
  sessionData,
  userMessage,
} from "../helpers/agent-socket.ts";
import {
  api,
  connectAs,
  connectClient,
  startTestGateway,
  type TestClient,
  type TestGateway,
} from "../helpers/gateway.ts";

let tg: TestGateway;
beforeAll(async () => {
  tg = await startTestGateway({ sessions: 3, rate: 20, helloTimeoutMs: 500 });
});
afterAll(() => tg.stop());

const events = (c: TestClient) => c.frames.filter((f): f is EventFrame => f.type === "event");
function contiguous(c: TestClient) {
  const seqs = events(c).map((e) => e.seq);
  expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
  expect(c.errors).toEqual([]);
}

describe("agent tokens", () => {
  it("an agent token is welcomed on /v1/agent with its org and agent ids", async () => {
    const a = await connectAgent(tg.port, DEMO_AGENT_TOKEN, "rt-1");
    const w = a.frames.find((f) => f.type === "agent_welcome");
    expect(w).toMatchObject({
      org_id: "org_demo",
      agent_ids: ["agt_example"],
      runtime_id: "rt-1",
      sessions: [],
    });
    a.close();
  });

  it("a supervisor's token, a wrong token or no hello are refused on /v1/agent", async () => {
    const sup = await openAgentSocket(tg.port);
    sup.send({ type: "agent_hello", v: 1, token: tg.tokens.supervisor });
    expect((await sup.closed).code).toBe(4003);
    const wrong = await openAgentSocket(tg.port);
    wrong.send({ type: "agent_hello", v: 1, token: "lc_not_a_token_at_all_000" });
    expect((await wrong.closed).code).toBe(4001);
    const silent = await openAgentSocket(tg.port);
    expect((await silent.closed).code).toBe(4001);
    const old = await openAgentSocket(tg.port);
    old.send({ type: "agent_hello", v: 2, token: DEMO_AGENT_TOKEN });
    expect((await old.closed).code).toBe(4008);
  });

  it("an agent token cannot read the supervisors' stream or call any supervisor endpoint", async () => {
    const c = await connectClient(tg.streamUrl, { hello: { token: DEMO_AGENT_TOKEN } });
    expect((await c.closed).code).toBe(4003);
    expect(c.frames.some((f) => f.type === "welcome" || f.type === "snapshot")).toBe(false);
    const sid = [...(tg.gateway.orgs.get("org_demo")?.state.sessions.keys() ?? [])][0] ?? "ses_x";
    for (const path of [
      "/v1/snapshot",
      "/v1/me",
      "/v1/agents",
      "/v1/events?epoch=x&after=0",
      `/v1/sessions/${sid}`,
      "/v1/interventions",
    ]) {
      const r = await api(tg, DEMO_AGENT_TOKEN, path);
      expect(r.status, path).toBe(403);
      expect(r.body.error.code).toBe("FORBIDDEN");
    }
    const cmd = await api(tg, DEMO_AGENT_TOKEN, "/v1/commands", {
      body: { cmd_id: "c-agent-1", action: "pause", session_id: sid, reason: "I am an agent" },
    });
    expect(cmd.status).toBe(403);
  });

  it("a supervisor's token cannot publish over HTTP", async () => {
    const r = await api(tg, tg.tokens.admin, "/v1/agent/events", {
      body: { pub_id: "p1", event: { kind: "session_ended", session_id: "ses_x", data: {} } },
    });
    expect(r.status).toBe(403);
  });
});

describe("publishing", () => {
  it("numbers an accepted event on the org stream and relays its deltas to watchers", async () => {
    const sup = await connectAs(tg, tg.tokens.supervisor, { watch: ["ses_agent_pub1"] });
    const a = await connectAgent(tg.port);
    const started = await publish(a, "session_started", "ses_agent_pub1", sessionData("ses_agent_pub1"));
    expect(started.type).toBe("published");
    const seen = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.session_id === "ses_agent_pub1",
    );
    expect(seen).toMatchObject({ kind: "session_started", seq: (started as { seq: number }).seq });
    expect(seen.data).toMatchObject({ agent: EXAMPLE_AGENT });
    a.send({ type: "delta", session_id: "ses_agent_pub1", message_id: "m1", idx: 0, text: "Hel" });
    await sup.waitFor((f) => f.type === "delta" && f.message_id === "m1" && f.text === "Hel");
    const msg = await publish(
      a,
      "message_received",
      "ses_agent_pub1",
      userMessage("m0", "Where is my order?"),
    );
    expect(msg.type).toBe("published");
    expect(tg.gateway.orgs.get("org_demo")?.state.session("ses_agent_pub1")?.session.preview).toBe(
      "Where is my order?",
    );
    // A resend (same pub_id after a lost answer) returns the first outcome and adds nothing.
    const org = tg.gateway.orgs.get("org_demo");
    const before = org?.state.session("ses_agent_pub1")?.session.message_count;
    a.send({
      type: "publish",
      pub_id: msg.pub_id,
      event: {
        kind: "message_received",
        session_id: "ses_agent_pub1",
        data: userMessage("m0", "Where is my order?"),
      },
    });
    const again = await a.waitFor(
      (f) => f.type === "published" && f.pub_id === msg.pub_id,
      5000,
      a.frames.indexOf(msg) + 1,
    );
    expect(again).toEqual(msg);
    // (The simulation publishes meanwhile, so the org's last seq moves: count this session's messages.)
    expect(org?.state.session("ses_agent_pub1")?.session.message_count).toBe(before);
    a.close();
    sup.close();
  });

  it("refuses bad events with a precise error, keeps the socket open and the stream contiguous", async () => {
    const sup = await connectAs(tg, tg.tokens.admin);
    const a = await connectAgent(tg.port);
    const simulated = [...(tg.gateway.orgs.get("org_demo")?.state.sessions.values() ?? [])].find(
      (e) => e.session.status !== "ended" && e.session.agent.id !== "agt_example",
    );
    expect(simulated).toBeDefined();
    const cases: [string, string | null, unknown, string, string][] = [
      ["message_received", "ses_agent_bad", userMessage("m", "hi"), "UNKNOWN_SESSION", "event.session_id"],
      [
        "session_started",
        "ses_agent_bad",
        sessionData("ses_agent_bad", { id: "agt_support", name: "S", color: "#000" }),
        "FORBIDDEN_AGENT",
        "event.data.agent.id",
      ],
      [
        "session_started",
        "ses_agent_bad",
        { ...sessionData("ses_agent_bad"), channel: "fax" },
        "INVALID_EVENT",
        "event.data.channel",
      ],
      ["session_started", "ses_agent_bad", sessionData("ses_other_id"), "INVALID_EVENT", "event.data.id"],
      ["intervention_triggered", "ses_agent_bad", {}, "INVALID_EVENT", "event.kind"],
      ["levitate", "ses_agent_bad", {}, "INVALID_EVENT", "event.kind"],
      [
        "message_received",
        simulated?.session.id ?? "x",
        userMessage("m", "not mine"),
        "FORBIDDEN_AGENT",
        "event.session_id",
      ],
      ["agent_thinking", null, { message_id: "m" }, "INVALID_EVENT", "event.session_id"],
      [
        "session_started",
        "ses_agent_bad",
        { ...sessionData("ses_agent_bad"), monitored_by: ["adm_riley"] },
        "INVALID_EVENT",
        "event.data.monitored_by",
      ],
    ];
    for (const [kind, sid, data, code, path] of cases) {
      const r = await publish(a, kind, sid, data);
      expect(r, `${kind} ${code}`).toMatchObject({ type: "publish_error", code, path });
    }
    const ok = await publish(a, "session_started", "ses_agent_ok", sessionData("ses_agent_ok"));
    expect(ok.type).toBe("published");
    const wrongRole = await publish(a, "message_received", "ses_agent_ok", {
      ...userMessage("m0", "hi"),
      role: "agent",
    });
    expect(wrongRole).toMatchObject({
      type: "publish_error",
      code: "INVALID_EVENT",
      path: "event.data.role",
    });
    const renamed = await publish(a, "session_updated", "ses_agent_ok", { id: "ses_someone_else" });
    expect(renamed).toMatchObject({ type: "publish_error", code: "INVALID_EVENT", path: "event.data.id" });
    const bad = await publish(a, "message_received", "ses_agent_ok", {
      ...userMessage("m1", "hi"),
      role: "robot",
    });
    expect(bad).toMatchObject({ type: "publish_error", code: "INVALID_EVENT", path: "event.data.role" });
    const end = await publish(a, "session_ended", "ses_agent_ok", {
      reason: "resolved",
      ended_at: new Date().toISOString(),
    });
    expect(end.type).toBe("published");
    const late = await publish(a, "message_received", "ses_agent_ok", userMessage("m2", "still there?"));
    expect(late).toMatchObject({ type: "publish_error", code: "SESSION_ENDED" });
    // Not JSON, no pub_id: an agent_error; the socket stays open.
    a.send("{not json");
    await a.waitFor((f) => f.type === "agent_error" && f.code === "INVALID_FRAME");
    a.send({ type: "delta", session_id: simulated?.session.id, message_id: "m", idx: 0, text: "x" });
    await a.waitFor((f) => f.type === "agent_error" && f.code === "FORBIDDEN_AGENT");
    const still = await publish(a, "error_occurred", null, {
      code: "RT_WARN",
      message: "runtime warning",
      severity: "warning",
    });
    expect(still.type).toBe("published");
    await sup.waitFor(
      (f: SingleServerFrame) => f.type === "event" && f.seq === (still as { seq: number }).seq,
    );
    contiguous(sup);
    expect(tg.gateway.agentCounters.frame_errors).toBe(0);
    a.close();
    sup.close();
  });

  it("accepts one publish or a batch over HTTP, each answered on its own", async () => {
    const one = await api(tg, DEMO_AGENT_TOKEN, "/v1/agent/events", {
      body: {
        pub_id: "h1",
        event: { kind: "session_started", session_id: "ses_agent_http", data: sessionData("ses_agent_http") },
      },
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ pub_id: "h1", seq: expect.any(Number) });
    const batch = await api(tg, DEMO_AGENT_TOKEN, "/v1/agent/events", {
      body: {
        events: [
          {
            pub_id: "h2",
            event: {
              kind: "message_received",
              session_id: "ses_agent_http",
              data: userMessage("m1", "hello"),
            },
          },
          {
            pub_id: "h3",
            event: { kind: "message_received", session_id: "ses_agent_http", data: { text: 5 } },
          },
          { event: {} },
          {
            pub_id: "h4",
            event: {
              kind: "session_ended",
              session_id: "ses_agent_http",
              data: { reason: "resolved", ended_at: new Date().toISOString() },
            },
          },
        ],
      },
    });
    expect(batch.status).toBe(200);
    const r = batch.body.results;
    // (The simulated agents publish meanwhile: seqs grow, not necessarily by one.)
    expect(r[0]).toEqual({ pub_id: "h2", seq: expect.any(Number) });
    expect(r[0].seq).toBeGreaterThan(one.body.seq);
    expect(r[1]).toMatchObject({ pub_id: "h3", error: { code: "INVALID_EVENT", path: "event.data.id" } });
    expect(r[2]).toMatchObject({ pub_id: "#2", error: { code: "INVALID_EVENT", path: "pub_id" } });
    expect(r[3]).toEqual({ pub_id: "h4", seq: expect.any(Number) });
    expect(r[3].seq).toBeGreaterThan(r[0].seq);
    const refused = await api(tg, DEMO_AGENT_TOKEN, "/v1/agent/events", {
      body: {
        pub_id: "h5",
        event: { kind: "message_received", session_id: "ses_agent_http", data: userMessage("m2", "x") },
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("SESSION_ENDED");
  });
});
