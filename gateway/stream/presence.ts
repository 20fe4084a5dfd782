/**
 * Presence (issue 12): who has a session open right now — the users whose
 * stream connections watch it (the worker watches the transcripts its panels
 * show). Per org; ephemeral (never in the event log). Each change of a
 * session's viewers is told to every listener (each connection of the org),
 * which shapes it for its own user (`presenceFor`): silent co-browsers
 * (`monitored_by`) are shown to admins only, marked `silent`.
 */
import type { PresenceViewer, Session } from "../../utils/protocol/index.ts";

export interface ViewerRef {
  id: string;
  name: string;
}

export interface PresenceRegistry {
  /** A connection's watch set changed (or it closed: an empty set). */
  setWatch(connId: string, user: ViewerRef, sessionIds: Iterable<string>): void;
  /** The distinct users viewing a session, in the order they came. */
  viewers(sessionId: string): ViewerRef[];
  /** Sessions somebody views now. */
  sessions(): string[];
  /** The session ended: nobody views it any more (its entries go; watchers are told once). */
  sessionEnded(sessionId: string): void;
  /** Called with each session whose set of viewers changed. Returns the unsubscribe function. */
  onChange(fn: (sessionId: string) => void): () => void;
}

export function createPresence(): PresenceRegistry {
  /** session → connection → user */
  const bySession = new Map<string, Map<string, ViewerRef>>();
  const byConn = new Map<string, Set<string>>();
  const listeners = new Set<(sid: string) => void>();
  const ids = (sid: string) =>
    [...new Set([...(bySession.get(sid)?.values() ?? [])].map((u) => u.id))].join();

  return {
    setWatch(connId, user, sessionIds) {
      const next = new Set(sessionIds);
      const prev = byConn.get(connId) ?? new Set<string>();
      const touched = new Set([...prev, ...next]);
      const before = new Map([...touched].map((sid) => [sid, ids(sid)]));
      for (const sid of prev)
        if (!next.has(sid)) {
          const m = bySession.get(sid);
          m?.delete(connId);
          if (m?.size === 0) bySession.delete(sid);
        }
      for (const sid of next) {
        let m = bySession.get(sid);
        if (!m) {
          m = new Map();
          bySession.set(sid, m);
        }
        m.set(connId, user);
      }
      if (next.size === 0) byConn.delete(connId);
      else byConn.set(connId, next);
      for (const sid of touched) if (before.get(sid) !== ids(sid)) for (const fn of [...listeners]) fn(sid);
    },
    viewers(sid) {
      const seen = new Map<string, ViewerRef>();
      for (const u of bySession.get(sid)?.values() ?? []) if (!seen.has(u.id)) seen.set(u.id, u);
      return [...seen.values()];
    },
    sessions: () => [...bySession.keys()],
    sessionEnded(sid) {
      const m = bySession.get(sid);
      if (!m) return;
      bySession.delete(sid);
      for (const connId of m.keys()) {
        const set = byConn.get(connId);
        set?.delete(sid);
        if (set?.size === 0) byConn.delete(connId);
      }
      for (const fn of [...listeners]) fn(sid);
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/** The viewers of a session as one user may see them: silent co-browsers only for admins. */
export function presenceFor(
  viewers: ViewerRef[],
  session: Session | undefined,
  admin: boolean,
): PresenceViewer[] {
  const silent = new Set(session?.monitored_by ?? []);
  const out: PresenceViewer[] = [];
  for (const v of viewers) {
    if (!silent.has(v.id)) out.push({ id: v.id, name: v.name });
    else if (admin) out.push({ id: v.id, name: v.name, silent: true });
  }
  return out;
}
