/**
 * Why a session ended, in words for the panel (issue 19): the gateway's and
 * the runtimes' `session_ended.reason` codes; any other reason is shown as is.
 */
import type { ActivityEntry } from "./activity-schema";

const WORDS: Record<string, string> = {
  runtime_lost: "its agent runtime did not come back in time (runtime_lost)",
  gateway_restart: "the gateway restarted without its agent (gateway_restart)",
};

export function endReasonText(reason: string): string {
  return WORDS[reason] ?? reason;
}

/** The reason of the session's last `ended` entry in the activity log, if it is there. */
export function endReasonOf(activity: readonly ActivityEntry[], sessionId: string): string | null {
  for (let i = activity.length - 1; i >= 0; i--) {
    const e = activity[i];
    if (e?.kind === "session" && e.what === "ended" && e.session_id === sessionId) return e.detail ?? null;
  }
  return null;
}
