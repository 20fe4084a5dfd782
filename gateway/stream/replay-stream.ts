/**
 * Replays a resuming client's missed events in chunks, yielding to the event
 * loop whenever its socket is backed up, until it has caught up with the head
 * of the log. `onDone` runs synchronously at the moment of catching up, so the
 * caller can switch the client to live events without a gap or a duplicate.
 */
import type { EventFrame } from "../../utils/protocol/index.ts";
import type { EventLog } from "../org/event-log.ts";

const CHUNK = 500;
const HIGH_WATER = 1024 * 1024;

export interface ReplayOptions {
  log: EventLog;
  after: number;
  send(ev: EventFrame): void;
  /** Bytes queued for the client. */
  backlog(): number;
  isOpen(): boolean;
  /** "trimmed": the history moved past the cursor while replaying (take a snapshot). */
  onDone(result: "caught_up" | "trimmed"): void;
}

/** Starts the replay (the first chunks synchronously); returns a cancel function. */
export function replayInChunks(o: ReplayOptions): () => void {
  let cursor = o.after;
  let cancelled = false;
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  const step = () => {
    timer = null;
    if (cancelled || !o.isOpen()) return;
    for (let n = 0; n < 8; n++) {
      if (cursor >= o.log.lastSeq()) return o.onDone("caught_up");
      if (o.backlog() > HIGH_WATER) {
        timer = setTimeout(step, 10);
        return;
      }
      const events = o.log.readAfter(cursor, CHUNK);
      if (!events) return o.onDone("trimmed");
      for (const ev of events) o.send(ev);
      cursor = events.at(-1)?.seq ?? cursor;
    }
    timer = setImmediate(step);
  };
  step();
  return () => {
    cancelled = true;
    if (timer) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
    }
  };
}
