/** Small statistics for the benchmark's figures. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;

/** Median and spread (min–max) of one figure over the runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(runs: readonly number[]): Spread {
  const ok = runs.filter((x) => Number.isFinite(x));
  return {
    median: median(ok),
    min: ok.length ? Math.min(...ok) : Number.NaN,
    max: ok.length ? Math.max(...ok) : Number.NaN,
    runs: [...runs],
  };
}

export interface FrameHealth {
  frames: number;
  avgMs: number;
  p99Ms: number;
  /** Frames the 60 Hz clock would have shown but did not (interval / 16.7 ms − 1, summed). */
  dropped: number;
  droppedPct: number;
  longTasks: number;
  longestTaskMs: number;
}

export function frameHealth(intervals: readonly number[], longTasks: readonly number[]): FrameHealth {
  const period = 1000 / 60;
  let dropped = 0;
  let total = 0;
  for (const d of intervals) {
    total += d;
    dropped += Math.max(0, Math.round(d / period) - 1);
  }
  const expected = Math.max(1, Math.round(total / period));
  return {
    frames: intervals.length,
    avgMs: mean(intervals),
    p99Ms: percentile(intervals, 99),
    dropped,
    droppedPct: (dropped / expected) * 100,
    longTasks: longTasks.length,
    longestTaskMs: longTasks.length ? Math.max(...longTasks) : 0,
  };
}
