/**
 * Is this supervisor silently co-browsing the session? `monitored_by` is only
 * sent to admins, so for everyone else the answer comes from the audit trail
 * (the latest co-browse intervention by this user) and from acks not yet
 * announced by an `intervention_triggered` event.
 */
import type { Intervention, Session } from "../protocol";

export interface AckedCobrowse {
  action: "cobrowse_start" | "cobrowse_stop";
  intervention_id: string;
}

export function isCobrowsing(
  session: Session | null,
  userId: string | null,
  interventions: readonly Intervention[],
  acked: readonly AckedCobrowse[],
): boolean {
  if (!session || !userId) return false;
  const known = new Set<string>();
  let fromLog: boolean | null = null;
  for (const i of interventions) {
    known.add(i.intervention_id);
    if (i.session_id !== session.id || i.admin_id !== userId) continue;
    if (i.type === "cobrowse_start") fromLog = true;
    else if (i.type === "cobrowse_stop") fromLog = false;
  }
  const fresh = acked.filter((a) => !known.has(a.intervention_id)).at(-1);
  if (fresh) return fresh.action === "cobrowse_start";
  if (Array.isArray(session.monitored_by)) return session.monitored_by.includes(userId);
  return fromLog ?? false;
}
