/**
 * The worker ↔ panel contract's two decoders on bad input. Panel side: a bad
 * envelope refuses the message, naming the field's path; a bad item inside it
 * is skipped and counted, its good neighbours kept. Worker side: a bad panel
 * message is refused with the field's path.
 */
import { describe, expect, it } from "vitest";
import {
  type ConnectionInfo,
  type Counters,
  decodePanelMessage,
  decodeWorkerMessage,
  PanelDecodeError,
} from "@/utils/panel-messages";
import { makeMessage, makeSession, TS } from "../fixtures/frames";

const CONNECTION: ConnectionInfo = { state: "connected", latency_ms: 12, since: 1 };
const COUNTERS: Counters = {
  events_applied: 3,
  duplicates_dropped: 0,
  gaps: 0,
  resyncs: 0,
  frames_rejected: 0,
  reconnects: 0,
};

const refusal = (input: unknown): { path: string; message: string } => {
  try {
    decodeWorkerMessage(input);
  } catch (e) {
    if (e instanceof PanelDecodeError) return { path: e.path, message: e.message };
    throw e;
  }
  throw new Error("not refused");
};

describe("panel side: decodeWorkerMessage", () => {
  it("refuses a bad envelope, naming the field's path", () => {
    expect(refusal({ type: "patch", patch: { counters: { ...COUNTERS, gaps: -1 } } })).toEqual({
      path: "patch.counters.gaps",
      message: 'bad worker message at "patch.counters.gaps": Invalid value: Expected >=0 but received -1',
    });
    const init = { connection: { ...CONNECTION, state: "asleep" }, user: null, sessions: [], agents: [] };
    expect(refusal({ type: "init", state: init }).path).toBe("state.connection.state");
    expect(refusal({ type: "command_status", result: { cmd_id: "c1", status: "acked" } }).path).toBe(
      "result.intervention_id",
    );
    expect(refusal({ type: "hello" }).path).toBe("type");
  });

  it("skips and counts a bad item, keeping the good ones beside it", () => {
    const good = makeSession({ id: "ses_good" });
    const { message, skipped } = decodeWorkerMessage({
      type: "patch",
      patch: {
        upserts: [good, makeSession({ id: "ses_bad", channel: 42 })],
        activity: [
          { kind: "status", at: TS, session_id: "ses_good", from: "active", to: "waiting" },
          { kind: "status", at: TS, session_id: "ses_good", from: "active" },
        ],
        transcripts: [
          {
            session_id: "ses_good",
            messages: [makeMessage({ id: "m1" }), makeMessage({ id: "m2", role: "robot" })],
            streaming: null,
            loaded: true,
          },
        ],
        messages: [{ session_id: "ses_good", id: "m1", text: "hello" }, { session_id: "ses_good" }],
      },
    });
    expect(skipped).toBe(4);
    expect(message.type).toBe("patch");
    if (message.type !== "patch") return;
    expect(message.patch.upserts?.map((s) => s.id)).toEqual(["ses_good"]);
    expect(message.patch.activity).toEqual([
      { kind: "status", at: TS, session_id: "ses_good", from: "active", to: "waiting" },
    ]);
    expect(message.patch.transcripts?.[0]?.messages.map((m) => m.id)).toEqual(["m1"]);
    expect(message.patch.messages).toEqual([{ session_id: "ses_good", id: "m1", text: "hello" }]);
  });
});

describe("worker side: decodePanelMessage", () => {
  it("refuses a bad message, naming the field's path", () => {
    const bad = decodePanelMessage({
      type: "command",
      cmd_id: "c1",
      action: "cobrowse_start",
      session_id: "",
      reason: "check",
    });
    expect(bad).toMatchObject({ ok: false, error: { path: "session_id", type: "command" } });
    const many = decodePanelMessage({
      type: "watch",
      session_ids: Array.from({ length: 51 }, (_, i) => `s${i}`),
    });
    expect(many).toMatchObject({
      ok: false,
      error: { path: "session_ids", message: "at most 50 sessions (got 51)" },
    });
    const ack = decodePanelMessage({ type: "alert_ack", alert_ids: ["a", 7] });
    expect(ack).toMatchObject({ ok: false, error: { path: "alert_ids.1" } });
    expect(decodePanelMessage({ type: "watch", session_ids: ["s1"] })).toEqual({
      ok: true,
      value: { type: "watch", session_ids: ["s1"] },
    });
  });
});
