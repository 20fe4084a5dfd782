/**
 * The epoch/seq rules of protocol §3, in one place and free of I/O:
 * - other epoch → resync (snapshot);
 * - seq <= last → duplicate, dropped and counted;
 * - seq == last + 1 → applied;
 * - seq > last + 1 → gap: buffer it, ask for a replay; if the replay is
 *   unavailable, ask for a snapshot.
 * While a snapshot is awaited, events are buffered; when it comes, buffered
 * events with seq <= snapshot.seq are dropped and the rest applied in order.
 * A malformed event whose envelope could be read is a "hole filler": it
 * advances the cursor without being applied, so it causes no gap.
 */

import type { EventFrame } from "../protocol";
import type { Counters } from "./counters-schema";

export interface Cursor {
  epoch: string;
  seq: number;
}

export interface SnapshotLike {
  epoch: string;
  seq: number;
}

export interface SequencerSink<S extends SnapshotLike> {
  applyEvent(event: EventFrame): void;
  applySnapshot(snapshot: S): void;
  /** A gap was seen: ask the server for every event after `after`. */
  requestReplay(after: Cursor): void;
  /** The cursor cannot be continued: ask for a snapshot. */
  requestSnapshot(reason: string): void;
}

export type SequencerPhase = "live" | "replaying" | "awaiting_snapshot";

/** An event, or `null` for a malformed one that only fills its slot. */
export interface Numbered {
  epoch: string;
  seq: number;
  event: EventFrame | null;
}

export interface Sequencer<S extends SnapshotLike> {
  readonly cursor: Cursor | null;
  readonly phase: SequencerPhase;
  readonly buffered: number;
  event(event: EventFrame): void;
  /** A malformed event whose envelope was readable. */
  skip(envelope: Cursor): void;
  snapshot(snapshot: S): boolean;
  /** The server said it cannot replay: a snapshot is needed. */
  replayUnavailable(): void;
  /** A snapshot is on its way (welcome with recovered:false): buffer until it comes. */
  expectSnapshot(): void;
  /** Forget everything (new gateway). */
  reset(cursor: Cursor | null): void;
}

export interface SequencerOptions<S extends SnapshotLike> {
  sink: SequencerSink<S>;
  counters: Counters;
  cursor?: Cursor | null;
  /** Most events held while waiting for a replay or a snapshot (default 50,000). */
  maxBuffer?: number;
}

export function createSequencer<S extends SnapshotLike>(opts: SequencerOptions<S>): Sequencer<S> {
  const { sink, counters } = opts;
  const maxBuffer = opts.maxBuffer ?? 50_000;
  let cursor: Cursor | null = opts.cursor ? { ...opts.cursor } : null;
  let phase: SequencerPhase = "live";
  let buffer = new Map<number, Numbered>();
  let bufferEpoch: string | null = null;

  function hold(item: Numbered): void {
    if (bufferEpoch !== item.epoch) {
      buffer = new Map();
      bufferEpoch = item.epoch;
    }
    if (buffer.has(item.seq)) {
      counters.duplicates_dropped++;
      return;
    }
    if (buffer.size >= maxBuffer) {
      // Too far behind to catch up by buffering: the snapshot/replay will cover it.
      counters.frames_rejected++;
      return;
    }
    buffer.set(item.seq, item);
  }

  function applyOne(item: Numbered, at: Cursor): void {
    at.seq = item.seq;
    if (item.event) {
      sink.applyEvent(item.event);
      counters.events_applied++;
    }
  }

  /** Applies buffered events that continue the cursor; requests a replay if a hole remains. */
  function drain(): void {
    if (!cursor || bufferEpoch !== cursor.epoch) {
      buffer.clear();
      bufferEpoch = null;
    } else {
      for (const seq of buffer.keys()) {
        if (seq <= cursor.seq) {
          buffer.delete(seq);
          counters.duplicates_dropped++;
        }
      }
      let next = buffer.get(cursor.seq + 1);
      while (next) {
        buffer.delete(next.seq);
        applyOne(next, cursor);
        next = buffer.get(cursor.seq + 1);
      }
    }
    if (buffer.size === 0) {
      phase = "live";
    } else if (phase !== "replaying" && cursor) {
      phase = "replaying";
      counters.gaps++;
      sink.requestReplay({ ...cursor });
    }
  }

  function numbered(item: Numbered): void {
    if (phase === "awaiting_snapshot") {
      hold(item);
      return;
    }
    if (!cursor) {
      phase = "awaiting_snapshot";
      hold(item);
      sink.requestSnapshot("no cursor");
      return;
    }
    if (item.epoch !== cursor.epoch) {
      phase = "awaiting_snapshot";
      hold(item);
      sink.requestSnapshot(`epoch changed from ${cursor.epoch} to ${item.epoch}`);
      return;
    }
    if (item.seq <= cursor.seq) {
      counters.duplicates_dropped++;
      return;
    }
    if (item.seq === cursor.seq + 1) {
      applyOne(item, cursor);
      if (buffer.size > 0) drain();
      return;
    }
    hold(item);
    if (phase !== "replaying") {
      phase = "replaying";
      counters.gaps++;
      sink.requestReplay({ ...cursor });
    }
  }

  return {
    get cursor() {
      return cursor ? { ...cursor } : null;
    },
    get phase() {
      return phase;
    },
    get buffered() {
      return buffer.size;
    },
    event(event) {
      numbered({ epoch: event.epoch, seq: event.seq, event });
    },
    skip(envelope) {
      numbered({ epoch: envelope.epoch, seq: envelope.seq, event: null });
    },
    snapshot(snap) {
      if (cursor && snap.epoch === cursor.epoch && snap.seq < cursor.seq) {
        // Older than what we hold (e.g. a slow HTTP snapshot overtaken by the socket): useless.
        return false;
      }
      if (cursor) counters.resyncs++;
      sink.applySnapshot(snap);
      cursor = { epoch: snap.epoch, seq: snap.seq };
      phase = "live";
      drain();
      return true;
    },
    replayUnavailable() {
      if (phase === "awaiting_snapshot") return;
      phase = "awaiting_snapshot";
      sink.requestSnapshot("replay unavailable");
    },
    expectSnapshot() {
      phase = "awaiting_snapshot";
    },
    reset(next) {
      cursor = next ? { ...next } : null;
      phase = "live";
      buffer = new Map();
      bufferEpoch = null;
    },
  };
}
