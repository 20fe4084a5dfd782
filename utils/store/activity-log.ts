/**
 * The activity feed's log in the worker: the whole lifecycle of every session
 * (started, user messages, complete agent replies, status changes,
 * interventions, transfers, ended) plus errors, each entry named by user and
 * agent as they were at that moment. Bounded: chatty entries (messages, status
 * changes) are dropped first (`boundActivity`).
 */

import type { ActivityEntry, ActivityWho } from "../activity/activity-schema";
import { ACTIVITY_LIMIT, boundActivity } from "../activity/kinds";
import type { EventFrame, Session } from "../protocol";
import { previewOf } from "../protocol";

export interface ActivityLog {
  /** Records what the event means for the feed; returns the entries added (none, one, or one and a status change). */
  record(event: EventFrame, context?: ActivityContext): ActivityEntry[];
  add(entry: ActivityEntry): void;
  entries(): ActivityEntry[];
  restore(entries: ActivityEntry[]): void;
  readonly size: number;
}

/** What the session was just before the event, and what it is after it (absent once ended). */
export interface ActivityContext {
  before: SessionFacts | null;
  after: Session | undefined;
}

/** The few facts of a session the log compares (the store mutates sessions in place, so they are copied). */
export interface SessionFacts {
  status: string;
  agent: string;
  user: string;
}

export { ACTIVITY_LIMIT };

export function factsOf(s: Session): SessionFacts {
  return { status: s.status, agent: s.agent.name, user: s.user.name?.trim() || s.user.id };
}

function baseEntry(event: EventFrame, ctx: ActivityContext | undefined): ActivityEntry | null {
  const before = ctx?.before ?? null;
  const after = ctx?.after;
  switch (event.kind) {
    case "intervention_triggered":
      return { kind: "intervention", at: event.ts, intervention: event.data };
    case "intervention_result":
      return { kind: "intervention_result", at: event.ts, session_id: event.session_id, result: event.data };
    case "error_occurred":
      return {
        kind: "error",
        at: event.ts,
        session_id: event.session_id,
        code: event.data.code,
        message: event.data.message,
        severity: event.data.severity,
      };
    case "session_started":
      return { kind: "session", at: event.ts, session_id: event.session_id, what: "started" };
    case "session_ended":
      return {
        kind: "session",
        at: event.ts,
        session_id: event.session_id,
        what: "ended",
        detail: event.data.reason,
      };
    case "message_received":
    case "message_sent": {
      const role = event.data.role;
      // Only user messages and agent replies; a reply of an agent that was never seen (no session) too.
      if ((role !== "user" && role !== "agent") || !event.data.text) return null;
      // The session's preview was just set from this message (the store's own cut): no second pass over the text.
      const text = after?.preview || previewOf(event.data.text);
      return { kind: "message", at: event.ts, session_id: event.session_id, role, text };
    }
    default:
      if (!before || !after || event.session_id === null) return null;
      if (before.agent !== after.agent.name)
        return {
          kind: "transfer",
          at: event.ts,
          session_id: event.session_id,
          from: before.agent,
          to: after.agent.name,
        };
      return null;
  }
}

/**
 * The entries an event adds: its own (if it belongs in the feed) and, when it
 * changed the session's status, a status change after it.
 */
export function activityOf(event: EventFrame, ctx?: ActivityContext): ActivityEntry[] {
  const out: ActivityEntry[] = [];
  const who = whoOf(event, ctx);
  const entry = baseEntry(event, ctx);
  if (entry) {
    if (who) entry.who = who; // a fresh object: set in place, no copy per event
    out.push(entry);
  }
  const before = ctx?.before;
  const after = ctx?.after;
  if (before && after && event.session_id !== null && before.status !== after.status) {
    const status: ActivityEntry = {
      kind: "status",
      at: event.ts,
      session_id: event.session_id,
      from: before.status,
      to: after.status,
    };
    if (who) status.who = who;
    out.push(status);
  }
  return out;
}

function whoOf(event: EventFrame, ctx: ActivityContext | undefined): ActivityWho | undefined {
  if (ctx?.after)
    return { user: ctx.after.user.name?.trim() || ctx.after.user.id, agent: ctx.after.agent.name };
  if (ctx?.before) return { user: ctx.before.user, agent: ctx.before.agent };
  if (event.kind === "session_started")
    return { user: event.data.user.name?.trim() || event.data.user.id, agent: event.data.agent.name };
  return undefined;
}

export function createActivityLog(limit = ACTIVITY_LIMIT): ActivityLog {
  // Amortised trimming: grow to 2×limit, then cut back to limit (one pass, no per-entry shift).
  let items: ActivityEntry[] = [];
  function add(entry: ActivityEntry): void {
    items.push(entry);
    if (items.length >= limit * 2) items = boundActivity(items, limit);
  }
  return {
    record(event, context) {
      const added = activityOf(event, context);
      for (const e of added) add(e);
      return added;
    },
    add,
    entries() {
      return boundActivity(items, limit).slice();
    },
    restore(entries) {
      items = boundActivity(entries.slice(), limit);
    },
    get size() {
      return Math.min(items.length, limit);
    },
  };
}
