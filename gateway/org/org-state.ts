/**
 * One organisation: its numbered event stream, the state the events build,
 * its agents and metrics. Everything an org's clients see comes from here,
 * and nothing here knows about any other org.
 */
import type {
  Agent,
  DeltaFrame,
  EventFrame,
  EventKind,
  Message,
  Metrics,
  Session,
} from "../../utils/protocol/index.ts";
import type { Clock } from "../clock.ts";
import {
  createStatePersister,
  type PersisterOptions,
  type StatePersister,
} from "../store/state-persister.ts";
import type { ClaimInfo, EventLog } from "./event-log.ts";
import { createMetricsTracker } from "./metrics.ts";
import { applyEvent, MAX_MESSAGES, type ReducerHooks, type SessionEntry, type Sessions } from "./reducer.ts";
import { viewSession } from "./views.ts";

export interface OrgSnapshot {
  epoch: string;
  seq: number;
  sessions: Session[];
  agents: Agent[];
  metrics: Metrics;
}

export interface OrgState {
  readonly id: string;
  readonly log: EventLog;
  readonly agents: Agent[];
  readonly sessions: Sessions;
  /** Numbers, stores and sends an event; `claim`: a runtime's publish (see `EventLog.append`). */
  emit(kind: EventKind, sessionId: string | null, data: unknown, claim?: ClaimInfo): EventFrame;
  delta(frame: DeltaFrame): void;
  onEvent(fn: (ev: EventFrame) => void): () => void;
  onDelta(fn: (frame: DeltaFrame) => void): () => void;
  session(id: string): SessionEntry | undefined;
  /** A session's transcript, oldest first: its archived messages then those in memory (up to `MAX_MESSAGES`). */
  transcript(id: string): Message[] | undefined;
  snapshot(admin: boolean): OrgSnapshot;
  metrics(): Metrics;
  /** The saver of the state for restarts (a log with a `state` store), null otherwise. */
  readonly persister: StatePersister | null;
  /** Writes every change not yet saved for restarts, at once (at stop); the saver otherwise runs a slice per tick. */
  persist(): void;
}

export function createOrgState(
  id: string,
  log: EventLog,
  agents: Agent[],
  clock: Clock,
  restore = true,
  persistOptions?: Partial<PersisterOptions>,
): OrgState {
  const sessions: Sessions = new Map();
  const tracker = createMetricsTracker();
  const eventListeners = new Set<(ev: EventFrame) => void>();
  const deltaListeners = new Set<(f: DeltaFrame) => void>();
  let cachedMetrics: { at: number; value: Metrics } | null = null;
  const store = log.state;
  const persister = store
    ? createStatePersister({ sessions, store, lastSeq: () => log.lastSeq(), clock, options: persistOptions })
    : null;

  const hooks: ReducerHooks = persister
    ? { onRemoved: persister.removed, ...(store?.archive ? { archive: store.archive } : {}) }
    : {};

  /** The one path by which an event changes the state, live and when replayed at start. */
  function apply(ev: EventFrame): void {
    if (!persister) {
      applyEvent(sessions, ev);
      return;
    }
    persister.before(ev);
    applyEvent(sessions, ev, hooks);
    persister.after(ev);
  }

  if (!restore) store?.clear();
  for (let after = restore ? (persister?.restore() ?? 0) : 0; restore; ) {
    const batch = log.readAfter(after, 1000);
    if (!batch || batch.length === 0) break;
    for (const ev of batch) apply(ev);
    after = batch[batch.length - 1]?.seq ?? after;
  }

  const state: OrgState = {
    id,
    log,
    agents,
    sessions,
    emit(kind, sessionId, data, claim) {
      const now = clock.now();
      const ev = log.append({ kind, session_id: sessionId, ts: new Date(now).toISOString(), data }, claim);
      apply(ev);
      tracker.observe(ev, now);
      for (const fn of eventListeners) fn(ev);
      return ev;
    },
    delta(frame) {
      for (const fn of deltaListeners) fn(frame);
    },
    onEvent(fn) {
      eventListeners.add(fn);
      return () => eventListeners.delete(fn);
    },
    onDelta(fn) {
      deltaListeners.add(fn);
      return () => deltaListeners.delete(fn);
    },
    session: (sid) => sessions.get(sid),
    transcript(sid) {
      const entry = sessions.get(sid);
      if (!entry) return undefined;
      const older =
        store?.archive?.read(sid, entry.archived ?? 0, MAX_MESSAGES - entry.messages.length) ?? [];
      return older.length > 0 ? [...older, ...entry.messages] : entry.messages;
    },
    snapshot(admin) {
      return {
        epoch: log.epoch,
        seq: log.lastSeq(),
        sessions: [...sessions.values()].map((e) => viewSession(e.session, admin)),
        agents,
        metrics: state.metrics(),
      };
    },
    metrics() {
      // Shared by every client of the org within the same moment (the metrics tick sends to all).
      const now = Date.now();
      if (cachedMetrics && now - cachedMetrics.at < 100) return cachedMetrics.value;
      let active = 0;
      for (const e of sessions.values()) if (e.session.status !== "ended") active++;
      cachedMetrics = { at: now, value: tracker.value(active, clock.now()) };
      return cachedMetrics.value;
    },
    persister,
    persist() {
      persister?.flush();
    },
  };
  return state;
}
