/**
 * Alerts and the sound state as they cross a boundary (worker → panel
 * messages, storage.session), and the panel's alert messages to the worker:
 * validated like any other input. The schemas are the definitions; the types
 * are inferred.
 */
import * as v from "valibot";
import { Id } from "../protocol";
import { ALERT_ACTIONS, RulesSchema } from "./rule-schema";

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const AlertSchema = v.object({
  id: Text(500),
  rule_id: Text(200),
  rule_name: Text(200),
  session_id: v.nullable(Text(200)),
  why: Text(500),
  actions: v.array(v.picklist(ALERT_ACTIONS)),
  repeat_until_ack: v.boolean(),
  at: v.number(),
  message_id: v.optional(Text(200)),
});
/** An alert fired by one of the user's rules and not yet acknowledged. */
export type Alert = v.InferOutput<typeof AlertSchema>;

export const SoundStateSchema = v.object({
  enabled: v.boolean(),
  muted_until: v.nullable(v.number()),
  playing: v.boolean(),
  detail: v.optional(v.string()),
});
/** The alert sound as the worker sees it (preferences from the panel, playing state from the offscreen document). */
export type SoundState = v.InferOutput<typeof SoundStateSchema>;

export const SoundPrefsSchema = v.object({
  enabled: v.boolean(),
  muted_until: v.nullable(v.number()),
});
export type SoundPrefs = v.InferOutput<typeof SoundPrefsSchema>;

/** The signed-in user's alert rules (the panel owns them in IndexedDB); the worker keeps the last set. */
export const AlertRulesMessageSchema = v.object({
  type: v.literal("alert_rules"),
  user_id: Id,
  rules: RulesSchema,
});
/** Acknowledge alerts: some by id, every alert of a session, or all. */
export const AlertAckMessageSchema = v.object({
  type: v.literal("alert_ack"),
  alert_ids: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(500))), v.maxLength(500))),
  session_id: v.optional(Id),
  all: v.optional(v.boolean()),
});
/** Sound preferences: turned on by a user gesture in the panel; muted until an epoch ms, or not. */
export const SoundPrefsMessageSchema = v.object({
  type: v.literal("sound_prefs"),
  enabled: v.boolean(),
  muted_until: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))),
});
/** The panel → worker messages the alert engine takes. */
export type AlertMessage = v.InferOutput<
  typeof AlertRulesMessageSchema | typeof AlertAckMessageSchema | typeof SoundPrefsMessageSchema
>;
