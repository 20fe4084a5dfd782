import { describe, expect, it } from "vitest";
import type { DeltaFrame, EventFrame, EventKind, Message } from "../../utils/protocol";
import { EVENT_KINDS } from "../../utils/protocol";
import { activityOf, createActivityLog } from "../../utils/store/activity-log";
import { createChangeSet } from "../../utils/store/change-set";
import { createSessionStore, MAX_PRESENCE } from "../../utils/store/session-store";
import { createTranscriptStore } from "../../utils/store/transcripts";
import {
  AGENT,
  EPOCH,
  EVENT_DATA_FIXTURES,
  METRICS,
  makeEvent,
  makeMessage,
  makeSession,
  TS,
} from "../fixtures/frames";

const T2 = "2026-06-24T16:31:00.000Z";
function ev(kind: EventKind, data: unknown, seq = 1, extra: Record<string, unknown> = {}): EventFrame {
  return makeEvent(kind, data, seq, extra) as EventFrame;
}

describe("session reducer", () => {
  it("handles every event kind the protocol has (structure check)", () => {
    const changes = createChangeSet();
    const store = createSessionStore(changes);
    store.apply(ev("session_started", makeSession()));
    for (const kind of EVENT_KINDS) {
      if (kind === "session_ended") continue;
      expect(() => store.apply(ev(kind, EVENT_DATA_FIXTURES[kind]))).not.toThrow();
    }
    expect(store.sessions.get("ses_abc123xyz")?.priority).toBe("urgent");
  });

  it("folds messages into count, preview and last activity; a replaced message counts once", () => {
    const changes = createChangeSet();
    const store = createSessionStore(changes);
    store.apply(ev("session_started", makeSession({ message_count: 0 })));
    store.apply(
      ev("message_received", makeMessage({ id: "m1", text: "Where is\n my parcel?" }), 2, { ts: T2 }),
    );
    store.apply(ev("message_sent", makeMessage({ id: "m2", role: "agent", text: "x".repeat(100) }), 3));
    store.apply(ev("message_sent", makeMessage({ id: "m2", role: "agent", text: "Checking" }), 4));
    store.apply(ev("message_sent", makeMessage({ id: "m3", role: "system", text: "paused" }), 5));
    const s = store.sessions.get("ses_abc123xyz");
    expect(s?.message_count).toBe(3);
    expect(s?.preview).toBe("Checking");
    expect(s?.last_activity_at).toBe(TS);
    const changed = changes.take();
    expect([...changed.sessions]).toEqual(["ses_abc123xyz"]);
  });

  it("moves the status through thinking/streaming and back on the agent's reply, as the gateway does", () => {
    const store = createSessionStore(createChangeSet());
    store.apply(ev("session_started", makeSession()));
    const status = () => store.sessions.get("ses_abc123xyz")?.status;
    store.apply(ev("agent_thinking", { message_id: "m9" }, 2));
    expect(status()).toBe("thinking");
    store.apply(ev("stream_started", { message_id: "m9" }, 3));
    expect(status()).toBe("streaming");
    store.apply(ev("message_sent", makeMessage({ id: "m9", role: "agent" }), 4));
    expect(status()).toBe("active");
    store.apply(ev("session_updated", { status: "paused" }, 5));
    store.apply(ev("stream_started", { message_id: "m10" }, 6));
    store.apply(ev("agent_thinking", { message_id: "m10" }, 7));
    expect(status()).toBe("paused");
  });

  it("updates statuses and evicts ended sessions, recording the removal", () => {
    const changes = createChangeSet();
    const store = createSessionStore(changes);
    store.apply(ev("session_started", makeSession()));
    store.apply(ev("session_updated", { status: "paused", priority: "high" }, 2));
    expect(store.sessions.get("ses_abc123xyz")).toMatchObject({ status: "paused", priority: "high" });
    store.apply(ev("session_ended", { reason: "user_left", ended_at: TS }, 3));
    expect(store.sessions.size).toBe(0);
    expect([...changes.take().removed]).toEqual(["ses_abc123xyz"]);
  });

  it("ignores events for sessions it does not know, and system-wide errors", () => {
    const store = createSessionStore(createChangeSet());
    store.apply(ev("message_received", makeMessage(), 1, { session_id: "ses_unknown" }));
    store.apply(ev("error_occurred", EVENT_DATA_FIXTURES.error_occurred, 2, { session_id: null }));
    expect(store.sessions.size).toBe(0);
  });

  it("a snapshot puts the store in line with it and drops ended sessions", () => {
    const changes = createChangeSet();
    const store = createSessionStore(changes);
    store.apply(ev("session_started", makeSession({ id: "ses_old" }), 1, { session_id: "ses_old" }));
    store.reset({
      epoch: EPOCH,
      seq: 9,
      sessions: [makeSession({ id: "ses_a" }), makeSession({ id: "ses_b", status: "ended" })] as never,
      agents: [AGENT],
      metrics: METRICS,
    });
    expect([...store.sessions.keys()]).toEqual(["ses_a"]);
    const c = changes.take();
    expect([...c.sessions]).toEqual(["ses_a"]);
    expect([...c.removed]).toEqual(["ses_old"]);
  });

  it("presence of ended sessions does not pile up (issue 19 item 6)", () => {
    const store = createSessionStore(createChangeSet());
    const viewer = [{ id: "sup_dana", name: "Dana" }];
    for (const id of ["ses_a", "ses_b", "ses_c"]) {
      store.apply(ev("session_started", makeSession({ id }), 1, { session_id: id }));
      store.setPresence(id, viewer);
    }
    store.apply(ev("session_ended", { reason: "resolved", ended_at: TS }, 2, { session_id: "ses_a" }));
    expect(store.presenceCount()).toBe(2);
    // ses_b ended in a gap: the snapshot no longer holds it, nor its presence.
    store.reset({
      epoch: EPOCH,
      seq: 9,
      sessions: [makeSession({ id: "ses_c" })] as never,
      agents: [AGENT],
      metrics: METRICS,
    });
    expect(store.presenceCount()).toBe(1);
    expect(store.sessions.get("ses_c")?.viewers).toEqual(viewer);
    // Frames for sessions the worker never learns about stay bounded.
    for (let i = 0; i < MAX_PRESENCE + 500; i++) store.setPresence(`ses_x${i}`, viewer);
    expect(store.presenceCount()).toBeLessThanOrEqual(MAX_PRESENCE);
    expect(store.sessions.get("ses_c")?.viewers).toEqual(viewer);
  });
});

describe("transcripts", () => {
  const sid = "ses_abc123xyz";
  function delta(idx: number, text: string, message_id = "msg_9"): DeltaFrame {
    return { type: "delta", session_id: sid, message_id, idx, text };
  }

  it("holds events while loading and applies them on the fetched copy without doubling", () => {
    const store = createTranscriptStore(createChangeSet());
    expect(store.watch([sid])).toEqual([sid]);
    const gen = store.beginLoad(sid);
    store.applyEvent(ev("message_received", makeMessage({ id: "m2" })));
    store.applyEvent(ev("message_received", makeMessage({ id: "m3" })));
    store.loaded(sid, gen, [makeMessage({ id: "m1" }), makeMessage({ id: "m2" })] as Message[]);
    expect(store.get(sid)?.messages.map((m) => m.id)).toEqual(["m1", "m2", "m3"]);
    expect(store.get(sid)?.loaded).toBe(true);
  });

  it("ignores a stale fetch answer", () => {
    const store = createTranscriptStore(createChangeSet());
    store.watch([sid]);
    const old = store.beginLoad(sid);
    const fresh = store.beginLoad(sid);
    store.loaded(sid, old, [makeMessage({ id: "stale" })] as Message[]);
    expect(store.get(sid)?.loaded).toBe(false);
    store.loaded(sid, fresh, [] as Message[]);
    expect(store.get(sid)?.loaded).toBe(true);
  });

  it("review mode: a streamed reply becomes a waiting draft until resolved", () => {
    const store = createTranscriptStore(createChangeSet());
    store.watch([sid]);
    store.loaded(sid, store.beginLoad(sid), []);
    store.applyEvent(ev("stream_started", { message_id: "msg_9" }));
    store.applyDelta(delta(0, "Held "));
    const draft = {
      draft_id: "drf_9",
      message_id: "msg_9",
      text: "Held reply",
      created_at: "2026-06-24T16:30:00.123Z",
      expires_at: "2026-06-24T16:32:00.123Z",
    };
    store.applyEvent(ev("draft_ready", draft));
    expect(store.get(sid)?.streaming).toBeNull();
    expect(store.get(sid)?.drafts).toEqual([draft]);
    expect(store.get(sid)?.messages).toEqual([]);
    store.applyEvent(ev("draft_resolved", { draft_id: "drf_9", outcome: "rejected", by: "sup_dana" }));
    expect(store.get(sid)?.drafts).toEqual([]);
  });

  it("builds the streaming reply from deltas and lets message_sent replace it", () => {
    const store = createTranscriptStore(createChangeSet());
    store.watch([sid]);
    store.loaded(sid, store.beginLoad(sid), []);
    store.applyEvent(ev("agent_thinking", { message_id: "msg_9" }));
    expect(store.get(sid)?.streaming).toEqual({ message_id: "msg_9", phase: "thinking", text: "" });
    store.applyEvent(ev("stream_started", { message_id: "msg_9" }));
    store.applyDelta(delta(0, "Hel"));
    store.applyDelta(delta(1, "lo "));
    store.applyDelta(delta(1, "lo ")); // repeated
    expect(store.get(sid)?.streaming?.text).toBe("Hello ");
    store.applyEvent(ev("message_sent", makeMessage({ id: "msg_9", role: "agent", text: "Hello there" })));
    expect(store.get(sid)?.streaming).toBeNull();
    expect(store.get(sid)?.messages.at(-1)?.text).toBe("Hello there");
    store.applyDelta(delta(2, "late")); // after the final message: ignored
    expect(store.get(sid)?.streaming).toBeNull();
  });

  it("a second reply started with stream_started alone (no agent_thinking) streams from its first delta", () => {
    const store = createTranscriptStore(createChangeSet());
    store.watch([sid]);
    store.loaded(sid, store.beginLoad(sid), []);
    store.applyEvent(ev("stream_started", { message_id: "msg_9" }));
    for (const [i, t] of ["One ", "two ", "three "].entries()) store.applyDelta(delta(i, t));
    store.applyEvent(ev("message_sent", makeMessage({ id: "msg_9", role: "agent", text: "One two three " })));
    store.applyEvent(ev("stream_started", { message_id: "msg_10" }));
    store.applyDelta(delta(0, "Four ", "msg_10"));
    store.applyDelta(delta(1, "five", "msg_10"));
    expect(store.get(sid)?.streaming).toEqual({
      message_id: "msg_10",
      phase: "streaming",
      text: "Four five",
    });
  });

  it("a refetched copy that holds the reply ends its streaming state (its message_sent was lost)", () => {
    const store = createTranscriptStore(createChangeSet());
    store.watch([sid]);
    store.loaded(sid, store.beginLoad(sid), []);
    store.applyEvent(ev("stream_started", { message_id: "msg_9" }));
    store.applyDelta(delta(0, "Draft "));
    // A snapshot: the transcript is fetched again; the final text differs from what streamed.
    const gen = store.beginLoad(sid);
    store.applyDelta(delta(1, "text")); // still streaming while the fetch runs
    store.applyEvent(ev("stream_started", { message_id: "msg_9" })); // held, and final once applied
    store.loaded(sid, gen, [makeMessage({ id: "msg_9", role: "agent", text: "Final answer" })] as Message[]);
    expect(store.get(sid)?.streaming).toBeNull();
    expect(store.get(sid)?.messages.map((m) => m.text)).toEqual(["Final answer"]);
    store.applyDelta(delta(2, " late")); // a late delta of a finished message: dropped
    store.applyEvent(ev("agent_thinking", { message_id: "msg_9" }));
    expect(store.get(sid)?.streaming).toBeNull();
    // A reply the copy does not hold keeps streaming.
    const again = store.beginLoad(sid);
    store.applyDelta(delta(0, "Next", "msg_10"));
    store.loaded(sid, again, [
      makeMessage({ id: "msg_9", role: "agent", text: "Final answer" }),
    ] as Message[]);
    expect(store.get(sid)?.streaming).toEqual({ message_id: "msg_10", phase: "streaming", text: "Next" });
  });

  it("stays bounded", () => {
    const store = createTranscriptStore(createChangeSet(), 50);
    store.watch([sid]);
    store.loaded(sid, store.beginLoad(sid), []);
    for (let i = 0; i < 1000; i++) store.applyEvent(ev("message_received", makeMessage({ id: `m${i}` })));
    const t = store.get(sid);
    expect(t?.messages).toHaveLength(50);
    expect(t?.messages.at(-1)?.id).toBe("m999");
  });
});

describe("activity log", () => {
  it("records session starts and errors, bounded; agent steps are not feed entries", () => {
    const log = createActivityLog(10);
    for (let i = 0; i < 100; i++) log.record(ev("session_started", makeSession(), i + 1));
    log.record(ev("error_occurred", EVENT_DATA_FIXTURES.error_occurred, 101));
    expect(log.size).toBe(10);
    expect(log.entries().at(-1)).toMatchObject({ kind: "error", code: "LLM_TIMEOUT" });
    expect(activityOf(ev("agent_step", EVENT_DATA_FIXTURES.agent_step))).toEqual([]);
  });
});
