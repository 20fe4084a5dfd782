/**
 * The metrics history behind the metrics bar's sparklines: a bounded ring of
 * samples, one per `spacingMs` bucket (a later sample in the same bucket
 * replaces the earlier one, so the newest point is always the latest figure),
 * covering the last `windowMs`. The worker keeps one (fed by every `metrics`
 * frame and snapshot, persisted with its state); the panel keeps a copy built
 * from the worker's `init` and each patch's `metricsSample` with the same rule.
 */
import * as v from "valibot";
import type { Metrics } from "../protocol";

export const HISTORY_WINDOW_MS = 3_600_000;
/** The gateway's default metrics interval: one point per frame, at most 721 points an hour. */
export const SAMPLE_SPACING_MS = 5_000;

const Figure = v.pipe(v.number(), v.minValue(0));

/** One point of the history: when (epoch ms) and the four figures the sparklines draw. */
export const MetricsSampleSchema = v.object({
  t: v.pipe(v.number(), v.integer(), v.minValue(0)),
  active: Figure,
  avg_ms: Figure,
  rate: Figure,
  /** Absent when the gateway does not report cost (no AI insight). */
  cost: v.optional(Figure),
});
export type MetricsSample = v.InferOutput<typeof MetricsSampleSchema>;

export interface RingOptions {
  windowMs?: number;
  spacingMs?: number;
}

export function sampleOf(m: Metrics, t: number): MetricsSample {
  const s: MetricsSample = {
    t: Math.max(0, Math.round(t)),
    active: m.active_sessions,
    avg_ms: m.avg_response_ms,
    rate: m.intervention_rate,
  };
  if (m.cost_per_hour_usd !== undefined) s.cost = m.cost_per_hour_usd;
  return s;
}

/**
 * `samples` with `s` added: it replaces the last sample of its bucket, or is appended; samples older than
 * the window (from `s`) fall out. A sample older than the newest is ignored (clocks do not run back).
 * Returns a new array; `samples` is not changed.
 */
export function appendSample(
  samples: readonly MetricsSample[],
  s: MetricsSample,
  opts: RingOptions = {},
): MetricsSample[] {
  const windowMs = opts.windowMs ?? HISTORY_WINDOW_MS;
  const spacingMs = opts.spacingMs ?? SAMPLE_SPACING_MS;
  const last = samples[samples.length - 1];
  if (last && s.t < last.t) return samples.slice();
  const sameBucket = last !== undefined && Math.floor(last.t / spacingMs) === Math.floor(s.t / spacingMs);
  const from = firstInWindow(samples, s.t - windowMs);
  const kept = samples.slice(from, sameBucket ? samples.length - 1 : samples.length);
  kept.push(s);
  return kept;
}

/** Only the samples within the window ending at `now`, in time order, one per bucket (for restoring). */
export function trimSamples(
  samples: readonly MetricsSample[],
  now: number,
  opts: RingOptions = {},
): MetricsSample[] {
  let out: MetricsSample[] = [];
  for (const s of [...samples].sort((a, b) => a.t - b.t))
    if (s.t <= now && s.t >= now - (opts.windowMs ?? HISTORY_WINDOW_MS)) out = appendSample(out, s, opts);
  return out;
}

function firstInWindow(samples: readonly MetricsSample[], oldest: number): number {
  let i = 0;
  while (i < samples.length && (samples[i] as MetricsSample).t < oldest) i++;
  return i;
}

export interface SampleRing {
  /** Records the figures as of now; returns the sample recorded. */
  add(m: Metrics): MetricsSample;
  samples(): MetricsSample[];
  /** The newest sample, or null. */
  latest(): MetricsSample | null;
  /** Puts back persisted samples (those still within the window). */
  restore(samples: readonly MetricsSample[]): void;
}

export function createSampleRing(opts: RingOptions & { now?: () => number } = {}): SampleRing {
  const now = opts.now ?? Date.now;
  const windowMs = opts.windowMs ?? HISTORY_WINDOW_MS;
  const spacingMs = opts.spacingMs ?? SAMPLE_SPACING_MS;
  let samples: MetricsSample[] = [];
  return {
    // In place (the worker adds one every few seconds, and copies only when it sends): the rule of `appendSample`.
    add(m) {
      const s = sampleOf(m, now());
      const last = samples[samples.length - 1];
      if (last && s.t < last.t) return last;
      if (last && Math.floor(last.t / spacingMs) === Math.floor(s.t / spacingMs)) samples.pop();
      samples.push(s);
      const drop = firstInWindow(samples, s.t - windowMs);
      if (drop > 0) samples.splice(0, drop);
      return s;
    },
    samples: () => samples.slice(),
    latest: () => samples[samples.length - 1] ?? null,
    restore(saved) {
      samples = trimSamples(saved, now(), opts);
    },
  };
}
