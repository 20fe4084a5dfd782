/**
 * The event log of one organisation behind a small interface: append (which
 * numbers the event), read after a seq, and (persistent logs only) the saved
 * org state a restart continues from. The in-memory log lives here;
 * `sqlite-history.ts` persists the same interface, and a distributed backend
 * could replace either.
 */
import { randomBytes } from "node:crypto";
import type { EventFrame, EventKind, Message } from "../../utils/protocol/index.ts";

export type NewEvent = { kind: EventKind; session_id: string | null; ts: string; data: unknown };

/** One session in the saved org state: its place in the org's session order and its JSON (null: it is gone). */
export interface StateRow {
  id: string;
  ord: number;
  json: string | null;
}

/** A committed checkpoint: every session as it was after event `seq`, in `ord` order. */
export interface SavedState {
  seq: number;
  rows: (StateRow & { json: string })[];
}

/**
 * The org state a restart continues from, saved a few sessions at a time
 * (`state-persister.ts`): rows written since the last commit are invisible to
 * `load` until `write(…, commitSeq)` makes them the new checkpoint, so a
 * process killed mid-way restarts from the previous checkpoint.
 */
export interface StateStore {
  /** The last committed checkpoint, null when none was saved. */
  load(): SavedState | null;
  /** Writes rows of the next checkpoint; with `commitSeq`, also commits it (same transaction) as the state after that seq. */
  write(rows: StateRow[], commitSeq?: number): void;
  /** Forgets the saved state (a gateway started without restoring it). */
  clear(): void;
  /** Where messages that left a session's in-memory tail are kept (none: the reducer keeps `MAX_MESSAGES` in memory). */
  readonly archive?: TranscriptArchive;
}

/** The older part of the sessions' transcripts, outside memory (`sqlite-transcripts.ts`). */
export interface TranscriptArchive {
  /** Message number `n` (0-based, in the order the session received them) left the session's in-memory tail. */
  put(sessionId: string, n: number, msg: Message): void;
  /** The newest `limit` archived messages numbered below `before`, oldest first. */
  read(sessionId: string, before: number, limit: number): Message[];
  /** The session is gone (pruned, or its id starts again): so are its archived messages. */
  drop(sessionId: string): void;
  /** Writes what `put` and `drop` buffered; inside a state write, in the same transaction. */
  flush(): void;
}

/** Who owns an open session: the agent runtime (`${user id}/${runtime id}`) and its last numbered publish. */
export interface RuntimeClaim {
  session_id: string;
  runtime: string;
  /** The runtime's last publish numbered for this session, and the seq it got. */
  pub_id: string;
  seq: number;
}

/** A publish's provenance, stored with the event in the same commit. */
export type ClaimInfo = Pick<RuntimeClaim, "runtime" | "pub_id">;

export interface EventLog {
  readonly epoch: string;
  /** Seq of the newest event (0 when none). */
  lastSeq(): number;
  /** Seq of the oldest retained event (lastSeq() + 1 when none). */
  firstSeq(): number;
  /**
   * Numbers and stores an event. With `claim` (an event a runtime published),
   * records in the same commit that the runtime owns the session and this was
   * its last numbered publish; `session_ended` forgets the session's claim.
   */
  append(event: NewEvent, claim?: ClaimInfo): EventFrame;
  /** Claims of sessions not ended (what a restarted gateway restores). */
  claims(): RuntimeClaim[];
  /** Events with seq > after, oldest first, at most `limit`; null when `after` is older than the history. */
  readAfter(after: number, limit: number): EventFrame[] | null;
  /** Where the org state is saved for restarts; absent for a log that does not outlive the process. */
  readonly state?: StateStore;
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

/** Keeps a session's claim up to date after an event (shared by both logs). */
export function nextClaim(
  claims: Map<string, RuntimeClaim>,
  frame: EventFrame,
  claim: ClaimInfo | undefined,
): RuntimeClaim | null | undefined {
  const sid = frame.session_id;
  if (sid === null) return undefined;
  if (frame.kind === "session_ended") {
    claims.delete(sid);
    return null;
  }
  if (!claim) return undefined;
  const c: RuntimeClaim = { session_id: sid, runtime: claim.runtime, pub_id: claim.pub_id, seq: frame.seq };
  claims.set(sid, c);
  return c;
}

export function createMemoryLog(limit: number, epoch = newEpoch()): EventLog {
  let events: EventFrame[] = [];
  let last = 0;
  const claims = new Map<string, RuntimeClaim>();
  return {
    epoch,
    lastSeq: () => last,
    firstSeq: () => events[0]?.seq ?? last + 1,
    claims: () => [...claims.values()],
    append(e, claim) {
      last += 1;
      const frame = makeFrame(epoch, last, e);
      nextClaim(claims, frame, claim);
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
  };
}

export function createMemoryHistory(): HistoryStore {
  return { open: (_org, limit) => createMemoryLog(limit), close() {} };
}
