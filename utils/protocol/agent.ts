/**
 * The agent side (docs/protocol.md "Agent side"): what an agent runtime sends
 * on `/v1/agent` (or `POST /v1/agent/events`) and what the gateway answers.
 * Published events reuse the org stream's `EVENT_DATA` schemas, so an event
 * the gateway accepts is exactly one the supervisors' clients can read.
 */
import * as v from "valibot";
import { EVENT_DATA, type EventKind } from "./events";
import { ACTIONS, Id, JsonObject, PROTOCOL_VERSION, Timestamp } from "./shapes";

/** Kinds only the gateway emits: an agent runtime may not publish them. */
export const GATEWAY_ONLY_KINDS = ["intervention_triggered", "intervention_result"] as const;
export type PublishKind = Exclude<EventKind, (typeof GATEWAY_ONLY_KINDS)[number]>;
export const PUBLISH_KINDS = (Object.keys(EVENT_DATA) as EventKind[]).filter(
  (k): k is PublishKind => !(GATEWAY_ONLY_KINDS as readonly string[]).includes(k),
);

/** At most this many sessions in one `agent_hello.sessions`. */
export const MAX_RESUME_SESSIONS = 10_000;

/** At most this many events in one `POST /v1/agent/events` batch. */
export const MAX_PUBLISH_BATCH = 200;

const Seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const PingId = v.union([v.string(), v.number()]);

/** One event as an agent publishes it: the org stream's event without epoch, seq, event_id and ts. */
export const PublishEventHead = v.looseObject({
  kind: v.picklist(PUBLISH_KINDS, `must be one of ${PUBLISH_KINDS.join(", ")}`),
  session_id: v.nullable(Id),
  data: v.unknown(),
});

/** Validates the data of a published event with the stream's own schema for its kind. */
export function publishDataSchema(kind: PublishKind) {
  return EVENT_DATA[kind];
}

// ---- runtime → gateway ----
export const AgentHelloFrame = v.looseObject({
  type: v.literal("agent_hello"),
  v: v.literal(PROTOCOL_VERSION),
  token: v.pipe(v.string(), v.minLength(1, "must not be empty")),
  /** Names this runtime among those sharing a token; interventions go to the runtime that started the session. */
  runtime_id: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:-]{1,100}$/, "must be 1–100 of A-Z a-z 0-9 _ . : -")),
  ),
  client: v.optional(v.string()),
  /**
   * Extension (issue 19): the open sessions this runtime holds, to take back
   * after a reconnect or a gateway restart (the welcome answers each in
   * `resumed` / `not_resumed`).
   */
  sessions: v.optional(
    v.pipe(v.array(Id), v.maxLength(MAX_RESUME_SESSIONS, `lists at most ${MAX_RESUME_SESSIONS} sessions`)),
  ),
});
export const PublishFrame = v.looseObject({
  type: v.literal("publish"),
  pub_id: Id,
  event: PublishEventHead,
});
export const AgentDeltaFrame = v.looseObject({
  type: v.literal("delta"),
  session_id: Id,
  message_id: Id,
  idx: Seq,
  text: v.string(),
});
export const RUNTIME_OUTCOMES = ["applied", "rejected"] as const;
export const InterventionResultFrame = v.looseObject({
  type: v.literal("intervention_result"),
  intervention_id: Id,
  cmd_id: v.optional(Id),
  outcome: v.picklist(RUNTIME_OUTCOMES),
  detail: v.optional(v.pipe(v.string(), v.maxLength(500, "is too long"))),
});
export const AgentPingFrame = v.looseObject({ type: v.literal("ping"), id: PingId });
export const AgentClientFrame = v.variant("type", [
  AgentHelloFrame,
  PublishFrame,
  AgentDeltaFrame,
  InterventionResultFrame,
  AgentPingFrame,
]);

/** `POST /v1/agent/events`: one publish (without `type`), or a batch of them. */
export const PublishBody = v.looseObject({ pub_id: Id, event: v.unknown() });
export const PublishBatchBody = v.looseObject({
  runtime_id: v.optional(v.string()),
  events: v.pipe(
    v.array(v.unknown()),
    v.maxLength(MAX_PUBLISH_BATCH, `holds at most ${MAX_PUBLISH_BATCH} events`),
  ),
});

// ---- gateway → runtime ----
export const AGENT_ERROR_CODES = [
  "INVALID_FRAME",
  "INVALID_EVENT",
  "FORBIDDEN_AGENT",
  "UNKNOWN_SESSION",
  "SESSION_EXISTS",
  "SESSION_ENDED",
  "UNKNOWN_INTERVENTION",
  "RATE_LIMITED",
] as const;
export type AgentErrorCode = (typeof AGENT_ERROR_CODES)[number];

export const ResumedSession = v.looseObject({
  session_id: Id,
  /** Seq of the last event of this runtime's numbered for the session (0: none yet). */
  seq: Seq,
  /** That publish's pub_id (absent when none was numbered). */
  last_pub_id: v.optional(Id),
});
/** `ended`: the session is over (e.g. `runtime_lost`); `unknown`: no such open session for this token. */
export const NOT_RESUMED_REASONS = ["ended", "unknown"] as const;
export const NotResumedSession = v.looseObject({
  session_id: Id,
  reason: v.picklist(NOT_RESUMED_REASONS),
});
export const AgentWelcomeFrame = v.looseObject({
  type: v.literal("agent_welcome"),
  conn_id: Id,
  server_time: Timestamp,
  org_id: Id,
  agent_ids: v.array(Id),
  runtime_id: Id,
  heartbeat_ms: v.pipe(v.number(), v.integer(), v.minValue(1)),
  idle_timeout_ms: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Sessions this runtime started that the gateway still has open. */
  sessions: v.array(Id),
  /**
   * Extension (issue 19): each session this runtime owns (listed in its hello
   * or not), with the seq of the last event of this runtime's the gateway
   * numbered for it and that publish's `pub_id`: resend only what came after it.
   */
  resumed: v.optional(v.array(ResumedSession)),
  /** Extension (issue 19): sessions listed in the hello that this runtime cannot take back. */
  not_resumed: v.optional(v.array(NotResumedSession)),
});
export const PublishedFrame = v.looseObject({ type: v.literal("published"), pub_id: Id, seq: Seq });
export const PublishErrorFrame = v.looseObject({
  type: v.literal("publish_error"),
  pub_id: Id,
  code: v.string(),
  message: v.string(),
  path: v.optional(v.string()),
});
export const InterventionFrame = v.looseObject({
  type: v.literal("intervention"),
  intervention_id: Id,
  cmd_id: Id,
  session_id: Id,
  action: v.picklist(ACTIONS),
  payload: v.pipe(JsonObject, v.record(v.string(), v.unknown())),
  reason: v.string(),
  /** The supervisor who sent it (extension of v1: review mode names who resolved a draft). */
  admin_id: v.optional(Id),
  /** Answer (intervention_result) before this moment, else the supervisor is told RUNTIME_TIMEOUT. */
  deadline: Timestamp,
});
export const AgentErrorFrame = v.looseObject({
  type: v.literal("agent_error"),
  code: v.string(),
  message: v.string(),
});
export const AgentPongFrame = v.looseObject({ type: v.literal("pong"), id: PingId, server_time: Timestamp });
export const AgentServerFrame = v.variant("type", [
  AgentWelcomeFrame,
  PublishedFrame,
  PublishErrorFrame,
  InterventionFrame,
  AgentErrorFrame,
  AgentPongFrame,
]);

export type AgentClientFrame = v.InferOutput<typeof AgentClientFrame>;
export type AgentServerFrame = v.InferOutput<typeof AgentServerFrame>;
export type AgentHelloFrame = v.InferOutput<typeof AgentHelloFrame>;
export type PublishFrame = v.InferOutput<typeof PublishFrame>;
export type PublishedFrame = v.InferOutput<typeof PublishedFrame>;
export type AgentWelcomeFrame = v.InferOutput<typeof AgentWelcomeFrame>;
export type InterventionFrame = v.InferOutput<typeof InterventionFrame>;
export type InterventionResultFrame = v.InferOutput<typeof InterventionResultFrame>;
export type PublishErrorFrame = v.InferOutput<typeof PublishErrorFrame>;
export type ResumedSession = v.InferOutput<typeof ResumedSession>;
export type NotResumedSession = v.InferOutput<typeof NotResumedSession>;
/** A published event before the gateway numbers it. */
export interface PublishEvent {
  kind: PublishKind;
  session_id: string | null;
  data: unknown;
}
