/**
 * Validation of what the worker sends, at the panel's boundary. The envelope
 * must be right or the message is refused; inside it, each session, message,
 * activity entry and transcript is judged alone, so one bad item is skipped
 * and counted instead of losing the whole update. The envelopes are the
 * message schemas (worker-to-panel.ts) with each list of items taken as
 * `unknown[]`; the items are then judged by the same schemas' item schemas.
 */
import * as v from "valibot";
import { ActivityEntrySchema } from "../activity/activity-schema";
import { AlertSchema } from "../alerts/alert-schema";
import { ToastDraftSchema } from "../attention/toast-schema";
import { MetricsSampleSchema } from "../metrics-history/sample-ring";
import { Agent, AgentStep, DraftReady, Intervention, Message, Session } from "../protocol";
import { AgentSummarySchema, type ViewUpdate, ViewUpdateSchema } from "../query";
import { type Transcript, TranscriptSchema } from "../store/transcript-schema";
import { isPlainValidSession } from "./fast-session";
import {
  CommandStatusMessageSchema,
  InterventionsErrorSchema,
  InterventionsListSchema,
  type PanelPatch,
  PanelPatchSchema,
  type PanelState,
  PanelStateSchema,
  type WorkerToPanel,
} from "./worker-to-panel";

const list = v.array(v.unknown());
const optionalList = v.optional(list);

const TranscriptEnvelope = v.object({
  ...TranscriptSchema.entries,
  messages: list,
  steps: optionalList,
  drafts: optionalList,
});

const StateEnvelope = v.object({
  ...PanelStateSchema.entries,
  agents: list,
  metricsHistory: optionalList,
  activity: list,
  transcripts: list,
  alerts: optionalList,
});

const PatchEnvelope = v.object({
  ...PanelPatchSchema.entries,
  agents: optionalList,
  activity: optionalList,
  transcripts: optionalList,
  toasts: optionalList,
  alerts: optionalList,
});

const ViewEnvelope = v.object({ ...ViewUpdateSchema.entries, sessions: list, agents: optionalList });

const MessageEnvelope = v.variant("type", [
  v.object({ type: v.literal("init"), state: StateEnvelope }),
  v.object({ type: v.literal("patch"), patch: PatchEnvelope }),
  CommandStatusMessageSchema,
  v.object({
    ...InterventionsListSchema.entries,
    interventions: optionalList,
    error: v.optional(InterventionsErrorSchema.entries.error),
  }),
  v.object({ type: v.literal("view"), view: ViewEnvelope }),
]);

export interface Decoded {
  message: WorkerToPanel;
  /** Items dropped because they did not validate. */
  skipped: number;
}

export class PanelDecodeError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = "PanelDecodeError";
  }
}

function each<T>(schema: v.GenericSchema<unknown, T>, items: unknown[], count: { skipped: number }): T[] {
  const out: T[] = [];
  for (const item of items) {
    const r = v.safeParse(schema, item);
    if (r.success) out.push(r.output);
    else count.skipped++;
  }
  return out;
}

/** Sessions: the fast check first, the schema for whatever it refuses. */
function sessions(items: unknown[], count: { skipped: number }): Session[] {
  const out: Session[] = [];
  for (const item of items) {
    if (isPlainValidSession(item)) {
      out.push(item);
      continue;
    }
    const r = v.safeParse(Session, item);
    if (r.success) out.push(r.output);
    else count.skipped++;
  }
  return out;
}

function transcripts(items: unknown[], count: { skipped: number }): Transcript[] {
  return each(TranscriptEnvelope, items, count).map((t) => ({
    session_id: t.session_id,
    messages: each(Message, t.messages, count),
    streaming: t.streaming,
    loaded: t.loaded,
    ...(t.steps ? { steps: each(AgentStep, t.steps, count) } : {}),
    ...(t.drafts ? { drafts: each(DraftReady, t.drafts, count) } : {}),
    ...(t.from !== undefined ? { drop: t.drop ?? 0, from: t.from } : {}),
  }));
}

/** Decode one worker message; throws PanelDecodeError naming the bad field. */
export function decodeWorkerMessage(input: unknown): Decoded {
  const r = v.safeParse(MessageEnvelope, input);
  if (!r.success) {
    const issue = r.issues[0];
    const path = v.getDotPath(issue) ?? "";
    throw new PanelDecodeError(`bad worker message at "${path}": ${issue.message}`, path);
  }
  const count = { skipped: 0 };
  const m = r.output;
  if (m.type === "command_status")
    return { message: { type: "command_status", result: m.result }, skipped: 0 };
  if (m.type === "interventions") {
    if (m.error)
      return { message: { type: "interventions", request_id: m.request_id, error: m.error }, skipped: 0 };
    const interventions = each(Intervention, m.interventions ?? [], count);
    return {
      message: { type: "interventions", request_id: m.request_id, interventions },
      skipped: count.skipped,
    };
  }
  if (m.type === "view") {
    const w = m.view;
    const view: ViewUpdate = { ...w, sessions: sessions(w.sessions, count), agents: undefined };
    if (w.agents) view.agents = each(AgentSummarySchema, w.agents, count);
    else delete view.agents;
    return { message: { type: "view", view }, skipped: count.skipped };
  }
  if (m.type === "init") {
    const s = m.state;
    const state: PanelState = {
      connection: s.connection,
      user: s.user,
      agents: each(Agent, s.agents, count),
      metrics: s.metrics,
      activity: each(ActivityEntrySchema, s.activity, count),
      counters: s.counters,
      transcripts: transcripts(s.transcripts, count),
    };
    if (s.metricsHistory) state.metricsHistory = each(MetricsSampleSchema, s.metricsHistory, count);
    if (s.alerts) state.alerts = each(AlertSchema, s.alerts, count);
    if (s.sound) state.sound = s.sound;
    return { message: { type: "init", state }, skipped: count.skipped };
  }
  const p = m.patch;
  const patch: PanelPatch = {};
  if (p.connection) patch.connection = p.connection;
  if (p.user !== undefined) patch.user = p.user;
  if (p.agents) patch.agents = each(Agent, p.agents, count);
  if (p.metrics) patch.metrics = p.metrics;
  if (p.metricsSample) patch.metricsSample = p.metricsSample;
  if (p.activity) patch.activity = each(ActivityEntrySchema, p.activity, count);
  if (p.counters) patch.counters = p.counters;
  if (p.transcripts) patch.transcripts = transcripts(p.transcripts, count);
  if (p.toasts) patch.toasts = each(ToastDraftSchema, p.toasts, count);
  if (p.focus) patch.focus = p.focus;
  if (p.alerts) patch.alerts = each(AlertSchema, p.alerts, count);
  if (p.sound) patch.sound = p.sound;
  return { message: { type: "patch", patch }, skipped: count.skipped };
}
