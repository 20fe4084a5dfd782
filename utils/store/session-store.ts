/**
 * The session reducer: the organisation's active sessions, agents and metrics,
 * folded from snapshots and numbered events. O(1) per event, copy on write:
 * an event replaces its session's object with a changed shallow copy, so a
 * stored object never changes (the worker's state save reads a list taken
 * earlier a slice at a time; panels receive copies through the port), recording what changed in
 * a ChangeSet. Same rules as the gateway's reducer: every event on a session
 * is activity; a message counts once per id; agent_thinking/stream_started
 * move the status to thinking/streaming and the agent's reply back to active. Ended sessions leave the map at
 * once, so memory follows the live set, not the day's history. A snapshot is diffed against what is held
 * (`sameSession`): only the sessions it changes, adds or drops are recorded, so a resync costs the panels
 * and the state save what changed in the gap, not the whole organisation.
 */
import type { Agent, EventFrame, Metrics, PresenceViewer, Session } from "../protocol";
import { insightAfterMessage, previewOf, queueAfter, reviewAfterDraft, statusAfter } from "../protocol";
import type { ChangeSet } from "./change-set";
import { sameJson, sameSession } from "./session-equal";

const RECENT_IDS = 16;
/** Presence entries kept at most (sessions the worker does not know go first beyond it). */
export const MAX_PRESENCE = 5000;

export interface SnapshotData {
  epoch: string;
  seq: number;
  sessions: Session[];
  agents: Agent[];
  metrics: Metrics;
}

/** What a snapshot changed in the store, in sessions. */
export interface SnapshotDiff {
  kept: number;
  changed: number;
  added: number;
  removed: number;
}

export interface SessionStore {
  readonly sessions: ReadonlyMap<string, Session>;
  readonly agents: Agent[];
  readonly metrics: Metrics | null;
  apply(event: EventFrame): void;
  /**
   * Puts the store in line with a snapshot: a session equal to the held one keeps its object, a changed or
   * new one is an upsert, one the snapshot no longer has is removed (all recorded in the ChangeSet).
   */
  reset(snapshot: SnapshotData): SnapshotDiff;
  setMetrics(metrics: Metrics): void;
  /** Presence (ephemeral frames): who views a session now; kept across snapshots for the sessions they still hold, shown as `viewers`. */
  setPresence(sessionId: string, viewers: PresenceViewer[]): void;
  /** Presence entries kept now (tests: nothing piles up). */
  presenceCount(): number;
  list(): Session[];
}

export function createSessionStore(changes: ChangeSet): SessionStore {
  const sessions = new Map<string, Session>();
  let agents: Agent[] = [];
  let metrics: Metrics | null = null;
  /** The last presence frame of each session (it may come before the session itself); bounded. */
  const presence = new Map<string, PresenceViewer[]>();
  const withPresence = (x: Session): Session => {
    const v = presence.get(x.id);
    if (v) x.viewers = v;
    else delete x.viewers;
    return x;
  };

  /** The last few message ids per session: a message_sent that replaces one (override) is not counted twice. */
  const recentIds = new Map<string, string[]>();
  /** The stream life (epoch) of the last snapshot: a new one may reuse message ids. */
  let epoch: string | null = null;

  function isNewMessage(sessionId: string, messageId: string): boolean {
    let ids = recentIds.get(sessionId);
    if (!ids) {
      ids = [];
      recentIds.set(sessionId, ids);
    }
    if (ids.includes(messageId)) return false;
    ids.push(messageId);
    if (ids.length > RECENT_IDS) ids.shift();
    return true;
  }

  function apply(event: EventFrame): void {
    if (event.kind === "session_started") {
      sessions.set(event.session_id, withPresence({ ...event.data, id: event.session_id }));
      changes.session(event.session_id);
      return;
    }
    if (event.session_id === null) return;
    const stored = sessions.get(event.session_id);
    if (!stored) return;
    // Copy on write: a stored session object never changes, so a list taken earlier (the worker's state
    // save, written a slice at a time) keeps describing the moment it was taken.
    const s: Session = { ...stored };
    sessions.set(event.session_id, s);
    s.last_activity_at = event.ts;
    switch (event.kind) {
      case "message_received":
      case "message_sent":
        if (isNewMessage(s.id, event.data.id)) s.message_count += 1;
        if (event.data.role !== "system" && event.data.text) s.preview = previewOf(event.data.text);
        if (event.data.text) changes.message({ session_id: s.id, id: event.data.id, text: event.data.text });
        s.status = statusAfter(s.status, event.kind, event.data.role);
        insightAfterMessage(s, event.data);
        break;
      case "agent_thinking":
      case "stream_started":
        s.status = statusAfter(s.status, event.kind);
        break;
      case "session_updated": {
        const { id: _ignored, ...patch } = event.data;
        Object.assign(s, patch);
        break;
      }
      case "handoff_requested":
        s.handoff = { ...event.data };
        break;
      case "human_queue":
        queueAfter(s, event.data);
        break;
      // Review mode: drafts waiting for approval (the gateway's reducer counts them the same way).
      case "draft_ready":
        reviewAfterDraft(s, event.kind);
        s.status = statusAfter(s.status, event.kind);
        break;
      case "draft_resolved":
        reviewAfterDraft(s, event.kind);
        break;
      case "session_ended":
        sessions.delete(event.session_id);
        recentIds.delete(event.session_id);
        presence.delete(event.session_id);
        changes.removed(event.session_id);
        return;
      default: // intervention_result among others: the session is unchanged (the activity log carries it)
        break;
    }
    changes.session(event.session_id);
  }

  return {
    sessions,
    get agents() {
      return agents;
    },
    get metrics() {
      return metrics;
    },
    apply,
    reset(snap) {
      const diff: SnapshotDiff = { kept: 0, changed: 0, added: 0, removed: 0 };
      // Message ids are unique within one stream life only: a gateway that lost its history (a new epoch)
      // may number a restarted simulation's messages as before, and they must count.
      if (snap.epoch !== epoch) recentIds.clear();
      epoch = snap.epoch;
      changes.mark("snapshot");
      const live = new Set<string>();
      for (const s of snap.sessions) {
        if (s.status === "ended") continue;
        live.add(s.id);
        const held = sessions.get(s.id);
        // What the snapshot says is what is held: the same object stays, so nothing downstream sees a change.
        if (held && sameSession(held, s)) {
          diff.kept++;
          continue;
        }
        sessions.set(s.id, withPresence({ ...s }));
        if (held) diff.changed++;
        else diff.added++;
        changes.session(s.id);
      }
      // Sessions the snapshot no longer has ended in the gap: they go, with their presence.
      for (const id of sessions.keys()) {
        if (live.has(id)) continue;
        sessions.delete(id);
        recentIds.delete(id);
        changes.removed(id);
        diff.removed++;
      }
      for (const sid of presence.keys()) if (!sessions.has(sid)) presence.delete(sid);
      if (!sameJson(agents, snap.agents)) {
        agents = snap.agents.slice();
        changes.mark("agents");
      }
      metrics = snap.metrics;
      changes.mark("metrics");
      return diff;
    },
    setMetrics(m) {
      metrics = m;
      changes.mark("metrics");
    },
    setPresence(sid, viewers) {
      if (viewers.length > 0) presence.set(sid, viewers);
      else presence.delete(sid);
      // Entries for sessions not (yet) known are bounded: the oldest go first.
      if (presence.size > MAX_PRESENCE) {
        for (const id of presence.keys()) {
          if (presence.size <= MAX_PRESENCE) break;
          if (!sessions.has(id)) presence.delete(id);
        }
      }
      const s = sessions.get(sid);
      if (!s) return;
      sessions.set(sid, withPresence({ ...s }));
      changes.session(sid);
    },
    presenceCount: () => presence.size,
    list() {
      return [...sessions.values()];
    },
  };
}
