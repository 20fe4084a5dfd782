/** Every frame that travels on `/v1/stream` (§2, §3, §5), as discriminated unions on `type`. */
import * as v from "valibot";
import { EventFrame } from "./events";
import {
  ACTIONS,
  Agent,
  Id,
  JsonObject,
  Metrics,
  PROTOCOL_VERSION,
  PresenceViewer,
  Session,
  TakeoverHolder,
  Timestamp,
  User,
} from "./shapes";

const Seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const PingId = v.union([v.string(), v.number()]);

// ---- client → server ----
export const HelloFrame = v.looseObject({
  type: v.literal("hello"),
  v: v.literal(PROTOCOL_VERSION),
  token: v.pipe(v.string(), v.minLength(1, "must not be empty")),
  client: v.optional(v.string()),
  resume: v.optional(v.looseObject({ epoch: Id, seq: Seq })),
  watch: v.optional(v.array(Id)),
});
export const PingFrame = v.looseObject({ type: v.literal("ping"), id: PingId });
export const WatchFrame = v.looseObject({ type: v.literal("watch"), session_ids: v.array(Id) });
export const ReplayFrame = v.looseObject({ type: v.literal("replay"), epoch: Id, after: Seq });
export const ResyncFrame = v.looseObject({ type: v.literal("resync") });
export const CommandFrame = v.looseObject({
  type: v.literal("command"),
  cmd_id: Id,
  action: v.picklist(ACTIONS),
  session_id: Id,
  reason: v.optional(v.string()),
  payload: v.optional(v.pipe(JsonObject, v.record(v.string(), v.unknown()))),
});
export const ClientFrame = v.variant("type", [
  HelloFrame,
  PingFrame,
  WatchFrame,
  ReplayFrame,
  ResyncFrame,
  CommandFrame,
]);

// ---- server → client ----
export const WelcomeFrame = v.looseObject({
  type: v.literal("welcome"),
  conn_id: Id,
  server_time: Timestamp,
  user: User,
  heartbeat_ms: v.pipe(v.number(), v.integer(), v.minValue(1)),
  idle_timeout_ms: v.pipe(v.number(), v.integer(), v.minValue(1)),
  epoch: Id,
  seq: Seq,
  recovered: v.boolean(),
});
export const SnapshotBody = {
  epoch: Id,
  seq: Seq,
  sessions: v.array(Session),
  agents: v.array(Agent),
  metrics: Metrics,
};
export const SnapshotFrame = v.looseObject({ type: v.literal("snapshot"), ...SnapshotBody });
export const DeltaFrame = v.looseObject({
  type: v.literal("delta"),
  session_id: Id,
  message_id: Id,
  idx: Seq,
  text: v.string(),
});
export const MetricsFrame = v.looseObject({ type: v.literal("metrics"), data: Metrics });
export const PongFrame = v.looseObject({ type: v.literal("pong"), id: PingId, server_time: Timestamp });
export const ReplayUnavailableFrame = v.looseObject({
  type: v.literal("replay_unavailable"),
  epoch: Id,
  after: Seq,
  seq: Seq,
  reason: v.string(),
});
export const AckFrame = v.looseObject({ type: v.literal("ack"), cmd_id: Id, intervention_id: Id });
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "REASON_REQUIRED",
  "VALIDATION_FAILED",
  "SESSION_NOT_FOUND",
  "SESSION_ENDED",
  "RATE_LIMITED",
  "IDEMPOTENCY_MISMATCH",
  "IN_PROGRESS",
  "AUDIT_UNAVAILABLE",
  "INTERNAL",
  "CONFLICT",
] as const;
export const CommandErrorFrame = v.looseObject({
  type: v.literal("command_error"),
  cmd_id: Id,
  code: v.string(),
  message: v.string(),
  retry_after_ms: v.optional(v.pipe(v.number(), v.minValue(0))),
  // CONFLICT (extension of v1): the supervisor holding the session's take-over lock.
  holder: v.optional(TakeoverHolder),
});

/** Presence (extension of v1, ephemeral): who views a session now; the whole list each time. */
export const PresenceFrame = v.looseObject({
  type: v.literal("presence"),
  session_id: Id,
  viewers: v.array(PresenceViewer),
});

const singleServerFrames = [
  WelcomeFrame,
  EventFrame,
  SnapshotFrame,
  DeltaFrame,
  MetricsFrame,
  PongFrame,
  ReplayUnavailableFrame,
  AckFrame,
  CommandErrorFrame,
  PresenceFrame,
] as const;
export const SingleServerFrame = v.variant("type", [...singleServerFrames]);
export const BatchFrame = v.looseObject({ type: v.literal("batch"), frames: v.array(SingleServerFrame) });
export const ServerFrame = v.variant("type", [...singleServerFrames, BatchFrame]);

export type ClientFrame = v.InferOutput<typeof ClientFrame>;
export type HelloFrame = v.InferOutput<typeof HelloFrame>;
export type CommandFrame = v.InferOutput<typeof CommandFrame>;
export type ServerFrame = v.InferOutput<typeof ServerFrame>;
export type SingleServerFrame = v.InferOutput<typeof SingleServerFrame>;
export type WelcomeFrame = v.InferOutput<typeof WelcomeFrame>;
export type SnapshotFrame = v.InferOutput<typeof SnapshotFrame>;
export type DeltaFrame = v.InferOutput<typeof DeltaFrame>;
export type ErrorCode = (typeof ERROR_CODES)[number];
export type PresenceFrame = v.InferOutput<typeof PresenceFrame>;
