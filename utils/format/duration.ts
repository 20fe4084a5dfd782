import { formatElapsed } from "./elapsed";

/**
 * A measured duration (a latency, a stale spell): "850 ms", "1.2 s", "42 s"
 * under a minute; from a minute on the same m:ss / h:mm:ss as every running
 * time (`formatElapsed`): "3:12", "1:02:03". One format for minutes and hours
 * everywhere.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return formatElapsed(ms);
}

/** A ratio 0..1 as a percentage with at most one decimal: 0.023 → "2.3%". */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return "—";
  const pct = ratio * 100;
  return `${pct >= 10 ? Math.round(pct) : Number(pct.toFixed(1))}%`;
}
