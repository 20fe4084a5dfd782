/**
 * The activity feed's kinds as a supervisor filters them: the seven lifecycle
 * kinds of a session plus errors. One entry has one kind; an intervention's
 * result counts as an intervention.
 */
import type { ActivityEntry } from "./activity-schema";

export const FEED_KINDS = [
  "started",
  "user_message",
  "agent_response",
  "status",
  "intervention",
  "transfer",
  "ended",
  "error",
] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export const FEED_KIND_LABELS: Record<FeedKind, string> = {
  started: "Started",
  user_message: "User messages",
  agent_response: "Agent responses",
  status: "Status changes",
  intervention: "Interventions",
  transfer: "Transfers",
  ended: "Ended",
  error: "Errors",
};

export function feedKindOf(e: ActivityEntry): FeedKind {
  switch (e.kind) {
    case "session":
      return e.what === "started" ? "started" : "ended";
    case "message":
      return e.role === "user" ? "user_message" : "agent_response";
    case "status":
      return "status";
    case "transfer":
      return "transfer";
    case "intervention":
    case "intervention_result":
      return "intervention";
    case "error":
      return "error";
  }
}

/** The session an entry is about, or null (a system-wide error). */
export function sessionOf(e: ActivityEntry): string | null {
  return e.kind === "intervention" ? e.intervention.session_id : e.session_id;
}

/** How many entries the worker's log and each panel keep. */
export const ACTIVITY_LIMIT = 1000;

/** Messages and status changes come by the thousand; everything else is rare and worth keeping longer. */
export function isChatty(e: ActivityEntry): boolean {
  return e.kind === "message" || e.kind === "status";
}

/**
 * Bounds a log (oldest first) to `limit` entries: the oldest chatty entries go
 * first, so a flood of messages never pushes out the interventions, transfers,
 * starts and ends before them. Returns the same array when nothing is dropped.
 */
export function boundActivity(items: ActivityEntry[], limit: number): ActivityEntry[] {
  const excess = items.length - limit;
  if (excess <= 0) return items;
  let chatty = 0;
  for (const e of items) if (isChatty(e)) chatty++;
  let dropChatty = Math.min(excess, chatty);
  let dropOther = excess - dropChatty;
  const out: ActivityEntry[] = [];
  for (const e of items) {
    if (isChatty(e)) {
      if (dropChatty > 0) {
        dropChatty--;
        continue;
      }
    } else if (dropOther > 0) {
      dropOther--;
      continue;
    }
    out.push(e);
  }
  return out;
}
