/** Panel → worker messages, validated on receipt (the panel is a boundary like the network). */
import * as v from "valibot";
import {
  AlertAckMessageSchema,
  AlertRulesMessageSchema,
  SoundPrefsMessageSchema,
} from "../alerts/alert-schema";
import { PanelCommandSchema } from "../connection/command-schema";
import type { PanelToWorker } from "../panel-protocol";
import { type DecodeError, decodeWith, Id } from "../protocol";

export const PanelToWorkerSchema = v.variant("type", [
  v.object({
    type: v.literal("watch"),
    session_ids: v.pipe(v.array(Id), v.maxLength(50, "at most 50 sessions")),
  }),
  PanelCommandSchema,
  v.object({ type: v.literal("resync") }),
  v.object({
    type: v.literal("interventions"),
    request_id: Id,
    session_id: v.optional(Id),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
  }),
  AlertRulesMessageSchema,
  AlertAckMessageSchema,
  SoundPrefsMessageSchema,
]);

export function decodePanelMessage(
  input: unknown,
): { ok: true; value: PanelToWorker } | { ok: false; error: DecodeError } {
  return decodeWith(PanelToWorkerSchema, input) as
    | { ok: true; value: PanelToWorker }
    | { ok: false; error: DecodeError };
}
