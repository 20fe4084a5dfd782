/**
 * The in-panel toasts for session changes, drafted where every session is
 * seen (panels see only the rows on their screens): an urgent session started
 * or raised to urgent, the AI asking for a human (a new hand-off request), and
 * the human queue's outcome as it happens. The drafter remembers each
 * session as last judged; the first sessions it learns of (the worker's first
 * snapshot or its restored state) raise no toast — only those: once it knew a
 * session, an org that later has none left still gets its next urgent one.
 */
import type { Session } from "../protocol";
import type { ToastDraft } from "./toast-schema";

function who(s: Session): string {
  return s.user.name ?? s.user.id;
}

export function toastForUpsert(prev: Session | undefined, next: Session): ToastDraft | null {
  if (next.status === "ended") return null;
  if (next.handoff && !prev?.handoff)
    return {
      title: "The AI asks for a human",
      body: `${who(next)}: ${next.handoff.reason}`,
      severity: "warning",
      session_id: next.id,
    };
  const q = next.human_queue;
  // Only as it happens (a session first seen with an outcome already has it).
  if (
    prev &&
    q &&
    q.status !== "waiting" &&
    (prev.human_queue?.status !== q.status || prev.human_queue.at !== q.at)
  )
    return q.status === "expired"
      ? {
          title: "Nobody picked up the transfer",
          body: `${who(next)}: nobody from the human queue picked it up in time`,
          severity: "warning",
          session_id: next.id,
        }
      : {
          title: `Picked up by ${q.by?.name ?? "a person"}`,
          body: `${who(next)} is with a person now`,
          severity: "info",
          session_id: next.id,
        };
  if (next.priority !== "urgent") return null;
  if (prev?.priority === "urgent") return null;
  return {
    title: prev ? "Session raised to urgent" : "Urgent session started",
    body: `${who(next)} with ${next.agent.name}`,
    severity: "warning",
    session_id: next.id,
  };
}

export interface SessionToasts {
  /** Judges these sessions (changed, joined or left) against how they were last seen. */
  changed(ids: Iterable<string>, opts?: { snapshot?: boolean }): ToastDraft[];
}

export function createSessionToasts(get: (id: string) => Session | undefined): SessionToasts {
  const known = new Map<string, Session>();
  return {
    changed(ids, opts = {}) {
      const out: ToastDraft[] = [];
      for (const id of ids) {
        const prev = known.get(id);
        const next = get(id);
        if (!next) {
          known.delete(id);
          continue;
        }
        known.set(id, next);
        // A session a snapshot brings that was not known before did not just happen: the worker's first
        // snapshot, or one that ended a gap, is not news; a change to a known session is.
        if (prev === next || (opts.snapshot && !prev)) continue;
        const draft = toastForUpsert(prev, next);
        if (draft) out.push(draft);
      }
      return out;
    },
  };
}
