/**
 * What changed since the panels were last told: filled by the stores as events
 * are applied (O(1) per event), drained by the panel hub into one coalesced
 * patch. `onDirty` fires once per clean→dirty transition so the hub can
 * schedule a flush without a timer per event.
 */
import type { ActivityEntry } from "../panel-protocol";

export interface Changes {
  sessions: Set<string>;
  removed: Set<string>;
  replaceSessions: boolean;
  transcripts: Set<string>;
  activity: ActivityEntry[];
  connection: boolean;
  counters: boolean;
  metrics: boolean;
  agents: boolean;
  user: boolean;
}

export interface ChangeSet {
  session(id: string): void;
  removed(id: string): void;
  replaceSessions(): void;
  transcript(id: string): void;
  activity(entry: ActivityEntry): void;
  mark(what: "connection" | "counters" | "metrics" | "agents" | "user"): void;
  /** Hands over what changed and starts afresh. */
  take(): Changes;
  readonly dirty: boolean;
  onDirty(cb: () => void): () => void;
}

function empty(): Changes {
  return {
    sessions: new Set(),
    removed: new Set(),
    replaceSessions: false,
    transcripts: new Set(),
    activity: [],
    connection: false,
    counters: false,
    metrics: false,
    agents: false,
    user: false,
  };
}

export function createChangeSet(maxActivity = 500): ChangeSet {
  let current = empty();
  let dirty = false;
  const listeners = new Set<() => void>();
  function touch(): void {
    if (dirty) return;
    dirty = true;
    for (const cb of listeners) cb();
  }
  return {
    session(id) {
      current.removed.delete(id);
      current.sessions.add(id);
      touch();
    },
    removed(id) {
      current.sessions.delete(id);
      current.removed.add(id);
      touch();
    },
    replaceSessions() {
      current.replaceSessions = true;
      current.sessions.clear();
      current.removed.clear();
      touch();
    },
    transcript(id) {
      current.transcripts.add(id);
      touch();
    },
    activity(entry) {
      current.activity.push(entry);
      if (current.activity.length > maxActivity * 2) current.activity = current.activity.slice(-maxActivity);
      touch();
    },
    mark(what) {
      current[what] = true;
      touch();
    },
    take() {
      const out = current;
      current = empty();
      dirty = false;
      return out;
    },
    get dirty() {
      return dirty;
    },
    onDirty(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
