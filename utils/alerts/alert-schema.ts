/**
 * Alerts and the sound state as they cross a boundary (worker → panel
 * messages, storage.session): validated like any other input.
 */
import * as v from "valibot";
import { ALERT_ACTIONS } from "./rule-schema";

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

export const SoundStateSchema = v.object({
  enabled: v.boolean(),
  muted_until: v.nullable(v.number()),
  playing: v.boolean(),
  detail: v.optional(v.string()),
});

export const SoundPrefsSchema = v.object({
  enabled: v.boolean(),
  muted_until: v.nullable(v.number()),
});
export type SoundPrefs = v.InferOutput<typeof SoundPrefsSchema>;
