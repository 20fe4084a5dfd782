/** Numbered event frames (§3): one schema per `kind`, discriminated on it. */
import * as v from "valibot";
import {
  ACTIONS,
  AgentStep,
  Handoff,
  HumanQueueState,
  Id,
  Intervention,
  Message,
  Session,
  SessionPatch,
  Timestamp,
} from "./shapes";

const envelope = {
  type: v.literal("event"),
  epoch: Id,
  seq: v.pipe(v.number(), v.integer(), v.minValue(1)),
  event_id: Id,
  ts: Timestamp,
};
const withSession = { ...envelope, session_id: Id };

const MessageIdData = v.looseObject({ message_id: Id });

/** What became of an intervention on a session an agent runtime owns (see "Agent side" in docs/protocol.md). */
export const INTERVENTION_OUTCOMES = ["applied", "rejected", "failed"] as const;
export const InterventionResult = v.looseObject({
  intervention_id: Id,
  cmd_id: v.optional(Id),
  action: v.picklist(ACTIONS),
  outcome: v.picklist(INTERVENTION_OUTCOMES),
  /** For `failed`: RUNTIME_OFFLINE, RUNTIME_TIMEOUT, SESSION_ENDED. */
  code: v.optional(v.string()),
  detail: v.optional(v.pipe(v.string(), v.maxLength(500, "is too long"))),
});
export type InterventionResult = v.InferOutput<typeof InterventionResult>;

/** Review mode (extension of v1): a reply held for a supervisor's approval; the end user never sees it. */
export const DraftReady = v.looseObject({
  draft_id: Id,
  message_id: v.optional(Id),
  text: v.pipe(v.string(), v.maxLength(20_000, "is too long")),
  created_at: Timestamp,
  expires_at: Timestamp,
});
export const DRAFT_OUTCOMES = ["approved", "edited", "rejected", "expired_sent", "expired_held"] as const;
export const DraftResolved = v.looseObject({
  draft_id: Id,
  outcome: v.picklist(DRAFT_OUTCOMES),
  /** The supervisor who approved, edited or rejected it (absent when it expired). */
  by: v.optional(Id),
});
export type DraftReady = v.InferOutput<typeof DraftReady>;
export type DraftResolved = v.InferOutput<typeof DraftResolved>;
export type DraftOutcome = (typeof DRAFT_OUTCOMES)[number];

export const EVENT_DATA = {
  session_started: Session,
  message_received: Message,
  message_sent: Message,
  agent_thinking: MessageIdData,
  stream_started: MessageIdData,
  session_updated: SessionPatch,
  intervention_triggered: Intervention,
  session_ended: v.looseObject({ reason: v.string(), ended_at: Timestamp }),
  error_occurred: v.looseObject({
    code: v.string(),
    message: v.string(),
    severity: v.picklist(["warning", "error", "critical"]),
  }),
  agent_step: AgentStep,
  handoff_requested: Handoff,
  intervention_result: InterventionResult,
  draft_ready: DraftReady,
  draft_resolved: DraftResolved,
  human_queue: HumanQueueState,
} as const;

export type EventKind = keyof typeof EVENT_DATA;
export const EVENT_KINDS = Object.keys(EVENT_DATA) as EventKind[];

function eventOf<K extends EventKind>(kind: K) {
  return v.looseObject({ ...withSession, kind: v.literal(kind), data: EVENT_DATA[kind] });
}

export const EventFrame = v.variant("kind", [
  eventOf("session_started"),
  eventOf("message_received"),
  eventOf("message_sent"),
  eventOf("agent_thinking"),
  eventOf("stream_started"),
  eventOf("session_updated"),
  eventOf("intervention_triggered"),
  eventOf("session_ended"),
  eventOf("agent_step"),
  eventOf("handoff_requested"),
  eventOf("intervention_result"),
  eventOf("draft_ready"),
  eventOf("draft_resolved"),
  eventOf("human_queue"),
  v.looseObject({
    ...envelope,
    session_id: v.nullable(Id),
    kind: v.literal("error_occurred"),
    data: EVENT_DATA.error_occurred,
  }),
]);

/** The envelope alone: read when the data is malformed, so a client can still advance its cursor. */
export const EventEnvelope = v.looseObject({ ...envelope, kind: v.string() });

export type EventFrame = v.InferOutput<typeof EventFrame>;
export type EventOf<K extends EventKind> = Extract<EventFrame, { kind: K }>;
