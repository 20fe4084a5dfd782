/**
 * Full-jitter reconnect backoff (protocol §6): each delay is drawn uniformly
 * below a ceiling that doubles per failed attempt, never under `minMs` and
 * never over `maxMs` (0.5 s and 20 s by default). `reset()` after a success.
 */
export interface BackoffOptions {
  minMs?: number;
  maxMs?: number;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
}

export interface Backoff {
  /** The delay before the next attempt; counts the attempt. */
  next(): number;
  reset(): void;
  readonly attempt: number;
}

export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 20_000;

export function fullJitterDelay(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** (attempt + 1));
  return Math.min(maxMs, Math.max(minMs, Math.round(random() * ceiling)));
}

export function createBackoff(opts: BackoffOptions = {}): Backoff {
  const minMs = opts.minMs ?? BACKOFF_MIN_MS;
  const maxMs = Math.max(minMs, opts.maxMs ?? BACKOFF_MAX_MS);
  const random = opts.random ?? Math.random;
  let attempt = 0;
  return {
    next() {
      const delay = fullJitterDelay(attempt, minMs, maxMs, random);
      attempt++;
      return delay;
    },
    reset() {
      attempt = 0;
    },
    get attempt() {
      return attempt;
    },
  };
}
