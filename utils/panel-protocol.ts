/**
 * The contract between the background worker (which owns all state) and the
 * side panel (which renders it). The panel opens a runtime Port named
 * PANEL_PORT; the worker answers with `init`, then sends coalesced `patch`
 * messages (at most one batch per ~50 ms, whatever the event rate) and
 * command results.
 * Both directions are validated on receipt like any other boundary.
 */
import type { Alert } from "./alerts/alert-center";
import type { Rule } from "./alerts/rule-schema";
import type { MetricsSample } from "./metrics-history/sample-ring";
import type {
  Action,
  Agent,
  AgentStep,
  DraftReady,
  Intervention,
  InterventionResult,
  Message,
  Metrics,
  Session,
  User,
} from "./protocol";

export type { Alert, MetricsSample, Rule };

export const PANEL_PORT = "live-conversations-panel";

export type ConnectionState =
  | "connecting"
  | "connected"
  | "reconnecting"
  | "polling"
  | "offline"
  | "unauthorized";

export interface ConnectionInfo {
  state: ConnectionState;
  /** Last ping round trip in ms, null until measured. */
  latency_ms: number | null;
  /** Why we are not connected, in words for a supervisor (close reason, HTTP error…). */
  detail?: string;
  /** Epoch ms of the last state change. */
  since: number;
  /** Epoch ms of the next reconnect attempt, when one is scheduled. */
  next_retry_at?: number;
  /**
   * Epoch ms since when the data is not live (the last time the state left
   * connected or polling; kept across reconnecting → offline → reconnecting);
   * absent while live.
   */
  stale_since?: number;
}

export interface Counters {
  events_applied: number;
  duplicates_dropped: number;
  gaps: number;
  resyncs: number;
  frames_rejected: number;
  reconnects: number;
}

/** Who a session is with, as the worker knew it when the entry was recorded (ended sessions keep their names). */
export interface ActivityWho {
  user: string;
  agent: string;
}

export type ActivityEntry = (
  | { kind: "intervention"; at: string; intervention: Intervention }
  /** What the agent runtime that owns the session did with an intervention. */
  | { kind: "intervention_result"; at: string; session_id: string; result: InterventionResult }
  | { kind: "error"; at: string; session_id: string | null; code: string; message: string; severity: string }
  | { kind: "session"; at: string; session_id: string; what: "started" | "ended"; detail?: string }
  /** A user message, or an agent's complete reply; `text` is its preview (≤ 80 characters, Markdown marks kept). */
  | { kind: "message"; at: string; session_id: string; role: "user" | "agent"; text: string }
  | { kind: "status"; at: string; session_id: string; from: string; to: string }
  /** The session's agent changed (to another agent or the human queue). */
  | { kind: "transfer"; at: string; session_id: string; from: string; to: string }
) & { who?: ActivityWho };

/** A message's text, forwarded for keyword search. */
export interface MessageText {
  session_id: string;
  id: string;
  text: string;
}

/** The in-flight reply of a watched session, built from token deltas. */
export interface StreamingReply {
  message_id: string;
  phase: "thinking" | "streaming";
  text: string;
}

export interface Transcript {
  session_id: string;
  messages: Message[];
  streaming: StreamingReply | null;
  /** False while the transcript is being (re)fetched after a snapshot or on first open. */
  loaded: boolean;
  /**
   * The agent steps of the transcript's replies (AI insight), in order, each
   * linked to its reply by `message_id`. In a patch, absent means unchanged.
   */
  steps?: readonly AgentStep[];
  /** Review mode (issue 12): the agent's drafts waiting for approval, oldest first; never shown to the user. */
  drafts?: readonly DraftReady[];
  /**
   * Patches only, when this panel already has the transcript: `messages` is
   * just the tail. The panel keeps its messages from index `drop` to
   * `drop + from` and appends `messages` (see `mergeTranscript`).
   */
  drop?: number;
  from?: number;
}

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

/** The alert sound as the worker sees it (preferences from the panel, playing state from the offscreen document). */
export interface SoundState {
  /** The user turned sound on in the panel (a user gesture), and has not turned it off. */
  enabled: boolean;
  /** Epoch ms until which sound is muted; null when not muted. */
  muted_until: number | null;
  /** The offscreen document reports a sound playing (one alert, or repeating until acknowledged). */
  playing: boolean;
  /** Why sound cannot play here, when it cannot (e.g. no offscreen document in this browser). */
  detail?: string;
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

export type CommandStatus =
  | { cmd_id: string; status: "pending" }
  | { cmd_id: string; status: "acked"; intervention_id: string }
  | { cmd_id: string; status: "failed"; code: string; message: string; retry_after_ms?: number };

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
