/** A bounded log of what a supervisor may want to look back at: interventions, errors, sessions coming and going. */
import type { ActivityEntry } from "../panel-protocol";
import type { EventFrame } from "../protocol";

export interface ActivityLog {
  /** Records the event if it belongs in the log; returns the entry added. */
  record(event: EventFrame): ActivityEntry | null;
  add(entry: ActivityEntry): void;
  entries(): ActivityEntry[];
  restore(entries: ActivityEntry[]): void;
  readonly size: number;
}

export const ACTIVITY_LIMIT = 500;

export function activityOf(event: EventFrame): ActivityEntry | null {
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
    default:
      return null;
  }
}

export function createActivityLog(limit = ACTIVITY_LIMIT): ActivityLog {
  // Amortised trimming: grow to 2×limit, then cut back to limit (no per-entry shift).
  let items: ActivityEntry[] = [];
  function add(entry: ActivityEntry): void {
    items.push(entry);
    if (items.length >= limit * 2) items = items.slice(-limit);
  }
  return {
    record(event) {
      const entry = activityOf(event);
      if (entry) add(entry);
      return entry;
    },
    add,
    entries() {
      return items.length > limit ? items.slice(-limit) : items.slice();
    },
    restore(entries) {
      items = entries.slice(-limit);
    },
    get size() {
      return Math.min(items.length, limit);
    },
  };
}
