/**
 * The intervention log: audit records from the live activity feed and, when
 * the worker offers it, from `GET /v1/interventions`, one row per
 * intervention_id, newest first, optionally for one session.
 */
import * as v from "valibot";
import type { ActivityEntry } from "../panel-messages";
import { type Intervention, JsonObject } from "../protocol";
import { ACTION_SHORT } from "./action-catalog";

export function interventionsFromActivity(activity: readonly ActivityEntry[]): Intervention[] {
  const out: Intervention[] = [];
  for (const a of activity) if (a.kind === "intervention") out.push(a.intervention);
  return out;
}

export function mergeInterventions(
  sources: readonly (readonly Intervention[])[],
  sessionId?: string | null,
): Intervention[] {
  const byId = new Map<string, Intervention>();
  for (const list of sources)
    for (const i of list) {
      if (sessionId && i.session_id !== sessionId) continue;
      byId.set(i.intervention_id, i);
    }
  const time = (i: Intervention) => Date.parse(i.timestamp);
  return [...byId.values()].sort(
    (a, b) => time(b) - time(a) || b.intervention_id.localeCompare(a.intervention_id),
  );
}

/** Local date and time of an ISO timestamp, e.g. "24 Jun 2026, 18:30:00". */
export function localTime(iso: string, locale?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** What the payload of an intervention said, in a line (text is shown as text, never HTML). */
const quoted = (t: string) => (t.length > 120 ? `“${t.slice(0, 119)}…”` : `“${t}”`);

/** An approved draft with a `text` of its own was edited (issue 24): the log calls it "Edit draft". */
export function isDraftEdit(i: Pick<Intervention, "type" | "payload">): boolean {
  return i.type === "approve_draft" && v.is(JsonObject, i.payload) && typeof i.payload.text === "string";
}

/** The log's name for an intervention: its action's, "Edit draft" for an edit. */
export function interventionLabel(i: Pick<Intervention, "type" | "payload">): string {
  return isDraftEdit(i) ? "Edit draft" : (ACTION_SHORT[i.type] ?? i.type);
}

export function payloadSummary(i: Intervention, agentName?: (id: string) => string | undefined): string {
  // An audit record's payload as the gateway kept it (with an edit's `original_text`): read, never trusted.
  const rec = i.payload;
  if (!v.is(JsonObject, rec)) return "";
  // An edit: the draft as the agent wrote it (the gateway's record) and what was sent instead.
  if (isDraftEdit(i) && typeof rec.text === "string")
    return typeof rec.original_text === "string"
      ? `${quoted(rec.original_text)} → ${quoted(rec.text)}`
      : quoted(rec.text);
  if (typeof rec.text === "string") return quoted(rec.text);
  if (i.type === "review_mode" && typeof rec.enabled === "boolean")
    return `${rec.enabled ? "on" : "off"}${typeof rec.agent_id === "string" ? ` for every session of ${agentName?.(rec.agent_id) ?? rec.agent_id}` : ""}`;
  if (rec.queue === "human") return "to the human queue";
  if (typeof rec.agent_id === "string") return `to ${agentName?.(rec.agent_id) ?? rec.agent_id}`;
  return "";
}
