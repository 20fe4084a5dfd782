/**
 * A panel's command on its way to the gateway, and its status on the way
 * back: the shapes the command outbox takes and reports (schemas are the
 * definition, types inferred).
 */
import * as v from "valibot";
import { ACTIONS, Id } from "../protocol";

/** The panel → worker `command` message: the panel's cmd_id is the idempotency key from first send to answer. */
export const PanelCommandSchema = v.object({
  type: v.literal("command"),
  cmd_id: Id,
  action: v.picklist(ACTIONS),
  session_id: Id,
  reason: v.string(),
  payload: v.optional(v.record(v.string(), v.unknown())),
});
export type PanelCommand = v.InferOutput<typeof PanelCommandSchema>;

export const CommandStatusSchema = v.variant("status", [
  v.object({ cmd_id: v.string(), status: v.literal("pending") }),
  v.object({ cmd_id: v.string(), status: v.literal("acked"), intervention_id: v.string() }),
  v.object({
    cmd_id: v.string(),
    status: v.literal("failed"),
    code: v.string(),
    message: v.string(),
    retry_after_ms: v.optional(v.number()),
  }),
]);
export type CommandStatus = v.InferOutput<typeof CommandStatusSchema>;
