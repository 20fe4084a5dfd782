/** The worker's session toasts: drafted per changed session against how it was last seen. */
import { describe, expect, it } from "vitest";
import { createSessionToasts } from "@/utils/attention/session-toasts";
import type { Session } from "@/utils/protocol";
import { makeSession } from "../fixtures/frames";

function setup() {
  const sessions = new Map<string, Session>();
  const toasts = createSessionToasts((id) => sessions.get(id));
  const put = (over: Record<string, unknown>) => {
    const s = makeSession(over) as Session;
    sessions.set(s.id, s);
    return s.id;
  };
  return { sessions, toasts, put };
}

describe("session toasts", () => {
  it("sessions a snapshot brings are not news; later changes are", () => {
    const { toasts, put } = setup();
    expect(toasts.changed([])).toEqual([]); // a flush before the first snapshot (the connection changed)
    const first = [put({ id: "s1", priority: "urgent" }), put({ id: "s2" })];
    expect(toasts.changed(first, { snapshot: true })).toEqual([]);
    expect(toasts.changed([put({ id: "s2", priority: "urgent" })])).toMatchObject([
      { title: "Session raised to urgent", session_id: "s2" },
    ]);
    expect(toasts.changed([put({ id: "s2", priority: "urgent", preview: "again" })])).toEqual([]);
    expect(toasts.changed([put({ id: "s3", priority: "urgent" })])).toMatchObject([
      { title: "Urgent session started", session_id: "s3" },
    ]);
    // A snapshot that ends a gap: a known session raised to urgent in the gap is news, a new one is not.
    const raised = put({ id: "s1", priority: "normal" });
    toasts.changed([raised]);
    const gap = [put({ id: "s1", priority: "urgent" }), put({ id: "s5", priority: "urgent" })];
    expect(toasts.changed(gap, { snapshot: true })).toMatchObject([
      { title: "Session raised to urgent", session_id: "s1" },
    ]);
  });

  it("an empty first snapshot: the first session ever started is news", () => {
    const { toasts, put } = setup();
    expect(toasts.changed([], { snapshot: true })).toEqual([]);
    expect(toasts.changed([put({ id: "s1", priority: "urgent" })])).toMatchObject([
      { title: "Urgent session started", session_id: "s1" },
    ]);
  });

  it("after every session ended, a new urgent session is still news", () => {
    const { sessions, toasts, put } = setup();
    toasts.changed([put({ id: "s1" })]);
    sessions.delete("s1");
    expect(toasts.changed(["s1"])).toEqual([]);
    expect(toasts.changed([put({ id: "s4", priority: "urgent" })])).toMatchObject([
      { title: "Urgent session started", session_id: "s4" },
    ]);
  });
});
