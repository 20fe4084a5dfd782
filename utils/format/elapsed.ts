/** Elapsed time as mm:ss below an hour, h:mm:ss from an hour on. Negative spans count as zero. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  const ss = String(s).padStart(2, "0");
  if (h > 0) return `${h}:${String(m).padStart(2, "0")}:${ss}`;
  return `${String(m).padStart(2, "0")}:${ss}`;
}

/** Elapsed time since an ISO timestamp; "--:--" when the timestamp does not parse. */
export function elapsedSince(iso: string, now: number): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? "--:--" : formatElapsed(now - t);
}
