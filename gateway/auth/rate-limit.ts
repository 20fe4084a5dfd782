/** Per-key token bucket: `perMinute` sustained with bursts of `burst`. */
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the ms to wait. */
  take(key: string): number;
  /** Buckets kept now (keys whose bucket is not full; at most `MAX_BUCKETS` beyond that). */
  size(): number;
}

/** Beyond this many keys, buckets that have refilled (as if never used) are dropped. */
export const MAX_BUCKETS = 10_000;

export function createRateLimiter(
  perMinute: number,
  burst: number,
  now: () => number = Date.now,
): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  const cap = Math.max(1, burst);
  /** A full bucket is the same as none: drop those, so one key per user, session or IP never piles up. */
  function prune(t: number): void {
    for (const [k, b] of buckets) if (b.tokens + (t - b.at) * perMs >= cap) buckets.delete(k);
  }
  return {
    size: () => buckets.size,
    take(key) {
      const t = now();
      const b = buckets.get(key) ?? { tokens: cap, at: t };
      b.tokens = Math.min(cap, b.tokens + (t - b.at) * perMs);
      b.at = t;
      buckets.set(key, b);
      if (buckets.size > MAX_BUCKETS) prune(t);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - b.tokens) / perMs);
    },
  };
}
