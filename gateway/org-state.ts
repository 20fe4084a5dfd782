/**
 * One organisation: its numbered event stream, the state the events build,
 * its agents and metrics. Everything an org's clients see comes from here,
 * and nothing here knows about any other org.
 */
import type { Agent, DeltaFrame, EventFrame, EventKind, Metrics, Session } from "../utils/protocol/index.ts";
import type { Clock } from "./clock.ts";
import type { ClaimInfo, EventLog } from "./event-log.ts";
import { createMetricsTracker } from "./metrics.ts";
import { applyEvent, type SessionEntry, type Sessions } from "./reducer.ts";
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
  snapshot(admin: boolean): OrgSnapshot;
  metrics(): Metrics;
  /** Saves the state to the log so a restart can continue from it. */
  persist(): void;
}

/** The state is saved for restarts after this many events, but at most every SAVE_MIN_MS (it can be large). */
const SAVE_EVERY = 500;
const SAVE_MIN_MS = 5000;

export function createOrgState(
  id: string,
  log: EventLog,
  agents: Agent[],
  clock: Clock,
  restore = true,
): OrgState {
  const sessions: Sessions = new Map();
  const tracker = createMetricsTracker();
  const eventListeners = new Set<(ev: EventFrame) => void>();
  const deltaListeners = new Set<(f: DeltaFrame) => void>();
  let sinceSave = 0;
  let cachedMetrics: { at: number; value: Metrics } | null = null;
  let savedAt = Date.now();

  const saved = restore ? log.loadState() : null;
  if (saved && Array.isArray(saved.state))
    for (const entry of saved.state as SessionEntry[]) sessions.set(entry.session.id, entry);
  for (let after = saved?.seq ?? 0; restore; ) {
    const batch = log.readAfter(after, 1000);
    if (!batch || batch.length === 0) break;
    for (const ev of batch) applyEvent(sessions, ev);
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
      applyEvent(sessions, ev);
      tracker.observe(ev, now);
      for (const fn of eventListeners) fn(ev);
      if (++sinceSave >= SAVE_EVERY && Date.now() - savedAt >= SAVE_MIN_MS) state.persist();
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
    persist() {
      sinceSave = 0;
      savedAt = Date.now();
      log.saveState({ seq: log.lastSeq(), state: [...sessions.values()] });
    },
  };
  return state;
}
