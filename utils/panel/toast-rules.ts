/**
 * Which changes deserve an in-app toast: the same events as the desktop
 * notifications — an urgent session started or raised to urgent, an error of
 * severity error/critical, a handoff to the human queue, the AI asking for a
 * human (a new hand-off request), and the connection lost for more than a
 * minute — plus an intervention the agent runtime did not apply (refused,
 * offline, silent): whoever sent it may have moved on.
 */
import { ACTION_LABELS, describeAgentFailure } from "../interventions";
import type { ActivityEntry, ConnectionInfo } from "../panel-messages";
import type { Session } from "../protocol";

export type ToastSeverity = "info" | "warning" | "error";

export interface ToastDraft {
  title: string;
  body: string;
  severity: ToastSeverity;
  session_id?: string;
}

export interface Toast extends ToastDraft {
  id: number;
  at: number;
}

export const CONNECTION_LOST_TOAST_MS = 60_000;
export const TOAST_VISIBLE_MS = 8_000;

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

export function toastForActivity(entry: ActivityEntry): ToastDraft | null {
  if (entry.kind === "error") {
    if (entry.severity !== "error" && entry.severity !== "critical") return null;
    return {
      title: entry.severity === "critical" ? `Critical error: ${entry.code}` : `Error: ${entry.code}`,
      body: entry.message,
      severity: "error",
      ...(entry.session_id ? { session_id: entry.session_id } : {}),
    };
  }
  if (entry.kind === "intervention") {
    const i = entry.intervention;
    const payload = i.payload;
    const toHuman =
      i.type === "transfer" &&
      typeof payload === "object" &&
      payload !== null &&
      (payload as Record<string, unknown>).queue === "human";
    if (!toHuman) return null;
    return {
      title: "Handoff to the human queue",
      body: i.reason,
      severity: "info",
      session_id: i.session_id,
    };
  }
  if (entry.kind === "intervention_result" && entry.result.outcome !== "applied") {
    const r = entry.result;
    return {
      title: `${ACTION_LABELS[r.action].noun} not applied by the agent`,
      body: describeAgentFailure(r),
      severity: "warning",
      session_id: entry.session_id,
    };
  }
  return null;
}

const LOST_STATES = new Set(["reconnecting", "polling", "offline"]);

/** True when the connection has been down for over a minute. */
export function connectionLostTooLong(c: ConnectionInfo | null, now: number): boolean {
  // From when the data stopped being live (kept across reconnecting → offline), not the last state change.
  return (
    c !== null && LOST_STATES.has(c.state) && now - (c.stale_since ?? c.since) > CONNECTION_LOST_TOAST_MS
  );
}
