/**
 * Runtime messages between the worker and the document that plays the alert
 * sound (the MV3 offscreen document): validated on receipt on both sides.
 */
import * as v from "valibot";

export const OFFSCREEN_TARGET = "lc-offscreen";
export const WORKER_TARGET = "lc-worker";

export const ToPlayerSchema = v.variant("type", [
  v.object({ target: v.literal(OFFSCREEN_TARGET), type: v.literal("play"), repeat: v.boolean() }),
  v.object({ target: v.literal(OFFSCREEN_TARGET), type: v.literal("stop") }),
]);
export type ToPlayer = v.InferOutput<typeof ToPlayerSchema>;

export const FromPlayerSchema = v.object({
  target: v.literal(WORKER_TARGET),
  type: v.literal("sound_state"),
  playing: v.boolean(),
  detail: v.optional(v.pipe(v.string(), v.maxLength(500))),
});
export type FromPlayer = v.InferOutput<typeof FromPlayerSchema>;

export function decodeToPlayer(input: unknown): ToPlayer | null {
  const r = v.safeParse(ToPlayerSchema, input);
  return r.success ? r.output : null;
}

export function decodeFromPlayer(input: unknown): FromPlayer | null {
  const r = v.safeParse(FromPlayerSchema, input);
  return r.success ? r.output : null;
}
