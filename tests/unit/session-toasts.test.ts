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
  it("the first sessions the worker learns of are not news; later changes are", () => {
    const { toasts, put } = setup();
    expect(toasts.changed([])).toEqual([]); // a flush before the first snapshot (the connection changed)
    expect(toasts.changed([put({ id: "s1", priority: "urgent" }), put({ id: "s2" })])).toEqual([]);
    expect(toasts.changed([put({ id: "s2", priority: "urgent" })])).toMatchObject([
      { title: "Session raised to urgent", session_id: "s2" },
    ]);
    expect(toasts.changed([put({ id: "s2", priority: "urgent", preview: "again" })])).toEqual([]);
    expect(toasts.changed([put({ id: "s3", priority: "urgent" })])).toMatchObject([
      { title: "Urgent session started", session_id: "s3" },
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
