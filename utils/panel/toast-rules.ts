/**
 * Which of what the panel sees deserves an in-app toast: an error of severity
 * error/critical, a handoff to the human queue, an intervention the agent
 * runtime did not apply (refused, offline, silent: whoever sent it may have
 * moved on), and the connection lost for more than a minute. Session changes
 * (urgent, a hand-off request, the human queue's outcome) are drafted by the
 * worker, which sees every session (`utils/attention/session-toasts.ts`).
 */
import type { ToastDraft } from "../attention/toast-schema";
import { ACTION_LABELS, describeAgentFailure } from "../interventions";
import type { ActivityEntry, ConnectionInfo } from "../panel-messages";

export type { ToastDraft, ToastSeverity } from "../attention/toast-schema";

export interface Toast extends ToastDraft {
  id: number;
  at: number;
}

export const CONNECTION_LOST_TOAST_MS = 60_000;
export const TOAST_VISIBLE_MS = 8_000;

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
