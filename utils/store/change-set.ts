/**
 * What changed since the panels were last told: filled by the stores as events
 * are applied (O(1) per event), drained by the panel hub into one coalesced
 * patch. `onDirty` fires once per clean→dirty transition so the hub can
 * schedule a flush without a timer per event.
 */
import type { ActivityEntry } from "../activity/activity-schema";
import type { MessageText } from "./transcript-schema";

/** At most this many message texts wait for one patch; older ones are dropped (the panel says its search is partial). */
export const MAX_PENDING_MESSAGES = 2000;
/** A forwarded text is cut to this many characters. */
export const MAX_MESSAGE_TEXT = 2000;

export interface Changes {
  sessions: Set<string>;
  removed: Set<string>;
  transcripts: Set<string>;
  activity: ActivityEntry[];
  messages: MessageText[];
  connection: boolean;
  counters: boolean;
  metrics: boolean;
  agents: boolean;
  user: boolean;
  alerts: boolean;
  sound: boolean;
  /** A snapshot (or a restored state) replaced the sessions in this cycle: a session new in it is not news. */
  snapshot: boolean;
}

export interface ChangeSet {
  session(id: string): void;
  removed(id: string): void;
  transcript(id: string): void;
  activity(entry: ActivityEntry): void;
  /** A new message's text (any session), for the panel's keyword index. */
  message(m: MessageText): void;
  mark(
    what: "connection" | "counters" | "metrics" | "agents" | "user" | "alerts" | "sound" | "snapshot",
  ): void;
  /** Hands over what changed and starts afresh. */
  take(): Changes;
  readonly dirty: boolean;
  onDirty(cb: () => void): () => void;
  /** Called the first time in a cycle that session `id`'s transcript changes (e.g. a streaming token). */
  onTranscript(cb: (id: string) => void): () => void;
}

function empty(): Changes {
  return {
    sessions: new Set(),
    removed: new Set(),
    transcripts: new Set(),
    activity: [],
    messages: [],
    connection: false,
    counters: false,
    metrics: false,
    agents: false,
    user: false,
    alerts: false,
    sound: false,
    snapshot: false,
  };
}

export function createChangeSet(maxActivity = 500): ChangeSet {
  let current = empty();
  let dirty = false;
  const listeners = new Set<() => void>();
  const transcriptListeners = new Set<(id: string) => void>();
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
    transcript(id) {
      const fresh = !current.transcripts.has(id);
      current.transcripts.add(id);
      touch();
      if (fresh) for (const cb of transcriptListeners) cb(id);
    },
    activity(entry) {
      current.activity.push(entry);
      if (current.activity.length > maxActivity * 2) current.activity = current.activity.slice(-maxActivity);
      touch();
    },
    message(m) {
      const text = m.text.length > MAX_MESSAGE_TEXT ? m.text.slice(0, MAX_MESSAGE_TEXT) : m.text;
      current.messages.push({ session_id: m.session_id, id: m.id, text });
      if (current.messages.length > MAX_PENDING_MESSAGES * 2)
        current.messages = current.messages.slice(-MAX_PENDING_MESSAGES);
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
    onTranscript(cb) {
      transcriptListeners.add(cb);
      return () => transcriptListeners.delete(cb);
    },
  };
}
