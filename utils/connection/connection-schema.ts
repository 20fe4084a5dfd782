/**
 * The connection indicator's shape as it leaves the worker (in every panel's
 * `init` and in patches): the schema is the definition, the type is inferred.
 */
import * as v from "valibot";

export const CONNECTION_STATES = [
  "connecting",
  "connected",
  "reconnecting",
  "polling",
  "offline",
  "unauthorized",
] as const;
export const ConnectionStateSchema = v.picklist(CONNECTION_STATES);
export type ConnectionState = v.InferOutput<typeof ConnectionStateSchema>;

export const ConnectionInfoSchema = v.object({
  state: ConnectionStateSchema,
  /** Last ping round trip in ms, null until measured. */
  latency_ms: v.nullable(v.pipe(v.number(), v.minValue(0))),
  /** Why we are not connected, in words for a supervisor (close reason, HTTP error…). */
  detail: v.optional(v.string()),
  /** Epoch ms of the last state change. */
  since: v.number(),
  /**
   * Epoch ms since when the data is not live (the last time the state left
   * connected or polling; kept across reconnecting → offline → reconnecting);
   * absent while live.
   */
  stale_since: v.optional(v.number()),
  /** Epoch ms of the next reconnect attempt, when one is scheduled. */
  next_retry_at: v.optional(v.number()),
});
export type ConnectionInfo = v.InferOutput<typeof ConnectionInfoSchema>;
