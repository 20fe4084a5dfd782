/**
 * What the agent runtime owning a session did with an intervention
 * (`intervention_result` events, via the activity log), by intervention_id,
 * and how a status line says it.
 */
import type { ActivityEntry } from "../panel-messages";
import type { InterventionResult } from "../protocol";

export function agentResultsFrom(activity: readonly ActivityEntry[]): Map<string, InterventionResult> {
  const out = new Map<string, InterventionResult>();
  for (const a of activity) if (a.kind === "intervention_result") out.set(a.result.intervention_id, a.result);
  return out;
}

const FAILURES: Record<string, string> = {
  RUNTIME_OFFLINE: "the agent runtime stayed offline, so nothing was applied",
  RUNTIME_TIMEOUT: "the agent runtime did not confirm it in time",
  SESSION_ENDED: "the session ended before the agent applied it",
};

/** Why the agent did not apply it, in words (the runtime's detail is untrusted: shown as text only). */
export function describeAgentFailure(r: InterventionResult): string {
  if (r.outcome === "rejected") return `the agent refused it${r.detail ? `: ${r.detail}` : ""}`;
  const known = r.code ? FAILURES[r.code] : undefined;
  return known ?? `the agent runtime could not apply it${r.detail ? `: ${r.detail}` : ""}`;
}
