/**
 * Issue 21 item 3: a snapshot is diffed against what the store holds — an
 * equal session keeps its very object, a changed or new one is an upsert,
 * one the snapshot no longer has is removed; nothing else is recorded.
 */
import { describe, expect, it } from "vitest";
import type { EventFrame, EventKind, Session } from "../../utils/protocol";
import { createChangeSet } from "../../utils/store/change-set";
import { sameJson, sameSession } from "../../utils/store/session-equal";
import { createSessionStore, type SnapshotData } from "../../utils/store/session-store";
import { AGENT, EPOCH, METRICS, makeEvent, makeMessage, makeSession } from "../fixtures/frames";

const T2 = "2026-06-24T16:31:00.000Z";
const ev = (kind: EventKind, data: unknown, seq: number, sid: string) =>
  makeEvent(kind, data, seq, { session_id: sid }) as EventFrame;
const snap = (sessions: Record<string, unknown>[], seq = 10): SnapshotData => ({
  epoch: EPOCH,
  seq,
  sessions: sessions as Session[],
  agents: [AGENT],
  metrics: METRICS,
});
/** A snapshot's sessions arrive as fresh objects decoded from JSON. */
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function heldStore() {
  const changes = createChangeSet();
  const store = createSessionStore(changes);
  store.reset(snap(["ses_a", "ses_b", "ses_c"].map((id) => makeSession({ id }))));
  changes.take();
  return { changes, store };
}

describe("a snapshot diffed against the store", () => {
  it("keeps the same object for an unchanged session and records nothing for it", () => {
    const { changes, store } = heldStore();
    const before = new Map(store.sessions);
    const diff = store.reset(wire(snap(["ses_c", "ses_a", "ses_b"].map((id) => makeSession({ id })))));
    expect(diff).toEqual({ kept: 3, changed: 0, added: 0, removed: 0 });
    for (const [id, s] of before) expect(store.sessions.get(id)).toBe(s);
    const c = changes.take();
    expect(c.sessions.size).toBe(0);
    expect(c.removed.size).toBe(0);
    expect(c.agents).toBe(false); // the same agents
  });

  it("records a changed session as an upsert, a gone one as removed, a new one as an upsert", () => {
    const { changes, store } = heldStore();
    const keptA = store.sessions.get("ses_a");
    const diff = store.reset(
      wire(
        snap([
          makeSession({ id: "ses_a" }),
          makeSession({ id: "ses_b", message_count: 2, preview: "Still waiting", last_activity_at: T2 }),
          makeSession({ id: "ses_d" }),
          makeSession({ id: "ses_e", status: "ended" }),
        ]),
      ),
    );
    expect(diff).toEqual({ kept: 1, changed: 1, added: 1, removed: 1 });
    expect(store.sessions.get("ses_a")).toBe(keptA);
    expect(store.sessions.get("ses_b")?.preview).toBe("Still waiting");
    expect([...store.sessions.keys()].sort()).toEqual(["ses_a", "ses_b", "ses_d"]);
    const c = changes.take();
    expect([...c.sessions].sort()).toEqual(["ses_b", "ses_d"]);
    expect([...c.removed]).toEqual(["ses_c"]);
  });

  it("sees a change that leaves last activity, count, status and preview alone", () => {
    const { changes, store } = heldStore();
    store.reset(
      wire(snap(["ses_a", "ses_b", "ses_c"].map((id) => makeSession({ id, tags: ["orders", "vip"] })))),
    );
    expect([...changes.take().sessions].sort()).toEqual(["ses_a", "ses_b", "ses_c"]);
  });

  it("a session folded from events equals the gateway's copy of it", () => {
    const { changes, store } = heldStore();
    store.apply(ev("message_received", makeMessage({ id: "msg_9", text: "Any news?", ts: T2 }), 11, "ses_a"));
    const folded = store.sessions.get("ses_a");
    changes.take();
    store.reset(
      wire(snap([folded, makeSession({ id: "ses_b" }), makeSession({ id: "ses_c" })] as never, 11)),
    );
    expect(store.sessions.get("ses_a")).toBe(folded);
    expect(changes.take().sessions.size).toBe(0);
  });

  it("keeps presence on the sessions still held, and a kept session keeps its viewers", () => {
    const { store } = heldStore();
    const viewers = [{ id: "sup_dana", name: "Dana" }];
    store.setPresence("ses_a", viewers);
    store.setPresence("ses_c", viewers);
    const withViewers = store.sessions.get("ses_a");
    store.reset(wire(snap([makeSession({ id: "ses_a" }), makeSession({ id: "ses_b", message_count: 5 })])));
    expect(store.sessions.get("ses_a")).toBe(withViewers);
    expect(store.sessions.get("ses_a")?.viewers).toEqual(viewers);
    expect(store.presenceCount()).toBe(1);
  });

  it("a message counted before the snapshot is not counted again when an override replaces it", () => {
    const { store } = heldStore();
    store.apply(ev("message_sent", makeMessage({ id: "msg_7", role: "agent", text: "Hello" }), 11, "ses_a"));
    const held = store.sessions.get("ses_a") as Session;
    store.reset(wire(snap([held, makeSession({ id: "ses_b" }), makeSession({ id: "ses_c" })], 11)));
    store.apply(
      ev("message_sent", makeMessage({ id: "msg_7", role: "agent", text: "Hello there" }), 12, "ses_a"),
    );
    expect(store.sessions.get("ses_a")?.message_count).toBe(held.message_count);
  });

  it("a new epoch forgets the message ids it saw: a new stream life may number its messages the same", () => {
    const { store } = heldStore();
    store.apply(ev("message_sent", makeMessage({ id: "msg_7", role: "agent", text: "Hello" }), 11, "ses_a"));
    // The gateway restarted without its history (a new epoch); its simulation starts the same session again.
    const again = makeSession({ id: "ses_a" }) as Session;
    store.reset(wire({ ...snap([again, makeSession({ id: "ses_b" })], 3), epoch: "ep_other" }));
    store.apply(ev("message_sent", makeMessage({ id: "msg_7", role: "agent", text: "Hello" }), 4, "ses_a"));
    expect(store.sessions.get("ses_a")?.message_count).toBe(again.message_count + 1);
  });
});

describe("sameJson", () => {
  it("ignores key order and keys holding undefined, sees everything else", () => {
    expect(sameJson({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: [] }, { a: {} })).toBe(false);
    expect(sameJson({ a: { b: 1 } }, { a: { b: "1" } })).toBe(false);
  });

  it("leaves a session's viewers out", () => {
    const s = makeSession() as Session;
    expect(sameSession({ ...s, viewers: [{ id: "sup_1", name: "Sam" }] }, s)).toBe(true);
    expect(sameSession(s, { ...s, handoff: null })).toBe(false);
  });
});
