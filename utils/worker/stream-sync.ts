/**
 * What the stream's frames mean for the worker's state: numbered events and
 * snapshots go through the sequencer (epoch/seq rules, buffering, dedup) into
 * the session store, the transcripts and the activity log; deltas build
 * streaming replies; after every snapshot the watched transcripts are
 * refetched (messages, steps and the drafts waiting for approval). The source (socket or polling) does not matter here.
 */
import type { Counters, Transcript } from "../panel-messages";
import type {
  AgentStep,
  DecodeError,
  DeltaFrame,
  DraftReady,
  EventFrame,
  Message,
  SingleServerFrame,
  User,
  WelcomeFrame,
} from "../protocol";
import { type ActivityLog, createActivityLog, factsOf } from "../store/activity-log";
import type { ChangeSet } from "../store/change-set";
import { type Cursor, createSequencer, type Sequencer } from "../store/sequencer";
import { createSessionStore, type SessionStore, type SnapshotData } from "../store/session-store";
import { createTranscriptStore, type TranscriptStore } from "../store/transcripts";

export interface StreamLink {
  requestSnapshot(): void;
  requestReplay(after: Cursor): void;
  fetchSession(id: string): Promise<{
    messages: Message[];
    steps?: AgentStep[] | undefined;
    drafts?: DraftReady[] | undefined;
  }>;
}

export interface StreamSyncOptions {
  changes: ChangeSet;
  counters: Counters;
  link: StreamLink;
  /** Called for every applied event, after the stores (badge, notifications). */
  onEvent?: (event: EventFrame, before: { priority?: string } | null) => void;
  /** Called for every token delta, after the transcripts (the bench stamps when the worker applied it). */
  onDelta?: (delta: DeltaFrame) => void;
  /** Called for every applied snapshot, after the stores (the fault suite audits what it covers). */
  onSnapshot?: (snapshot: SnapshotData) => void;
  onCommandResult?: (frame: Extract<SingleServerFrame, { type: "ack" | "command_error" }>) => void;
  replayTimeoutMs?: number;
  snapshotTimeoutMs?: number;
}

export interface StreamSync {
  readonly sessions: SessionStore;
  readonly transcripts: TranscriptStore;
  readonly activity: ActivityLog;
  readonly sequencer: Sequencer<SnapshotData>;
  readonly user: User | null;
  frame(frame: SingleServerFrame): void;
  rejected(error: DecodeError): void;
  welcome(frame: WelcomeFrame): void;
  setWatch(ids: Iterable<string>): void;
  /** Puts back persisted state (after the worker was stopped). */
  restore(snapshot: SnapshotData, user: User | null): void;
  transcript(id: string): Transcript | null;
  dispose(): void;
}

export function createStreamSync(opts: StreamSyncOptions): StreamSync {
  const { changes, counters, link } = opts;
  const sessions = createSessionStore(changes);
  const transcripts = createTranscriptStore(changes);
  const activity = createActivityLog();
  let user: User | null = null;
  let replayTimer: ReturnType<typeof setTimeout> | undefined;
  let snapshotTimer: ReturnType<typeof setTimeout> | undefined;

  /** A snapshot was announced (welcome recovered:false, replay_unavailable): ask for one if it does not come. */
  function awaitSnapshot(): void {
    sequencer.expectSnapshot();
    clearTimeout(snapshotTimer);
    snapshotTimer = setTimeout(() => {
      if (sequencer.phase === "awaiting_snapshot") link.requestSnapshot();
    }, opts.snapshotTimeoutMs ?? 3000);
  }
  let disposed = false;

  const sequencer: Sequencer<SnapshotData> = createSequencer<SnapshotData>({
    counters,
    sink: {
      applyEvent(event) {
        const prev = event.session_id === null ? undefined : sessions.sessions.get(event.session_id);
        const before = prev ? { priority: prev.priority } : null;
        const facts = prev ? factsOf(prev) : null;
        sessions.apply(event);
        transcripts.applyEvent(event);
        const after = event.session_id === null ? undefined : sessions.sessions.get(event.session_id);
        for (const entry of activity.record(event, { before: facts, after })) changes.activity(entry);
        opts.onEvent?.(event, before);
      },
      applySnapshot(snap) {
        sessions.reset(snap);
        refetchAll();
        opts.onSnapshot?.(snap);
      },
      requestReplay(after) {
        link.requestReplay(after);
        clearTimeout(replayTimer);
        replayTimer = setTimeout(() => {
          const c = sequencer.cursor;
          if (sequencer.phase === "replaying" && c?.epoch === after.epoch && c.seq === after.seq)
            sequencer.replayUnavailable();
        }, opts.replayTimeoutMs ?? 5000);
      },
      requestSnapshot() {
        link.requestSnapshot();
      },
    },
  });

  function load(id: string, attempt = 0): void {
    const gen = transcripts.beginLoad(id);
    if (gen < 0) return;
    link.fetchSession(id).then(
      (res) => transcripts.loaded(id, gen, res.messages, res.steps, res.drafts),
      (err: { status?: number }) => {
        if (disposed || !transcripts.isWatched(id)) return;
        if (err.status === 404) transcripts.loaded(id, gen, []);
        else if (attempt < 5) setTimeout(() => load(id, attempt + 1), 1000 * 2 ** attempt);
      },
    );
  }

  function refetchAll(): void {
    for (const id of transcripts.watched()) load(id);
  }

  return {
    sessions,
    transcripts,
    activity,
    sequencer,
    get user() {
      return user;
    },
    frame(f) {
      switch (f.type) {
        case "event":
          sequencer.event(f);
          changes.mark("counters");
          break;
        case "snapshot":
          sequencer.snapshot(f);
          changes.mark("counters");
          break;
        case "delta":
          transcripts.applyDelta(f);
          opts.onDelta?.(f);
          break;
        case "metrics":
          sessions.setMetrics(f.data);
          break;
        case "presence":
          sessions.setPresence(f.session_id, f.viewers);
          break;
        case "replay_unavailable":
          // The server pushes a snapshot right after (§3); ask only if it does not.
          clearTimeout(replayTimer);
          awaitSnapshot();
          break;
        case "ack":
        case "command_error":
          opts.onCommandResult?.(f);
          break;
        case "welcome":
        case "pong":
          break;
      }
    },
    rejected(error) {
      counters.frames_rejected++;
      changes.mark("counters");
      if (error.envelope) sequencer.skip(error.envelope);
    },
    welcome(w) {
      user = w.user;
      changes.mark("user");
      if (!w.recovered) awaitSnapshot();
    },
    setWatch(ids) {
      for (const id of transcripts.watch(ids)) load(id);
    },
    restore(snap, u) {
      sessions.reset(snap);
      sequencer.reset({ epoch: snap.epoch, seq: snap.seq });
      user = u;
      changes.mark("user");
    },
    transcript: (id) => transcripts.get(id),
    dispose() {
      disposed = true;
      clearTimeout(replayTimer);
      clearTimeout(snapshotTimer);
    },
  };
}
