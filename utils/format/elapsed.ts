/**
 * The one format of a running time (a session's age, a draft's or a hand-off's
 * wait): m:ss below an hour, h:mm:ss from an hour on — "0:42", "1:05",
 * "1:02:03". Negative spans count as zero. Measured durations (latencies, a
 * stale spell) use `formatDuration` ("850 ms", "7.6 s", "3 min").
 */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  const ss = String(s).padStart(2, "0");
  if (h > 0) return `${h}:${String(m).padStart(2, "0")}:${ss}`;
  return `${m}:${ss}`;
}

/** Elapsed time since an ISO timestamp; "-:--" when the timestamp does not parse. */
export function elapsedSince(iso: string, now: number): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? "-:--" : formatElapsed(now - t);
}
