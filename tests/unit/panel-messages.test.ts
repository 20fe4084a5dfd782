/**
 * The worker ↔ panel contract's two decoders on bad input. Panel side: a bad
 * envelope refuses the message, naming the field's path; a bad item inside it
 * is skipped and counted, its good neighbours kept. Worker side: a bad panel
 * message is refused with the field's path.
 */
import { describe, expect, it } from "vitest";
import { EMPTY_FILTER } from "@/utils/filters";
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
    const { message, skipped } = decodeWorkerMessage({
      type: "patch",
      patch: {
        toasts: [
          { title: "Urgent session started", body: "Alex Kim with Support Bot", severity: "warning" },
          { title: "No severity", body: "x" },
        ],
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
      },
    });
    expect(skipped).toBe(3);
    expect(message.type).toBe("patch");
    if (message.type !== "patch") return;
    expect(message.patch.toasts).toEqual([
      { title: "Urgent session started", body: "Alex Kim with Support Bot", severity: "warning" },
    ]);
    expect(message.patch.activity).toEqual([
      { kind: "status", at: TS, session_id: "ses_good", from: "active", to: "waiting" },
    ]);
    expect(message.patch.transcripts?.[0]?.messages.map((m) => m.id)).toEqual(["m1"]);
  });

  it("skips and counts a bad session or agent summary inside a view answer, keeping the rest", () => {
    const good = makeSession({ id: "ses_good" });
    const view = {
      seq: 3,
      total: 2,
      count: 2,
      rowCount: 2,
      headers: [],
      start: 0,
      rows: ["ses_good", "ses_bad"],
      pinned: [],
      pinnedRows: {},
      sessions: [good, makeSession({ id: "ses_bad", channel: 42 })],
      snippets: {},
      partial: [],
      agents: [
        { id: "agt_support", name: "Support Bot", color: "#2563eb", sessions: 2, reviewing: 0 },
        { id: "agt_x", name: "X", color: "#000", sessions: -1, reviewing: 0 },
      ],
    };
    const { message, skipped } = decodeWorkerMessage({ type: "view", view });
    expect(skipped).toBe(2);
    expect(message.type).toBe("view");
    if (message.type !== "view") return;
    expect(message.view.sessions.map((s) => s.id)).toEqual(["ses_good"]);
    expect(message.view.agents?.map((a) => a.id)).toEqual(["agt_support"]);
    expect(message.view).toMatchObject({ seq: 3, rows: ["ses_good", "ses_bad"], count: 2 });
    // Without agents (unchanged since the last answer) the answer has none.
    const plain = decodeWorkerMessage({ type: "view", view: { ...view, agents: undefined } });
    expect(plain.message.type === "view" && "agents" in plain.message.view).toBe(false);
    // The envelope itself is refused with the field's path.
    expect(refusal({ type: "view", view: { ...view, start: -1 } }).path).toBe("view.start");
    expect(refusal({ type: "view", view: { ...view, rows: [7] } }).path).toMatch(/^view\.rows\.0/);
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

  it("refuses a bad view spec, naming the field's path", () => {
    const spec = {
      seq: 1,
      filter: { ...EMPTY_FILTER },
      sort: "recent",
      grouping: "unified",
      range: { start: 0, end: 40 },
    };
    expect(decodePanelMessage({ type: "view", spec })).toEqual({ ok: true, value: { type: "view", spec } });
    const refused = (s: Record<string, unknown>) => {
      const d = decodePanelMessage({ type: "view", spec: { ...spec, ...s } });
      return d.ok ? "accepted" : d.error.path;
    };
    expect(refused({ sort: "sideways" })).toBe("spec.sort");
    expect(refused({ grouping: "nested" })).toBe("spec.grouping");
    expect(refused({ seq: -1 })).toBe("spec.seq");
    expect(refused({ filter: { ...EMPTY_FILTER, channels: ["web", "web"] } })).toBe("spec.filter.channels");
    expect(refused({ filter: { ...EMPTY_FILTER, keyword: "k".repeat(201) } })).toBe("spec.filter.keyword");
    expect(refused({ range: { start: 0, end: 10_000 } })).toBe("spec.range");
    expect(refused({ range: { start: 5, end: 1 } })).toBe("spec.range");
    expect(refused({ range: { start: 1.5, end: 3 } })).toBe("spec.range.start");
    expect(refused({ pinned: Array.from({ length: 11 }, (_, i) => `s${i}`) })).toBe("spec.pinned");
    const bad = decodePanelMessage({ type: "view", spec: { ...spec, range: { start: 0, end: 10_000 } } });
    expect(bad).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^at most 500 rows/) } });
  });
});
