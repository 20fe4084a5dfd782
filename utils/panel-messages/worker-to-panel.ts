/**
 * Worker → panel messages. The panel opens a runtime Port named PANEL_PORT;
 * the worker answers with `init` (the whole state), then sends coalesced
 * `patch`es (at most one batch per flush, whatever the event rate), command
 * results and intervention history answers. Composed from the schemas of the
 * parts that own each shape; the types are inferred.
 */
import * as v from "valibot";
import { ActivityEntrySchema } from "../activity/activity-schema";
import { AlertSchema, SoundStateSchema } from "../alerts/alert-schema";
import { ToastDraftSchema } from "../attention/toast-schema";
import { CommandStatusSchema } from "../connection/command-schema";
import { ConnectionInfoSchema } from "../connection/connection-schema";
import { MetricsSampleSchema } from "../metrics-history/sample-ring";
import { Agent, Intervention, Metrics, User } from "../protocol";
import { ViewUpdateSchema } from "../query";
import { CountersSchema } from "../store/counters-schema";
import { TranscriptSchema } from "../store/transcript-schema";

export const PanelStateSchema = v.object({
  connection: ConnectionInfoSchema,
  user: v.nullable(User),
  agents: v.array(Agent),
  metrics: v.nullable(Metrics),
  /** The metrics of the last hour, one sample per bucket, oldest first (the sparklines). */
  metricsHistory: v.optional(v.array(MetricsSampleSchema)),
  /** Newest last; bounded. */
  activity: v.array(ActivityEntrySchema),
  counters: CountersSchema,
  transcripts: v.array(TranscriptSchema),
  /** Alerts fired by the user's rules and not yet acknowledged, oldest first. */
  alerts: v.optional(v.array(AlertSchema)),
  sound: v.optional(SoundStateSchema),
});
export type PanelState = v.InferOutput<typeof PanelStateSchema>;

/** A coalesced change. Every field is optional; absent means unchanged. */
export const PanelPatchSchema = v.object({
  connection: v.optional(ConnectionInfoSchema),
  user: v.optional(v.nullable(User)),
  agents: v.optional(v.array(Agent)),
  metrics: v.optional(Metrics),
  /** The newest metrics sample: the panel adds it to its copy of the history by the same bucket rule. */
  metricsSample: v.optional(MetricsSampleSchema),
  /** Appended to the activity log. */
  activity: v.optional(v.array(ActivityEntrySchema)),
  counters: v.optional(CountersSchema),
  /** Whole transcripts of watched sessions that changed. */
  transcripts: v.optional(v.array(TranscriptSchema)),
  /** Toasts for session changes (urgent, a hand-off request, the human queue's outcome), drafted by the worker. */
  toasts: v.optional(v.array(ToastDraftSchema)),
  /** Show this session now (the user clicked its notification); also kept in storage.session under FOCUS_KEY. */
  focus: v.optional(v.string()),
  /** The complete list of active alerts (replaces the previous one); bounded. */
  alerts: v.optional(v.array(AlertSchema)),
  sound: v.optional(SoundStateSchema),
});
export type PanelPatch = v.InferOutput<typeof PanelPatchSchema>;

/** The audit history asked for by a panel (`GET /v1/interventions` through the worker): the list… */
export const InterventionsListSchema = v.object({
  type: v.literal("interventions"),
  request_id: v.string(),
  interventions: v.array(Intervention),
});
/** …or why it could not be had. */
export const InterventionsErrorSchema = v.object({
  type: v.literal("interventions"),
  request_id: v.string(),
  error: v.object({ code: v.string(), message: v.string() }),
});
export type InterventionsAnswer = v.InferOutput<
  typeof InterventionsListSchema | typeof InterventionsErrorSchema
>;

export const ViewMessageSchema = v.object({ type: v.literal("view"), view: ViewUpdateSchema });

export const InitMessageSchema = v.object({ type: v.literal("init"), state: PanelStateSchema });
export const PatchMessageSchema = v.object({ type: v.literal("patch"), patch: PanelPatchSchema });
export const CommandStatusMessageSchema = v.object({
  type: v.literal("command_status"),
  result: CommandStatusSchema,
});

/** Both `interventions` answers share their `type`: the variant tries each and keeps the one that fits. */
export const WorkerToPanelSchema = v.variant("type", [
  InitMessageSchema,
  PatchMessageSchema,
  CommandStatusMessageSchema,
  InterventionsListSchema,
  InterventionsErrorSchema,
  ViewMessageSchema,
]);
export type WorkerToPanel = v.InferOutput<typeof WorkerToPanelSchema>;
