/**
 * Applies numbered events to an org's state (sessions and transcripts). Used
 * live and when a restarted gateway rebuilds its state from the saved
 * snapshot plus the events after it.
 */
import {
  type AgentStep,
  type DraftReady,
  type EventFrame,
  insightAfterMessage,
  type Message,
  previewOf,
  queueAfter,
  reviewAfterDraft,
  type Session,
  statusAfter,
} from "../../utils/protocol/index.ts";
import type { TranscriptArchive } from "./event-log.ts";

export interface SessionEntry {
  session: Session;
  /** The newest messages (all of them up to `MAX_MESSAGES` without an archive, the last `ARCHIVED_TAIL` with one). */
  messages: Message[];
  /** With an archive: how many of the session's messages left `messages` for it (the number of `messages[0]`). */
  archived?: number;
  /** The agent steps of the recent replies, in order, the last version of each (bounded). */
  steps?: AgentStep[];
  /** Review mode: the drafts waiting for a supervisor, by draft id (what approve/reject may name). */
  drafts?: string[];
  /** The same drafts whole, for `GET /v1/sessions/{id}` (a client that missed `draft_ready` gets them back). */
  waiting?: DraftReady[];
}
export type Sessions = Map<string, SessionEntry>;

/** The messages a session's transcript keeps (`GET /v1/sessions/{id}`); older ones are dropped. */
export const MAX_MESSAGES = 300;
/** With an archive, the messages kept in memory per session: memory stays flat however long sessions run. */
export const ARCHIVED_TAIL = 20;
const MAX_ENDED = 100;
/** Agent steps kept per session (a reply has a handful). */
export const MAX_STEPS = 200;

export interface ReducerHooks {
  /** Told of each session the reducer drops from the map (the oldest ended ones), before it is gone. */
  onRemoved?: (id: string, entry: SessionEntry) => void;
  /** Where messages leaving a session's in-memory tail go (none: kept in memory up to `MAX_MESSAGES`). */
  archive?: Pick<TranscriptArchive, "put" | "drop">;
}

export function applyEvent(sessions: Sessions, ev: EventFrame, hooks: ReducerHooks = {}): void {
  if (ev.kind === "session_started") {
    // An id that starts again starts with an empty transcript.
    hooks.archive?.drop(ev.data.id);
    sessions.set(ev.data.id, { session: { ...ev.data }, messages: [] });
    pruneEnded(sessions, hooks);
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
      // A message comes again with its id only as the same message (a resend); it is sought in memory.
      const i = entry.messages.findIndex((m) => m.id === msg.id);
      if (i >= 0) entry.messages[i] = msg;
      else {
        entry.messages.push(msg);
        s.message_count += 1;
        keepTail(ev.session_id as string, entry, hooks.archive);
      }
      if (msg.role !== "system" && msg.text) s.preview = previewOf(msg.text);
      s.status = statusAfter(s.status, ev.kind, msg.role);
      insightAfterMessage(s, msg);
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
      // Nothing waits on an ended session (the worker drops its drafts too).
      delete entry.waiting;
      break;
    case "agent_step":
      upsertStep(entry, ev.data);
      break;
    case "handoff_requested":
      s.handoff = { ...ev.data };
      break;
    case "human_queue":
      queueAfter(s, ev.data);
      break;
    case "draft_ready":
      entry.drafts ??= [];
      if (!entry.drafts.includes(ev.data.draft_id)) {
        entry.drafts.push(ev.data.draft_id);
        entry.waiting = [...(entry.waiting ?? []), ev.data];
        reviewAfterDraft(s, ev.kind);
      }
      s.status = statusAfter(s.status, ev.kind);
      break;
    case "draft_resolved": {
      const i = entry.drafts?.indexOf(ev.data.draft_id) ?? -1;
      if (i >= 0) {
        entry.drafts?.splice(i, 1);
        entry.waiting = entry.waiting?.filter((d) => d.draft_id !== ev.data.draft_id);
        reviewAfterDraft(s, ev.kind);
      }
      break;
    }
    default: // intervention_result among others: only last_activity_at (the runtime's effects are events of their own)
      break;
  }
}

function keepTail(id: string, entry: SessionEntry, archive: ReducerHooks["archive"]): void {
  if (!archive) {
    if (entry.messages.length > MAX_MESSAGES) entry.messages.shift();
    return;
  }
  while (entry.messages.length > ARCHIVED_TAIL) {
    const n = entry.archived ?? 0;
    archive.put(id, n, entry.messages.shift() as Message);
    entry.archived = n + 1;
  }
}

function upsertStep(entry: SessionEntry, step: AgentStep): void {
  entry.steps ??= [];
  const list = entry.steps;
  // The same step comes again as it changes (running → ok | error): usually the last one.
  for (let i = list.length - 1; i >= Math.max(0, list.length - 20); i--) {
    if (list[i]?.step_id === step.step_id) {
      list[i] = step;
      return;
    }
  }
  list.push(step);
  if (list.length > MAX_STEPS) list.splice(0, list.length - MAX_STEPS);
}

function pruneEnded(sessions: Sessions, { onRemoved, archive }: ReducerHooks): void {
  let ended = 0;
  for (const e of sessions.values()) if (e.session.status === "ended") ended++;
  if (ended <= MAX_ENDED) return;
  for (const [id, e] of sessions) {
    if (ended <= MAX_ENDED) break;
    if (e.session.status === "ended") {
      onRemoved?.(id, e);
      archive?.drop(id);
      sessions.delete(id);
      ended--;
    }
  }
}
