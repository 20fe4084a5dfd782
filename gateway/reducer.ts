/**
 * Applies numbered events to an org's state (sessions and transcripts). Used
 * live and when a restarted gateway rebuilds its state from the saved
 * snapshot plus the events after it.
 */
import {
  type EventFrame,
  type Message,
  previewOf,
  type Session,
  statusAfter,
} from "../utils/protocol/index.ts";

export interface SessionEntry {
  session: Session;
  messages: Message[];
}
export type Sessions = Map<string, SessionEntry>;

const MAX_MESSAGES = 300;
const MAX_ENDED = 100;

export function applyEvent(sessions: Sessions, ev: EventFrame): void {
  if (ev.kind === "session_started") {
    sessions.set(ev.data.id, { session: { ...ev.data }, messages: [] });
    pruneEnded(sessions);
    return;
  }
  const entry = ev.session_id ? sessions.get(ev.session_id) : undefined;
  if (!entry) return;
  const s = entry.session;
  s.last_activity_at = ev.ts;
  switch (ev.kind) {
    case "message_received":
    case "message_sent": {
      const msg = ev.data as Message;
      const i = entry.messages.findIndex((m) => m.id === msg.id);
      if (i >= 0) entry.messages[i] = msg;
      else {
        entry.messages.push(msg);
        s.message_count += 1;
        if (entry.messages.length > MAX_MESSAGES) entry.messages.shift();
      }
      if (msg.role !== "system" && msg.text) s.preview = previewOf(msg.text);
      s.status = statusAfter(s.status, ev.kind, msg.role);
      break;
    }
    case "agent_thinking":
    case "stream_started":
      s.status = statusAfter(s.status, ev.kind);
      break;
    case "session_updated":
      Object.assign(s, ev.data);
      break;
    case "session_ended":
      s.status = "ended";
      break;
    default: // intervention_result among others: only last_activity_at (the runtime's effects are events of their own)
      break;
  }
}

function pruneEnded(sessions: Sessions): void {
  let ended = 0;
  for (const e of sessions.values()) if (e.session.status === "ended") ended++;
  if (ended <= MAX_ENDED) return;
  for (const [id, e] of sessions) {
    if (ended <= MAX_ENDED) break;
    if (e.session.status === "ended") {
      sessions.delete(id);
      ended--;
    }
  }
}
