/**
 * PROPOSAL (not wired yet): the audit history for the intervention log.
 * The panel has no HTTP access of its own, so the worker would answer a new
 * panel message with `GET /v1/interventions`. Both messages would be additive
 * members of PanelToWorker / WorkerToPanel in utils/panel-messages/:
 *
 *   panel → worker  {type: "interventions", request_id, session_id?, after?, limit?}
 *   worker → panel  {type: "interventions", request_id, interventions: Intervention[]}
 *                 | {type: "interventions", request_id, error: {code, message}}
 *
 * The worker would build the path with `interventionsPath` and check the body
 * with `decodeInterventionsAnswer`; the panel merges the answer with the live
 * `intervention_triggered` entries via `mergeInterventions`.
 */
import { decodeWith, type Intervention, InterventionsResponse } from "../protocol";

export interface InterventionsQuery {
  session_id?: string;
  /** Audit sequence number to continue after. */
  after?: number;
  limit?: number;
}

export type InterventionsRequest = { type: "interventions"; request_id: string } & InterventionsQuery;

export type InterventionsAnswer =
  | { type: "interventions"; request_id: string; interventions: Intervention[] }
  | { type: "interventions"; request_id: string; error: { code: string; message: string } };

export const HISTORY_LIMIT_MAX = 1000;

export function interventionsPath(q: InterventionsQuery = {}): string {
  const p = new URLSearchParams();
  if (q.session_id) p.set("session_id", q.session_id);
  if (q.after !== undefined && Number.isInteger(q.after) && q.after >= 0) p.set("after", String(q.after));
  if (q.limit !== undefined && Number.isInteger(q.limit) && q.limit > 0)
    p.set("limit", String(Math.min(q.limit, HISTORY_LIMIT_MAX)));
  const s = p.toString();
  return s ? `/v1/interventions?${s}` : "/v1/interventions";
}

export function decodeInterventionsAnswer(
  body: unknown,
): { ok: true; interventions: Intervention[] } | { ok: false; message: string } {
  const d = decodeWith(InterventionsResponse, body);
  if (!d.ok) return { ok: false, message: `${d.error.path || "body"}: ${d.error.message}` };
  return { ok: true, interventions: d.value.interventions };
}
