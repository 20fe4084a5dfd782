/**
 * The shapes of protocol v1 (§4): Session, Message, Agent, Metrics,
 * Intervention, User. Objects are "loose": unknown fields are kept, because
 * the protocol may be extended with new optional fields.
 */
import * as v from "valibot";

export const PROTOCOL_VERSION = 1;
export const MAX_FRAME_BYTES = 64 * 1024;
export const PREVIEW_MAX = 80;
export const REASON_MIN = 3;
export const REASON_MAX = 500;

/**
 * A JSON object. valibot's object and record schemas also take arrays (an
 * all-optional or record schema then turns `[1, 2]` into `{"0": 1, "1": 2}`);
 * put this in front of them where every field is optional.
 */
export const JsonObject = v.custom<Record<string, unknown>>(
  (x) => typeof x === "object" && x !== null && !Array.isArray(x),
  "must be an object",
);

export const Id = v.pipe(v.string(), v.minLength(1, "must not be empty"), v.maxLength(200, "is too long"));
export const Timestamp = v.pipe(v.string(), v.isoTimestamp("must be an ISO 8601 timestamp"));
export const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const CHANNELS = ["web", "phone", "telegram", "whatsapp", "mobile_sdk", "sip"] as const;
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const SESSION_STATUSES = [
  "active",
  "thinking",
  "streaming",
  "paused",
  "error",
  "transferring",
  "ended",
] as const;
export const ROLES = ["user", "agent", "system", "supervisor"] as const;
export const SYSTEM_KINDS = [
  "user_joined",
  "agent_transferred",
  "handoff_initiated",
  "paused",
  "resumed",
  "notice",
] as const;
export const ATTACHMENT_KINDS = ["image", "document", "audio", "video"] as const;

export const AgentRef = v.looseObject({ id: Id, name: v.string(), color: v.string() });

/* ---- AI insight (extension of v1, all optional) ---- */

const NonNegative = v.pipe(v.number(), v.minValue(0));
/** Sentiment of a user message: −1 (angry) … 1 (happy). */
export const Sentiment = v.pipe(v.number(), v.minValue(-1), v.maxValue(1));
/** Risk of a user message (or a session: its highest), 0 … 1, with the reason in words. */
export const Risk = v.looseObject({
  score: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  reason: v.pipe(v.string(), v.maxLength(500)),
});
/** Token usage and its cost, for one agent reply. */
export const Usage = v.looseObject({
  input_tokens: Count,
  output_tokens: Count,
  cost_usd: NonNegative,
});
/** Running totals of a session (replace, never add up client-side). */
export const SessionTotals = v.looseObject({
  cost_usd: NonNegative,
  input_tokens: Count,
  output_tokens: Count,
  replies: Count,
  avg_latency_ms: v.optional(NonNegative),
  p95_latency_ms: v.optional(NonNegative),
});
/** The AI asked for a human (`handoff_requested`); null on the session once dealt with. */
export const Handoff = v.looseObject({
  reason: v.pipe(v.string(), v.maxLength(500)),
  requested_at: Timestamp,
});
export const STEP_KINDS = ["tool_call", "retrieval", "reasoning"] as const;
export const STEP_STATUSES = ["running", "ok", "error"] as const;
/**
 * One thing the agent did while preparing a reply. The same `step_id` is
 * published again as it changes (running → ok | error); the last one wins.
 */
export const AgentStep = v.looseObject({
  step_id: Id,
  message_id: Id,
  kind: v.picklist(STEP_KINDS),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  input: v.optional(v.unknown()),
  output: v.optional(v.unknown()),
  status: v.picklist(STEP_STATUSES),
  started_at: Timestamp,
  duration_ms: v.optional(NonNegative),
  error: v.optional(v.pipe(v.string(), v.maxLength(2000))),
});

/** Take-over (extension of v1): the supervisor holding a session's take-over lock, and since when. */
export const TakeoverHolder = v.looseObject({ id: Id, name: v.string(), since: v.optional(Timestamp) });

/** Presence (extension of v1): someone viewing a session; `silent` (co-browsing) is shown to admins only. */
export const PresenceViewer = v.looseObject({
  id: Id,
  name: v.string(),
  silent: v.optional(v.literal(true)),
});
/**
 * The human queue (extension of v1): a session transferred to `{queue: "human"}` waits for a person
 * (`waiting`, since `queued_at`, given up at `expires_at`), then one picks it up (`picked_up`, `by`) or
 * nobody does in time (`expired`). `at` is when this status began.
 */
/** The agent a session carries while it is in the human queue (so the panel can filter by it before any transfer). */
export const HUMAN_QUEUE_AGENT = { id: "queue_human", name: "Human queue", color: "#6b7280" } as const;
export const HUMAN_QUEUE_STATUSES = ["waiting", "picked_up", "expired"] as const;
export const HumanQueueState = v.looseObject({
  status: v.picklist(HUMAN_QUEUE_STATUSES),
  at: Timestamp,
  queued_at: v.optional(Timestamp),
  expires_at: v.optional(Timestamp),
  by: v.optional(v.looseObject({ id: Id, name: v.pipe(v.string(), v.maxLength(200, "is too long")) })),
});
export type HumanQueueState = v.InferOutput<typeof HumanQueueState>;
export type HumanQueueStatus = (typeof HUMAN_QUEUE_STATUSES)[number];
/** Review mode (extension of v1): whether the agent's replies wait for approval, and how many drafts wait now. */
export const ReviewState = v.looseObject({ enabled: v.boolean(), drafts_waiting: Count });

const sessionEntries = {
  id: Id,
  agent: AgentRef,
  channel: v.picklist(CHANNELS),
  user: v.looseObject({ id: Id, name: v.optional(v.string()) }),
  priority: v.picklist(PRIORITIES),
  status: v.picklist(SESSION_STATUSES),
  started_at: Timestamp,
  last_activity_at: Timestamp,
  preview: v.pipe(v.string(), v.maxLength(PREVIEW_MAX, `must be at most ${PREVIEW_MAX} characters`)),
  message_count: Count,
  monitored_by: v.optional(v.array(Id)),
  tags: v.optional(v.array(v.string())),
  metadata: v.optional(v.pipe(JsonObject, v.record(v.string(), v.unknown()))),
  // AI insight (optional): the session's latest sentiment, highest risk, totals, open hand-off request.
  sentiment: v.optional(Sentiment),
  risk: v.optional(Risk),
  totals: v.optional(SessionTotals),
  handoff: v.optional(v.nullable(Handoff)),
  // Take-over (optional): who holds the lock; null once handed back.
  taken_over_by: v.optional(v.nullable(TakeoverHolder)),
  // Presence (optional): never in events or snapshots; a client may keep its presence frames here.
  viewers: v.optional(v.array(PresenceViewer)),
  // Review mode (optional): replies held as drafts until a supervisor approves them.
  review: v.optional(ReviewState),
  // Human queue (optional): the outcome of a transfer to the human queue; null once the session left it.
  human_queue: v.optional(v.nullable(HumanQueueState)),
};
export const Session = v.looseObject(sessionEntries);
/** `session_updated` carries a partial Session. */
export const SessionPatch = v.pipe(JsonObject, v.partial(v.looseObject(sessionEntries)));

export const Attachment = v.looseObject({
  kind: v.picklist(ATTACHMENT_KINDS),
  name: v.string(),
  mime: v.string(),
  size: Count,
  url: v.string(),
  thumbnail_url: v.optional(v.string()),
});

export const Voice = v.looseObject({
  speaker: v.string(),
  confidence: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  is_final: v.boolean(),
});

export const Message = v.looseObject({
  id: Id,
  role: v.picklist(ROLES),
  format: v.picklist(["text", "markdown"]),
  text: v.string(),
  ts: Timestamp,
  attachments: v.optional(v.array(Attachment)),
  voice: v.optional(Voice),
  system_kind: v.optional(v.picklist(SYSTEM_KINDS)),
  latency_ms: v.optional(v.pipe(v.number(), v.minValue(0))),
  overridden: v.optional(v.literal(true)),
  // Whisper (extension of v1): a supervisor's hidden instruction to the agent, shown to supervisors only.
  whisper: v.optional(v.literal(true)),
  // AI insight (optional): on user messages sentiment and risk; on agent replies usage (latency_ms above).
  sentiment: v.optional(Sentiment),
  risk: v.optional(Risk),
  usage: v.optional(Usage),
});

export const Agent = v.looseObject({ id: Id, name: v.string(), color: v.string(), online: v.boolean() });

export const Metrics = v.looseObject({
  active_sessions: Count,
  started_last_hour: Count,
  avg_response_ms: v.pipe(v.number(), v.minValue(0)),
  intervention_rate: v.pipe(v.number(), v.minValue(0)),
  // AI insight (optional): spend over the last hour and the 95th percentile reply latency.
  cost_per_hour_usd: v.optional(NonNegative),
  p95_response_ms: v.optional(NonNegative),
});

// The actions are the command schema's (command-payloads.ts).
export { ACTIONS, type Action } from "./command-payloads";

export const Intervention = v.looseObject({
  intervention_id: v.pipe(v.string(), v.regex(/^int_[0-9a-z]{8}$/, 'must be "int_" + 8 base36 characters')),
  session_id: Id,
  admin_id: Id,
  type: v.string(),
  reason: v.string(),
  timestamp: Timestamp,
  cmd_id: v.string(),
  payload: v.optional(v.unknown()),
  prev_hash: v.string(),
  hash: v.string(),
});

export const User = v.looseObject({
  id: Id,
  name: v.string(),
  org_id: Id,
  roles: v.array(v.string()),
  permissions: v.array(v.string()),
});

export type Channel = (typeof CHANNELS)[number];
export type Priority = (typeof PRIORITIES)[number];
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type Session = v.InferOutput<typeof Session>;
export type SessionPatch = v.InferOutput<typeof SessionPatch>;
export type Message = v.InferOutput<typeof Message>;
export type Attachment = v.InferOutput<typeof Attachment>;
export type Agent = v.InferOutput<typeof Agent>;
export type Metrics = v.InferOutput<typeof Metrics>;
export type Intervention = v.InferOutput<typeof Intervention>;
export type User = v.InferOutput<typeof User>;
export type Risk = v.InferOutput<typeof Risk>;
export type Usage = v.InferOutput<typeof Usage>;
export type SessionTotals = v.InferOutput<typeof SessionTotals>;
export type Handoff = v.InferOutput<typeof Handoff>;
export type AgentStep = v.InferOutput<typeof AgentStep>;
export type TakeoverHolder = v.InferOutput<typeof TakeoverHolder>;
export type PresenceViewer = v.InferOutput<typeof PresenceViewer>;
export type ReviewState = v.InferOutput<typeof ReviewState>;
export type StepKind = (typeof STEP_KINDS)[number];
export type StepStatus = (typeof STEP_STATUSES)[number];
