/**
 * Time for the simulation: real timers by default, or a manual clock that
 * tests advance by hand so a conversation can be stepped deterministically.
 */
export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
  /** Manual clocks only: runs every timer due within the next `ms`, in time order. */
  advance(ms: number): void;
  readonly manual: boolean;
  /** Cancels every pending timer. */
  dispose(): void;
}

export function createRealClock(): Clock {
  const timers = new Set<NodeJS.Timeout>();
  return {
    manual: false,
    now: () => Date.now(),
    setTimer(ms, fn) {
      const t = setTimeout(
        () => {
          timers.delete(t);
          fn();
        },
        Math.max(0, ms),
      );
      timers.add(t);
      return () => {
        clearTimeout(t);
        timers.delete(t);
      };
    },
    advance() {
      throw new Error("advance() needs a manual clock (manualClock: true)");
    },
    dispose() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

interface Pending {
  at: number;
  order: number;
  fn: () => void;
}

export function createManualClock(start = Date.now()): Clock {
  let now = start;
  let order = 0;
  let queue: Pending[] = [];
  return {
    manual: true,
    now: () => now,
    setTimer(ms, fn) {
      const p: Pending = { at: now + Math.max(0, ms), order: order++, fn };
      queue.push(p);
      return () => {
        queue = queue.filter((q) => q !== p);
      };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let next: Pending | undefined;
        for (const q of queue)
          if (q.at <= end && (!next || q.at < next.at || (q.at === next.at && q.order < next.order)))
            next = q;
        if (!next) break;
        const due = next;
        queue = queue.filter((q) => q !== due);
        now = Math.max(now, due.at);
        due.fn();
      }
      now = end;
    },
    dispose() {
      queue = [];
    },
  };
}
