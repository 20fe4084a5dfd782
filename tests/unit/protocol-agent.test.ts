/** The agent side's frames (utils/protocol/agent.ts): valid ones decode, bad ones name their field. */
import { describe, expect, it } from "vitest";
import {
  decodeAgentClientFrame,
  decodeAgentServerFrame,
  decodePublishEvent,
  EVENT_KINDS,
  GATEWAY_ONLY_KINDS,
  PUBLISH_KINDS,
} from "@/utils/protocol";
import { EVENT_DATA_FIXTURES, makeMessage, makeSession, TS } from "../fixtures/frames";

const VALID_CLIENT = [
  { type: "agent_hello", v: 1, token: "lc_agent_x", runtime_id: "worker-1" },
  {
    type: "publish",
    pub_id: "p1",
    event: { kind: "message_received", session_id: "ses_1", data: makeMessage() },
  },
  { type: "delta", session_id: "ses_1", message_id: "m1", idx: 0, text: "Hi" },
  {
    type: "intervention_result",
    intervention_id: "int_1",
    outcome: "rejected",
    detail: "nothing to override",
  },
  { type: "ping", id: 1 },
];
const VALID_SERVER = [
  {
    type: "agent_welcome",
    conn_id: "aconn_1",
    server_time: TS,
    org_id: "org_1",
    agent_ids: ["agt_support"],
    runtime_id: "worker-1",
    heartbeat_ms: 20000,
    idle_timeout_ms: 30000,
    sessions: ["ses_1"],
  },
  { type: "published", pub_id: "p1", seq: 42 },
  { type: "publish_error", pub_id: "p2", code: "INVALID_EVENT", message: "bad", path: "event.data.text" },
  {
    type: "intervention",
    intervention_id: "int_1",
    cmd_id: "c1",
    session_id: "ses_1",
    action: "override",
    payload: { text: "Hello" },
    reason: "Wrong answer",
    deadline: TS,
  },
  { type: "agent_error", code: "INVALID_FRAME", message: "bad" },
  { type: "pong", id: 1, server_time: TS },
];

describe("agent-side frames", () => {
  it("decodes every valid frame both ways", () => {
    for (const f of VALID_CLIENT)
      expect(decodeAgentClientFrame(JSON.stringify(f)), f.type).toMatchObject({ ok: true });
    for (const f of VALID_SERVER)
      expect(decodeAgentServerFrame(JSON.stringify(f)), f.type).toMatchObject({ ok: true });
  });

  it("names the field of a bad frame", () => {
    const cases: [unknown, string][] = [
      [{ type: "agent_hello", v: 1, token: "" }, "token"],
      [{ type: "agent_hello", v: 1, token: "t", runtime_id: "has space" }, "runtime_id"],
      [{ type: "publish", event: {} }, "pub_id"],
      [{ type: "delta", session_id: "s", message_id: "m", idx: -1, text: "" }, "idx"],
      [{ type: "intervention_result", intervention_id: "i", outcome: "failed" }, "outcome"],
      [{ type: "levitate" }, "type"],
    ];
    for (const [frame, path] of cases) {
      const r = decodeAgentClientFrame(JSON.stringify(frame));
      expect(r.ok, JSON.stringify(frame)).toBe(false);
      if (!r.ok) expect(r.error.path).toBe(path);
    }
  });

  it("publishes every stream kind but the gateway's own, each validated with the stream's schema", () => {
    expect([...PUBLISH_KINDS, ...GATEWAY_ONLY_KINDS].sort()).toEqual([...EVENT_KINDS].sort());
    for (const kind of PUBLISH_KINDS) {
      const data = EVENT_DATA_FIXTURES[kind];
      const sid = kind === "error_occurred" ? null : "ses_1";
      expect(decodePublishEvent({ kind, session_id: sid, data }), kind).toMatchObject({ ok: true });
    }
    const bad = (event: unknown) => {
      const r = decodePublishEvent(event);
      return r.ok ? null : r.error.path;
    };
    expect(bad({ kind: "intervention_triggered", session_id: "s", data: {} })).toBe("kind");
    expect(bad({ kind: "session_started", session_id: "s", data: makeSession({ priority: "asap" }) })).toBe(
      "data.priority",
    );
    expect(bad({ kind: "message_sent", session_id: null, data: makeMessage() })).toBe("session_id");
    expect(bad({ kind: "message_sent", session_id: "s", data: { ...makeMessage(), text: 3 } })).toBe(
      "data.text",
    );
  });
});
