/**
 * The worker ↔ panel contract: the messages on the panel's runtime Port, both
 * directions, as valibot schemas with inferred types, and their decoders. The
 * shapes inside the messages are defined by the parts that own them (the
 * connection, the stores, the activity log, alerts, metrics history); their
 * types are re-exported here for the two ends. Lower layers never import this
 * folder (tests/unit/structure.test.ts).
 */
export type { ActivityEntry, ActivityWho } from "../activity/activity-schema";
export type { Alert, SoundState } from "../alerts/alert-schema";
export type { Rule } from "../alerts/rule-schema";
export type { CommandStatus, PanelCommand } from "../connection/command-schema";
export type { ConnectionInfo, ConnectionState } from "../connection/connection-schema";
export type { MetricsSample } from "../metrics-history/sample-ring";
export type { AgentSummary, ViewSpec, ViewUpdate } from "../query";
export type { Counters } from "../store/counters-schema";
export type { MessageText, StreamingReply, Transcript } from "../store/transcript-schema";
export * from "./decode-worker-message";
export * from "./panel-to-worker";
export * from "./port-keys";
export * from "./worker-to-panel";
