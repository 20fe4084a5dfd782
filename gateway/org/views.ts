/**
 * What each role may see: `monitored_by` (who is silently co-browsing) is
 * visible to admins only. Everything sent to a client passes through here.
 */
import type { EventFrame, Session } from "../../utils/protocol/index.ts";

export function viewSession(s: Session, admin: boolean): Session {
  if (admin || s.monitored_by === undefined) return s;
  const { monitored_by: _hidden, ...rest } = s;
  return rest;
}

export function viewEvent(ev: EventFrame, admin: boolean): EventFrame {
  if (admin) return ev;
  if (ev.kind !== "session_started" && ev.kind !== "session_updated") return ev;
  if (!ev.data || !("monitored_by" in ev.data)) return ev;
  const { monitored_by: _hidden, ...data } = ev.data;
  return { ...ev, data } as EventFrame;
}
