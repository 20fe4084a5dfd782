/**
 * The event log of one organisation behind a small interface: append (which
 * numbers the event), read after a seq, and a saved state snapshot to restart
 * from. The in-memory log lives here; `sqlite-history.ts` persists the same
 * interface, and a distributed backend could replace either.
 */
import { randomBytes } from "node:crypto";
import type { EventFrame, EventKind } from "../utils/protocol/index.ts";

export type NewEvent = { kind: EventKind; session_id: string | null; ts: string; data: unknown };

export interface SavedState {
  seq: number;
  /** Opaque JSON of the org state at `seq` (see org-state.ts). */
  state: unknown;
}

export interface EventLog {
  readonly epoch: string;
  /** Seq of the newest event (0 when none). */
  lastSeq(): number;
  /** Seq of the oldest retained event (lastSeq() + 1 when none). */
  firstSeq(): number;
  append(event: NewEvent): EventFrame;
  /** Events with seq > after, oldest first, at most `limit`; null when `after` is older than the history. */
  readAfter(after: number, limit: number): EventFrame[] | null;
  saveState(saved: SavedState): void;
  loadState(): SavedState | null;
}

export interface HistoryStore {
  /** Opens (or creates) the log of an org; a persistent store keeps its epoch and numbering. */
  open(orgId: string, limit: number): EventLog;
  close(): void;
}

export function newEpoch(): string {
  return `e_${Date.now().toString(36)}${randomBytes(4).toString("hex")}`;
}

export function eventId(epoch: string, seq: number): string {
  return `evt_${epoch.slice(2, 12)}_${seq.toString(36)}`;
}

export function makeFrame(epoch: string, seq: number, e: NewEvent): EventFrame {
  return {
    type: "event",
    epoch,
    seq,
    event_id: eventId(epoch, seq),
    kind: e.kind,
    session_id: e.session_id,
    ts: e.ts,
    data: e.data,
  } as EventFrame;
}

export function createMemoryLog(limit: number, epoch = newEpoch()): EventLog {
  let events: EventFrame[] = [];
  let last = 0;
  let saved: SavedState | null = null;
  return {
    epoch,
    lastSeq: () => last,
    firstSeq: () => events[0]?.seq ?? last + 1,
    append(e) {
      last += 1;
      const frame = makeFrame(epoch, last, e);
      events.push(frame);
      if (events.length > limit + Math.max(64, limit >> 4)) events = events.slice(events.length - limit);
      return frame;
    },
    readAfter(after, max) {
      if (after > last) return null;
      const first = events[0]?.seq ?? last + 1;
      if (after < first - 1) return null;
      const start = after - first + 1;
      return events.slice(start, start + max);
    },
    saveState(s) {
      saved = s;
    },
    loadState: () => saved,
  };
}

export function createMemoryHistory(): HistoryStore {
  return { open: (_org, limit) => createMemoryLog(limit), close() {} };
}
