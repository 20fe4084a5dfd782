/**
 * The contract between the background worker (which owns all state) and the
 * side panel (which renders it). The panel opens a runtime Port named
 * PANEL_PORT; the worker answers with `init`, then sends coalesced `patch`
 * messages (at most one batch per ~50 ms, whatever the event rate) and
 * command results.
 * Both directions are validated on receipt like any other boundary.
 */
import type { ActivityEntry, ActivityWho } from "./activity/activity-schema";
import type { Alert, SoundState } from "./alerts/alert-schema";
import type { Rule } from "./alerts/rule-schema";
import type { CommandStatus } from "./connection/command-schema";
import type { ConnectionInfo, ConnectionState } from "./connection/connection-schema";
import type { MetricsSample } from "./metrics-history/sample-ring";
import type { Action, Agent, Intervention, Metrics, Session, User } from "./protocol";
import type { Counters } from "./store/counters-schema";
import type { MessageText, StreamingReply, Transcript } from "./store/transcript-schema";

export type {
  ActivityEntry,
  ActivityWho,
  Alert,
  CommandStatus,
  ConnectionInfo,
  ConnectionState,
  Counters,
  MessageText,
  MetricsSample,
  Rule,
  SoundState,
  StreamingReply,
  Transcript,
};

export const PANEL_PORT = "live-conversations-panel";

export interface PanelState {
  connection: ConnectionInfo;
  user: User | null;
  sessions: Session[];
  agents: Agent[];
  metrics: Metrics | null;
  /** The metrics of the last hour, one sample per bucket, oldest first (the sparklines). */
  metricsHistory?: MetricsSample[];
  /** Newest last; bounded. */
  activity: ActivityEntry[];
  counters: Counters;
  transcripts: Transcript[];
  /** Alerts fired by the user's rules and not yet acknowledged, oldest first. */
  alerts?: Alert[];
  sound?: SoundState;
}

/** A coalesced change. Every field is optional; absent means unchanged. */
export interface PanelPatch {
  connection?: ConnectionInfo;
  user?: User | null;
  /** Sessions added or changed (whole objects). */
  upserts?: Session[];
  /** Ids of sessions that left the active set. */
  removed?: string[];
  /** When true, `upserts` is the complete session list (after a snapshot). */
  replace_sessions?: boolean;
  agents?: Agent[];
  metrics?: Metrics;
  /** The newest metrics sample: the panel adds it to its copy of the history by the same bucket rule. */
  metricsSample?: MetricsSample;
  /** Appended to the activity log. */
  activity?: ActivityEntry[];
  counters?: Counters;
  /** Whole transcripts of watched sessions that changed. */
  transcripts?: Transcript[];
  /** New message texts of every session (watched or not), for the panel's keyword search; bounded. */
  messages?: MessageText[];
  /** Show this session now (the user clicked its notification); also kept in storage.session under FOCUS_KEY. */
  focus?: string;
  /** The complete list of active alerts (replaces the previous one); bounded. */
  alerts?: Alert[];
  sound?: SoundState;
}

/** The audit history asked for by a panel (`GET /v1/interventions` through the worker). */
export type InterventionsAnswer =
  | { type: "interventions"; request_id: string; interventions: Intervention[] }
  | { type: "interventions"; request_id: string; error: { code: string; message: string } };

export type WorkerToPanel =
  | { type: "init"; state: PanelState }
  | { type: "patch"; patch: PanelPatch }
  | { type: "command_status"; result: CommandStatus }
  | InterventionsAnswer;

/** storage.session key holding the session a clicked notification asked to show: `{session_id, at}`. */
export const FOCUS_KEY = "lc_focus";

export type PanelToWorker =
  /** Sessions whose transcripts the panel shows (it receives their deltas). */
  | { type: "watch"; session_ids: string[] }
  | {
      type: "command";
      cmd_id: string;
      action: Action;
      session_id: string;
      reason: string;
      payload?: Record<string, unknown>;
    }
  /** Ask for a fresh snapshot (the "refresh" button of the diagnostics view). */
  | { type: "resync" }
  /** Ask for the intervention audit history; answered by an `interventions` message to this panel. */
  | { type: "interventions"; request_id: string; session_id?: string; limit?: number }
  /** The signed-in user's alert rules (the panel owns them in IndexedDB); the worker keeps the last set. */
  | { type: "alert_rules"; user_id: string; rules: Rule[] }
  /** Acknowledge alerts: some by id, every alert of a session, or all. */
  | { type: "alert_ack"; alert_ids?: string[]; session_id?: string; all?: boolean }
  /** Sound preferences: turned on by a user gesture in the panel; muted until an epoch ms, or not. */
  | { type: "sound_prefs"; enabled: boolean; muted_until: number | null };
