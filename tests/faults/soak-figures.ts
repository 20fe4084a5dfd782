/**
 * The soak's samples and its table (tests/faults/soak.test.ts): gateway RSS,
 * the extension's JS heaps after a full GC, the gateway's descriptors and
 * event-loop lag, and the rows printed at the end and recorded as figures.
 */
import { type Bench, heapMb, type Page } from "../../scripts/bench/browser.ts";
import { panelHeapMb } from "../../scripts/bench/phases.ts";
import { pct } from "./kit";
import type { GatewayChild } from "./soak-kit";

export const MAX_GROWTH = 0.1;

export interface Sample {
  atMin: number;
  rssMb: number;
  /** The gateway's JS heap after a full GC: what it holds, without the allocator's slack that RSS includes. */
  gatewayHeapMb: number;
  /**
   * JS heaps after a full GC (CDP HeapProfiler.collectGarbage, Runtime.getHeapUsage): median of 5 readings.
   * The panel's is read with the bench probe's recordings dropped first (`panelHeapMb`).
   */
  workerMb: number;
  panelMb: number;
  fds: number;
  /** Event-loop delay p99 of the gateway since the previous sample (or the last settled restart). */
  lagP99Ms: number;
  /** The gateway's longest event-loop block in the same interval (a single stall hides in a p99). */
  lagMaxMs: number;
  /** Gateway restarts before this sample: samples of one life share it. */
  life: number;
}

const mb = (b: number) => b / 1024 / 1024;
export const growth = (a: number, b: number): number => b / a - 1;
const signed = (g: number) => `${g >= 0 ? "+" : ""}${pct(g)}`;

const READINGS = 5;
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
/**
 * The median of a few readings 300 ms apart: at 1,000 events/s a single
 * reading (even right after a full GC) swings by tens of percent.
 */
async function steady(read: () => Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < READINGS; i++) {
    if (i) await new Promise((r) => setTimeout(r, 300));
    xs.push(await read());
  }
  return median(xs);
}

export async function sample(
  g: GatewayChild,
  b: Bench,
  panel: Page,
  t0: number,
  life: number,
): Promise<Sample> {
  const m = await g.ask<{ type: string; heapUsed: number; lagP99Ms: number; lagMaxMs: number }>(
    { type: "mem" },
    "mem",
  );
  return {
    atMin: (Date.now() - t0) / 60_000,
    gatewayHeapMb: mb(m.heapUsed),
    rssMb: await steady(async () =>
      mb((await g.ask<{ type: string; rss: number }>({ type: "rss" }, "rss")).rss),
    ),
    workerMb: await steady(() => heapMb(b.worker)),
    panelMb: await steady(() => panelHeapMb(panel)),
    fds: g.fds(),
    lagP99Ms: m.lagP99Ms,
    lagMaxMs: m.lagMaxMs,
    life,
  };
}

export interface Restart {
  how: "clean" | "kill";
  stopMs: number;
  startMs: number;
  workerBackMs: number;
  runtimeBackMs: number;
}

export interface SoakOutcome {
  lost: number;
  duplicated: number;
  reordered: number;
  applied: number;
  snapshots: number;
  tapOk: boolean;
  equal: boolean;
  /** From the end of the warm-up (first) to the end (last). */
  samples: Sample[];
  runMin: number;
  restarts: Restart[];
  runtime: { drops: number; lost: number; replies: number };
}

export type Row = [what: string, value: string, target: string, ok: boolean];

function growthRow(what: string, a: number, z: number, digits: number): Row {
  const g = growth(a, z);
  return [what, `${a.toFixed(digits)} → ${z.toFixed(digits)} MB (${signed(g)})`, "≤ +10 %", g <= MAX_GROWTH];
}

const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / Math.max(1, xs.length);
function meanOf(xs: Sample[]): Sample {
  const m = (k: keyof Sample) => mean(xs.map((x) => x[k]));
  return {
    atMin: m("atMin"),
    rssMb: m("rssMb"),
    gatewayHeapMb: m("gatewayHeapMb"),
    workerMb: m("workerMb"),
    panelMb: m("panelMb"),
    fds: m("fds"),
    lagP99Ms: m("lagP99Ms"),
    lagMaxMs: m("lagMaxMs"),
    life: m("life"),
  };
}

/**
 * "At 5 and at 30 minutes", robustly: the mean of the samples from the end of
 * the warm-up (1/6 of the run) to the first restart (1/3), and the mean of the
 * last sixth's. Single readings swing by tens of percent under load.
 */
export function windows(samples: Sample[], runMin: number): [Sample, Sample] {
  const first = samples.filter((s) => s.atMin < runMin / 3);
  const last = samples.filter((s) => s.atMin >= (runMin * 5) / 6);
  return [meanOf(first.length ? first : samples.slice(0, 1)), meanOf(last.length ? last : samples.slice(-1))];
}

/** The first and last sample of each gateway life, in order. */
export function lives(samples: Sample[]): [Sample, Sample][] {
  const out: [Sample, Sample][] = [];
  for (const s of samples) {
    const last = out[out.length - 1];
    if (last && last[0].life === s.life) last[1] = s;
    else out.push([s, s]);
  }
  return out;
}

export function soakRows(o: SoakOutcome): Row[] {
  const [a, z] = windows(o.samples, o.runMin);
  const end = o.samples[o.samples.length - 1] as Sample;
  const lags = o.samples.map((s) => s.lagP99Ms);
  const blocks = o.samples.map((s) => s.lagMaxMs);
  return [
    [
      "events lost / duplicated / reordered (worker)",
      `${o.lost} / ${o.duplicated} / ${o.reordered} (${o.applied} applied, ${o.snapshots} snapshots)`,
      "0 / 0 / 0",
      o.lost === 0 && o.duplicated === 0 && o.reordered === 0 && o.tapOk,
    ],
    ["worker's sessions = gateway's snapshot at the end", o.equal ? "equal" : "differ", "equal", o.equal],
    growthRow(
      `gateway RSS, mean over ${(o.runMin / 6).toFixed(1)}–${(o.runMin / 3).toFixed(1)} min → over the last ${(o.runMin / 6).toFixed(1)} min`,
      a.rssMb,
      z.rssMb,
      0,
    ),
    [
      "gateway RSS within each life (first → last sample; a restart starts it over)",
      lives(o.samples)
        .map((l) => `${l[0].rssMb.toFixed(0)} → ${l[1].rssMb.toFixed(0)} MB`)
        .join("; "),
      "reported",
      true,
    ],
    growthRow("gateway JS heap after a full GC, same windows", a.gatewayHeapMb, z.gatewayHeapMb, 0),
    growthRow(`service worker JS heap, same windows`, a.workerMb, z.workerMb, 1),
    growthRow(`panel JS heap, same windows`, a.panelMb, z.panelMb, 1),
    [
      "gateway open file descriptors",
      `${(o.samples[0] as Sample).fds} → ${end.fds} (max ${Math.max(...o.samples.map((s) => s.fds))})`,
      "flat",
      true,
    ],
    [
      "gateway event-loop lag p99 (per interval between samples)",
      `median ${median(lags).toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms, last ${end.lagP99Ms.toFixed(0)} ms`,
      "reported",
      true,
    ],
    [
      "gateway longest event-loop block (per interval between samples)",
      `median ${median(blocks).toFixed(0)} ms, max ${Math.max(...blocks).toFixed(0)} ms, last ${end.lagMaxMs.toFixed(0)} ms`,
      "reported",
      true,
    ],
    [
      "gateway restarts: stop / start / worker live / runtime live",
      o.restarts
        .map((r) => `${r.how}: ${r.stopMs} / ${r.startMs} / +${r.workerBackMs} / +${r.runtimeBackMs} ms`)
        .join("; "),
      "2, no loss",
      o.restarts.length === 2,
    ],
    [
      "agent runtime socket drops / sessions lost / replies streamed",
      `${o.runtime.drops} / ${o.runtime.lost} / ${o.runtime.replies}`,
      "≥ 1 / 0",
      o.runtime.drops >= 1 && o.runtime.lost === 0,
    ],
  ];
}

export function printSoak(head: string, rows: Row[], samples: Sample[]): void {
  const series = samples.map(
    (s) =>
      `| ${s.atMin.toFixed(1)} | ${s.rssMb.toFixed(0)} | ${s.gatewayHeapMb.toFixed(0)} | ${s.workerMb.toFixed(1)} | ${s.panelMb.toFixed(1)} | ${s.fds} | ${s.lagP99Ms.toFixed(1)} | ${s.lagMaxMs.toFixed(0)} |`,
  );
  console.log(
    [
      `\n[faults/soak] ${head}`,
      "| what | value | target | ok |",
      "|---|---|---|---|",
      ...rows.map((r) => `| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3] ? "yes" : "NO"} |`),
      "",
      "| min | gateway RSS MB | gateway heap MB | worker heap MB | panel heap MB | gateway fds | lag p99 ms | longest block ms |",
      "|---|---|---|---|---|---|---|---|",
      ...series,
    ].join("\n"),
  );
}
