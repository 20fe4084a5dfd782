/**
 * One entry of the activity log (recorded by the worker's store, shown by the
 * panel's feed): the schema is the definition, the type is inferred.
 */
import * as v from "valibot";
import { Intervention, InterventionResult } from "../protocol";

/** Who a session is with, as the worker knew it when the entry was recorded (ended sessions keep their names). */
export const ActivityWhoSchema = v.object({ user: v.string(), agent: v.string() });
export type ActivityWho = v.InferOutput<typeof ActivityWhoSchema>;

const who = v.optional(ActivityWhoSchema);
const at = v.string();

export const ActivityEntrySchema = v.variant("kind", [
  v.object({ kind: v.literal("intervention"), at, intervention: Intervention, who }),
  /** What the agent runtime that owns the session did with an intervention. */
  v.object({
    kind: v.literal("intervention_result"),
    at,
    session_id: v.string(),
    result: InterventionResult,
    who,
  }),
  v.object({
    kind: v.literal("error"),
    at,
    session_id: v.nullable(v.string()),
    code: v.string(),
    message: v.string(),
    severity: v.string(),
    who,
  }),
  v.object({
    kind: v.literal("session"),
    at,
    session_id: v.string(),
    what: v.picklist(["started", "ended"]),
    detail: v.optional(v.string()),
    who,
  }),
  /** A user message, or an agent's complete reply; `text` is its preview (≤ 80 characters, Markdown marks kept). */
  v.object({
    kind: v.literal("message"),
    at,
    session_id: v.string(),
    role: v.picklist(["user", "agent"]),
    text: v.string(),
    who,
  }),
  v.object({ kind: v.literal("status"), at, session_id: v.string(), from: v.string(), to: v.string(), who }),
  /** The session's agent changed (to another agent or the human queue). */
  v.object({
    kind: v.literal("transfer"),
    at,
    session_id: v.string(),
    from: v.string(),
    to: v.string(),
    who,
  }),
]);
export type ActivityEntry = v.InferOutput<typeof ActivityEntrySchema>;
