/** Per-key token bucket: `perMinute` sustained with bursts of `burst`. */
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the ms to wait. */
  take(key: string): number;
}

export function createRateLimiter(
  perMinute: number,
  burst: number,
  now: () => number = Date.now,
): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  const cap = Math.max(1, burst);
  return {
    take(key) {
      const t = now();
      const b = buckets.get(key) ?? { tokens: cap, at: t };
      b.tokens = Math.min(cap, b.tokens + (t - b.at) * perMs);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - b.tokens) / perMs);
    },
  };
}
