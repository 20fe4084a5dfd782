/**
 * The gateway's handshake budget, enforced: at most `perSecond` welcomes in
 * any 1,000 ms (a sliding window over the times of the last `perSecond`
 * admissions). A valid hello that finds the window full waits in a FIFO queue
 * with its socket open and is answered as soon as a slot frees; the queue
 * holds at most `maxWaitMs` worth of budget, and a hello beyond that is told
 * to come back later (the caller closes it with 4100). The reconnect spread of
 * a 42xx (`restart-spread.ts`) keeps a restart's herd under this budget; the
 * gate is what holds when a client's timers bunch up anyway (a stalled
 * machine, a client that ignores the spread).
 */
export interface HandshakeGate {
  /**
   * Runs `admit` now if the budget allows, else once a slot frees (in arrival
   * order). Returns a cancel for a socket that closes while waiting, or null
   * when the queue is full (nothing will run).
   */
  enter(admit: () => void): (() => void) | null;
  /** `reset`: the figures (all but `waiting`) start again from now (a phase, say a restart's herd). */
  stats(reset?: boolean): HandshakeGateStats;
}

export interface HandshakeGateStats {
  /** Most handshakes admitted in any 1,000 ms since the start (or the last reset). */
  peakPerSecond: number;
  /** Waiting now. */
  waiting: number;
  /** Admitted after waiting for a slot. */
  queued: number;
  /** Longest wait for a slot, in ms. */
  longestWaitMs: number;
  /** Turned away because the queue was full. */
  refused: number;
}

export interface HandshakeGateDeps {
  perSecond: number;
  /** The queue holds at most this much waiting (perSecond × maxWaitMs / 1000 hellos). */
  maxWaitMs: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => () => void;
}

const WINDOW_MS = 1000;

export function createHandshakeGate(deps: HandshakeGateDeps): HandshakeGate {
  const now = deps.now ?? Date.now;
  const setTimer =
    deps.setTimer ??
    ((fn: () => void, ms: number) => {
      const t = setTimeout(fn, ms);
      t.unref?.();
      return () => clearTimeout(t);
    });
  const perSecond = Math.max(1, Math.floor(deps.perSecond));
  const maxQueue = Math.max(1, Math.floor((perSecond * deps.maxWaitMs) / WINDOW_MS));
  /** Times of the last `perSecond` admissions, oldest first (a ring). */
  const ring: number[] = [];
  let head = 0;
  const waiting: { admit: () => void; since: number }[] = [];
  let cancelTimer: (() => void) | null = null;
  /** Admissions so far, and how many there were at the last reset (earlier ones do not count towards the peak). */
  let admissions = 0;
  let admissionsAtReset = 0;
  const stats: HandshakeGateStats = { peakPerSecond: 0, waiting: 0, queued: 0, longestWaitMs: 0, refused: 0 };

  /** When the next admission is allowed (≤ now: at once). */
  function nextSlot(): number {
    return ring.length < perSecond ? Number.NEGATIVE_INFINITY : (ring[head] as number) + WINDOW_MS;
  }

  function record(t: number): void {
    if (ring.length < perSecond) ring.push(t);
    else {
      ring[head] = t;
      head = (head + 1) % perSecond;
    }
    admissions++;
    // Admissions within the last second since the reset, counted from the newest back (at most perSecond).
    const counted = Math.min(ring.length, admissions - admissionsAtReset);
    let n = 0;
    for (let k = 0; k < counted; k++) {
      const at = ring[(head + ring.length - 1 - k) % ring.length] as number;
      if (at <= t - WINDOW_MS) break;
      n++;
    }
    if (n > stats.peakPerSecond) stats.peakPerSecond = n;
  }

  function drain(): void {
    cancelTimer = null;
    while (waiting.length > 0) {
      const first = waiting[0] as (typeof waiting)[number];
      const t = now();
      const slot = nextSlot();
      if (slot > t) {
        cancelTimer = setTimer(drain, slot - t);
        break;
      }
      waiting.shift();
      record(t);
      stats.queued++;
      stats.longestWaitMs = Math.max(stats.longestWaitMs, t - first.since);
      first.admit();
    }
    stats.waiting = waiting.length;
  }

  return {
    enter(admit) {
      const t = now();
      if (waiting.length === 0 && nextSlot() <= t) {
        record(t);
        admit();
        return () => {};
      }
      if (waiting.length >= maxQueue) {
        stats.refused++;
        return null;
      }
      const entry = { admit, since: t };
      waiting.push(entry);
      stats.waiting = waiting.length;
      if (!cancelTimer) cancelTimer = setTimer(drain, Math.max(0, nextSlot() - t));
      return () => {
        const i = waiting.indexOf(entry);
        if (i >= 0) waiting.splice(i, 1);
        stats.waiting = waiting.length;
      };
    },
    stats(reset = false) {
      const copy = { ...stats };
      if (reset) {
        Object.assign(stats, { peakPerSecond: 0, queued: 0, longestWaitMs: 0, refused: 0 });
        admissionsAtReset = admissions;
      }
      return copy;
    },
  };
}
