/** Panel → worker messages, validated on receipt (the panel is a boundary like the network). */
import * as v from "valibot";
import { RulesSchema } from "../alerts/rule-schema";
import type { PanelToWorker } from "../panel-protocol";
import { ACTIONS, type DecodeError, decodeWith, Id } from "../protocol";

export const PanelToWorkerSchema = v.variant("type", [
  v.object({
    type: v.literal("watch"),
    session_ids: v.pipe(v.array(Id), v.maxLength(50, "at most 50 sessions")),
  }),
  v.object({
    type: v.literal("command"),
    cmd_id: Id,
    action: v.picklist(ACTIONS),
    session_id: Id,
    reason: v.string(),
    payload: v.optional(v.record(v.string(), v.unknown())),
  }),
  v.object({ type: v.literal("resync") }),
  v.object({
    type: v.literal("interventions"),
    request_id: Id,
    session_id: v.optional(Id),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
  }),
  v.object({ type: v.literal("alert_rules"), user_id: Id, rules: RulesSchema }),
  v.object({
    type: v.literal("alert_ack"),
    alert_ids: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(500))), v.maxLength(500))),
    session_id: v.optional(Id),
    all: v.optional(v.boolean()),
  }),
  v.object({
    type: v.literal("sound_prefs"),
    enabled: v.boolean(),
    muted_until: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))),
  }),
]);

export function decodePanelMessage(
  input: unknown,
): { ok: true; value: PanelToWorker } | { ok: false; error: DecodeError } {
  return decodeWith(PanelToWorkerSchema, input) as
    | { ok: true; value: PanelToWorker }
    | { ok: false; error: DecodeError };
}
