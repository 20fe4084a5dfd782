/**
 * Saves an org's state for restarts a bounded slice at a time (issue 19), so
 * that saving costs the event loop a few milliseconds per tick at any state
 * size instead of one `JSON.stringify` of every session.
 *
 * A checkpoint is the state after one seq `C`, exactly: every session changed
 * since the previous checkpoint is written as it was after event `C`, the
 * others already are. When a checkpoint starts, the sessions changed since the
 * last one become its pending set; each tick writes at most `maxRows`
 * sessions / `maxBytes` of JSON of it in one transaction, and the last slice
 * commits `C` (`StateStore.write`). The reducer keeps changing sessions in
 * place meanwhile, so before an event changes (or the reducer drops) a session
 * still pending, its JSON as of `C` is taken first — one session per event at
 * most. A restart loads the committed rows and replays the events after `C`
 * through the same reducer: the state the events describe. Sessions keep their
 * order in the map (`ord`), which the reducer's pruning depends on.
 */
import type { EventFrame } from "../../utils/protocol/index.ts";
import type { Clock } from "../clock.ts";
import type { StateRow, StateStore } from "../org/event-log.ts";
import type { SessionEntry, Sessions } from "../org/reducer.ts";

export interface PersisterOptions {
  /** Between ticks while there is something to write. */
  tickMs: number;
  /** At most this many sessions per tick… */
  maxRows: number;
  /** …and no more once this much JSON is written (a single session may exceed it). */
  maxBytes: number;
  /** A checkpoint starts at most this often (each one rewrites every session changed since the last). */
  everyMs: number;
  /** A slice that could not be written (it is written again next tick; the events are in the history). */
  onError?: (e: unknown) => void;
}

export const PERSIST_DEFAULTS: PersisterOptions = {
  tickMs: 25,
  maxRows: 200,
  maxBytes: 256 * 1024,
  everyMs: 15_000,
};

export interface StatePersister {
  /** Loads the committed checkpoint into `sessions`; returns its seq (the events after it are to be replayed). */
  restore(): number;
  /** Before `ev` is applied. */
  before(ev: EventFrame): void;
  /** After `ev` is applied. */
  after(ev: EventFrame): void;
  /** The reducer is dropping a session (`applyEvent`'s `onRemoved`). */
  readonly removed: (id: string, entry: SessionEntry) => void;
  /** Writes one slice; true while more is to be written. The timer calls it. */
  step(): boolean;
  /** Writes and commits everything outstanding at once (at stop). */
  flush(): void;
  /** Sessions changed and not yet written (checkpoint in progress included). */
  outstanding(): number;
  /** Cancels the tick (what is not written yet is replayed from the log at the next start). */
  dispose(): void;
}

interface Checkpoint {
  seq: number;
  /** Changed since the last checkpoint, untouched since this one started: written as they are now. */
  pending: Set<string>;
  /** Changed since this one started: their JSON as of `seq`, taken before the change. */
  kept: Map<string, StateRow>;
}

/** The session an event changes (a start names it in its data). */
function touched(ev: EventFrame): string | null {
  return ev.kind === "session_started" ? ev.data.id : ev.session_id;
}

export function createStatePersister(deps: {
  sessions: Sessions;
  store: StateStore;
  lastSeq: () => number;
  clock: Clock;
  options?: Partial<PersisterOptions>;
}): StatePersister {
  const { sessions, store, clock } = deps;
  const opts = { ...PERSIST_DEFAULTS, ...deps.options };
  const ords = new Map<string, number>();
  let nextOrd = 0;
  let dirty = new Set<string>();
  let cp: Checkpoint | null = null;
  let startedAt = Number.NEGATIVE_INFINITY;
  let cancel: (() => void) | null = null;
  let disposed = false;

  const rowOf = (id: string, entry = sessions.get(id)): StateRow =>
    entry ? { id, ord: ords.get(id) ?? 0, json: JSON.stringify(entry) } : { id, ord: 0, json: null };

  /** Keeps the checkpoint's version of a session about to change. */
  function keep(id: string, entry = sessions.get(id)): void {
    if (!cp?.pending.delete(id)) return;
    cp.kept.set(id, rowOf(id, entry));
  }

  function changed(id: string): void {
    dirty.add(id);
    if (!disposed) cancel ??= clock.setTimer(opts.tickMs, tick);
  }

  function tick(): void {
    cancel = null;
    if (persister.step()) cancel = clock.setTimer(opts.tickMs, tick);
  }

  /** Takes up to the limits from the checkpoint in progress, kept versions first (they hold memory). */
  function take(c: Checkpoint, maxRows: number, maxBytes: number): StateRow[] {
    const rows: StateRow[] = [];
    let bytes = 0;
    const full = () => rows.length >= maxRows || bytes >= maxBytes;
    for (const [id, row] of c.kept) {
      if (full()) return rows;
      c.kept.delete(id);
      rows.push(row);
      bytes += row.json?.length ?? 0;
    }
    for (const id of c.pending) {
      if (full()) return rows;
      c.pending.delete(id);
      const row = rowOf(id);
      rows.push(row);
      bytes += row.json?.length ?? 0;
    }
    return rows;
  }

  function writeSlice(c: Checkpoint, maxRows: number, maxBytes: number): void {
    const rows = take(c, maxRows, maxBytes);
    const done = c.pending.size === 0 && c.kept.size === 0;
    try {
      store.write(rows, done ? c.seq : undefined);
    } catch (e) {
      // Still the state as of `seq`: written again next time.
      for (const r of rows) c.kept.set(r.id, r);
      throw e;
    }
    if (done) cp = null;
  }

  function begin(): Checkpoint {
    const c: Checkpoint = { seq: deps.lastSeq(), pending: dirty, kept: new Map() };
    dirty = new Set();
    startedAt = clock.now();
    cp = c;
    return c;
  }

  const persister: StatePersister = {
    restore() {
      const saved = store.load();
      if (!saved) return 0;
      for (const row of saved.rows) {
        sessions.set(row.id, JSON.parse(row.json) as SessionEntry);
        ords.set(row.id, row.ord);
        nextOrd = Math.max(nextOrd, row.ord + 1);
      }
      return saved.seq;
    },
    before(ev) {
      const id = touched(ev);
      if (id === null) return;
      keep(id);
      if (ev.kind === "session_started" && !sessions.has(id)) ords.set(id, nextOrd++);
    },
    after(ev) {
      const id = touched(ev);
      if (id !== null && sessions.has(id)) changed(id);
    },
    removed(id, entry) {
      keep(id, entry);
      ords.delete(id);
      changed(id);
    },
    step() {
      try {
        // Messages that left memory are written every tick, not only with a checkpoint.
        store.archive?.flush();
      } catch (e) {
        opts.onError?.(e);
      }
      const c = cp ?? (dirty.size > 0 && clock.now() - startedAt >= opts.everyMs ? begin() : null);
      if (c) {
        try {
          writeSlice(c, opts.maxRows, opts.maxBytes);
        } catch (e) {
          opts.onError?.(e);
        }
      }
      return cp !== null || dirty.size > 0;
    },
    flush() {
      if (cp) writeSlice(cp, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
      if (dirty.size > 0) writeSlice(begin(), Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    },
    outstanding: () => dirty.size + (cp ? cp.pending.size + cp.kept.size : 0),
    dispose() {
      disposed = true;
      cancel?.();
      cancel = null;
    },
  };
  return persister;
}
