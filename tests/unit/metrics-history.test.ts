/**
 * The metrics history behind the sparklines: the bounded sample ring (one
 * sample per bucket, the last hour, restored within its window) and what a
 * sparkline draws and says.
 */
import { describe, expect, it } from "vitest";
import { formatDuration, formatPercent } from "../../utils/format";
import {
  appendSample,
  createSampleRing,
  type MetricsSample,
  sampleOf,
  trimSamples,
} from "../../utils/metrics-history/sample-ring";
import { downsample, sparklinePath, sparklineSummary, trendOf } from "../../utils/metrics-history/sparkline";
import type { Metrics } from "../../utils/protocol";

const T0 = Date.parse("2026-06-24T16:00:00.000Z");
const metrics = (active: number, extra: Partial<Metrics> = {}): Metrics => ({
  active_sessions: active,
  started_last_hour: 0,
  avg_response_ms: 800,
  intervention_rate: 0.02,
  ...extra,
});
const s = (t: number, active: number): MetricsSample => ({ t, active, avg_ms: 800, rate: 0.02 });

describe("sample ring", () => {
  it("keeps one sample per bucket: a later one in the same bucket replaces it", () => {
    let now = T0;
    const ring = createSampleRing({ spacingMs: 5_000, now: () => now });
    ring.add(metrics(10));
    now += 2_000;
    ring.add(metrics(11));
    expect(ring.samples()).toEqual([s(T0 + 2_000, 11)]);
    now += 3_000; // next bucket
    ring.add(metrics(12));
    expect(ring.samples().map((x) => x.active)).toEqual([11, 12]);
    expect(ring.latest()).toEqual(s(T0 + 5_000, 12));
  });

  it("is bounded by its window: an hour of 5 s frames is at most 721 samples, the oldest drop out", () => {
    let now = T0;
    const ring = createSampleRing({ now: () => now });
    for (let i = 0; i < 2_000; i++) {
      ring.add(metrics(i));
      now += 5_000;
    }
    const all = ring.samples();
    expect(all.length).toBeLessThanOrEqual(721);
    expect(all.length).toBeGreaterThanOrEqual(720);
    const newest = all[all.length - 1] as MetricsSample;
    expect(newest.active).toBe(1_999);
    expect(newest.t - (all[0] as MetricsSample).t).toBeLessThanOrEqual(3_600_000);
  });

  it("ignores a sample older than the newest, and does not change the array it is given", () => {
    const before = [s(T0, 1), s(T0 + 10_000, 2)];
    const copy = structuredClone(before);
    expect(appendSample(before, s(T0 + 5_000, 9))).toEqual(copy);
    appendSample(before, s(T0 + 20_000, 3));
    expect(before).toEqual(copy);
  });

  it("records cost only when the gateway reports it", () => {
    expect(sampleOf(metrics(1), T0)).not.toHaveProperty("cost");
    expect(sampleOf(metrics(1, { cost_per_hour_usd: 1.5 }), T0).cost).toBe(1.5);
  });

  it("restores only what is still within the window, in order, one per bucket", () => {
    const now = T0 + 3_600_000 + 60_000;
    const ring = createSampleRing({ now: () => now });
    ring.restore([s(T0 + 3_000_000, 3), s(T0, 1), s(T0 + 120_000, 2), s(T0 + 120_001, 4), s(now + 1, 9)]);
    expect(ring.samples().map((x) => x.active)).toEqual([4, 3]);
    expect(trimSamples([], now)).toEqual([]);
  });
});

describe("sparkline", () => {
  it("downsamples to at most one value per column, by mean", () => {
    expect(downsample([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(downsample([1, 3, 5, 7], 2)).toEqual([2, 6]);
    expect(
      downsample(
        Array.from({ length: 721 }, (_, i) => i),
        48,
      ),
    ).toHaveLength(48);
  });

  it("draws the values across the box, the highest at the top, the lowest at the bottom", () => {
    const g = sparklinePath([0, 10, 5], 48, 14, 1);
    expect(g.path).toBe("M0,13L24,1L48,7");
    expect(g.end).toEqual({ x: 48, y: 7 });
  });

  it("draws a flat series through the middle, one sample as a short stroke, nothing without values", () => {
    expect(sparklinePath([4, 4], 48, 14).path).toBe("M0,7L48,7");
    expect(sparklinePath([4], 48, 14).path).toBe("M0,7L48,7");
    expect(sparklinePath([], 48, 14)).toEqual({ path: "", end: null });
    expect(sparklinePath([Number.NaN], 48, 14)).toEqual({ path: "", end: null });
  });

  it("says the first and last figure and the trend as shown", () => {
    expect(sparklineSummary("Active sessions", [12, 15, 18], String)).toBe(
      "Active sessions, last hour: 12 → 18, rising",
    );
    expect(sparklineSummary("Average reply time", [2_400, 900], formatDuration)).toBe(
      "Average reply time, last hour: 2.4 s → 900 ms, falling",
    );
    // 2.01 % and 2.04 % read the same: steady, not "rising" by noise
    expect(trendOf([0.0201, 0.0204], formatPercent)).toBe("steady");
    expect(sparklineSummary("Intervention rate", [0.02], formatPercent)).toBe(
      "Intervention rate, last hour: 2% so far",
    );
    expect(sparklineSummary("Cost per hour", [], String)).toBe("Cost per hour, last hour: no data yet");
  });
});
