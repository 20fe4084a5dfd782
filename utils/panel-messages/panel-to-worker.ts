/**
 * Panel → worker messages, validated on receipt (the panel is a boundary like
 * the network). Composed from the schemas of the parts that take each message
 * (the command outbox, the alert engine); the type is inferred.
 */
import * as v from "valibot";
import {
  AlertAckMessageSchema,
  AlertRulesMessageSchema,
  SoundPrefsMessageSchema,
} from "../alerts/alert-schema";
import { PanelCommandSchema } from "../connection/command-schema";
import { type DecodeError, decodeWith, Id } from "../protocol";
import { ViewSpecSchema } from "../query";

export const PanelToWorkerSchema = v.variant("type", [
  /** Sessions whose transcripts the panel shows (it receives their deltas). */
  v.object({
    type: v.literal("watch"),
    session_ids: v.pipe(v.array(Id), v.maxLength(50, "at most 50 sessions")),
  }),
  PanelCommandSchema,
  /** Ask for a fresh snapshot (the "refresh" button of the diagnostics view). */
  v.object({ type: v.literal("resync") }),
  /** Ask for the intervention audit history; answered by an `interventions` message to this panel. */
  v.object({
    type: v.literal("interventions"),
    request_id: Id,
    session_id: v.optional(Id),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
  }),
  AlertRulesMessageSchema,
  AlertAckMessageSchema,
  SoundPrefsMessageSchema,
  /** The view this panel shows: the worker answers with `view` at once and after every change to it. */
  v.object({ type: v.literal("view"), spec: ViewSpecSchema }),
]);
export type PanelToWorker = v.InferOutput<typeof PanelToWorkerSchema>;

export function decodePanelMessage(
  input: unknown,
): { ok: true; value: PanelToWorker } | { ok: false; error: DecodeError } {
  return decodeWith(PanelToWorkerSchema, input);
}
