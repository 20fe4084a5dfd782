/**
 * The benchmark's table: one row per figure of issue 8, median and spread
 * (min–max) over the runs, the target, and whether the median meets it.
 */
import type { RunFigures } from "./main.ts";
import { spread } from "./stats.ts";

export interface Row {
  figure: string;
  median: string;
  spread: string;
  target: string;
  verdict: "meets" | "misses" | "info";
}

/** A figure's target in words, and whether a median meets it (`null`: shown for information only). */
interface Target {
  text: string;
  ok: ((m: number) => boolean) | null;
}
const atMost = (limit: number, text: string): Target => ({ text, ok: (m) => m <= limit });
const atLeast = (limit: number, text: string): Target => ({ text, ok: (m) => m >= limit });
const exactly = (value: number, text: string): Target => ({ text, ok: (m) => m === value });
const info = (text: string): Target => ({ text, ok: null });

/** One row of the table: what it measures, how to read it from a run, its unit and target, its decimals. */
interface Figure {
  figure: string;
  pick: (r: RunFigures) => number;
  unit: string;
  /** Without one: "—", for information. */
  target?: Target;
  digits?: number;
}

function row(runs: RunFigures[], { figure, pick, unit, target = info("—"), digits = 1 }: Figure): Row {
  const s = spread(runs.map(pick));
  const f = (x: number) => (Number.isFinite(x) ? `${x.toFixed(digits)}${unit}` : "n/a");
  const { ok } = target;
  return {
    figure,
    median: f(s.median),
    spread: runs.length > 1 ? `${f(s.min)} – ${f(s.max)}` : "1 run",
    target: target.text,
    verdict: ok === null ? "info" : Number.isFinite(s.median) && ok(s.median) ? "meets" : "misses",
  };
}

const FIGURES: readonly Figure[] = [
  {
    figure: "raw limit: bare page, JSON.parse only, one event per frame",
    pick: (r) => r.rawLimit,
    unit: " ev/s",
    target: info("(reference)"),
    digits: 0,
  },
  {
    figure: "sustained ingest, worker + panel (30 s hold, no growing backlog)",
    pick: (r) => r.sustained,
    unit: " ev/s",
    target: atLeast(20_000, "≥ 20,000 ev/s"),
    digits: 0,
  },
  {
    figure: "sustained ingest as a share of the raw limit",
    pick: (r) => (r.sustained / r.rawLimit) * 100,
    unit: " %",
    target: atLeast(60, "≥ 60 %"),
    digits: 0,
  },
  {
    figure: "event-to-paint p50 at 1,000 ev/s, 10,000 sessions",
    pick: (r) => r.paint.p50,
    unit: " ms",
    target: atMost(20, "≤ 20 ms"),
  },
  { figure: "event-to-paint p95", pick: (r) => r.paint.p95, unit: " ms" },
  { figure: "event-to-paint p99", pick: (r) => r.paint.p99, unit: " ms", target: atMost(40, "≤ 40 ms") },
  { figure: "frames while scrolling at 1,000 ev/s: average frame", pick: (r) => r.frames.avgMs, unit: " ms" },
  { figure: "frames while scrolling: p99 frame", pick: (r) => r.frames.p99Ms, unit: " ms" },
  {
    figure: "frames while scrolling: dropped",
    pick: (r) => r.frames.droppedPct,
    unit: " %",
    target: atMost(1, "≤ 1 %"),
    digits: 2,
  },
  {
    figure: "frames while scrolling: longest task",
    pick: (r) => r.frames.longestTaskMs,
    unit: " ms",
    target: atMost(50, "no task > 50 ms"),
    digits: 0,
  },
  {
    figure: "activity feed open at 1,000 ev/s: dropped frames",
    pick: (r) => r.activity.droppedPct,
    unit: " %",
    target: atMost(1, "≤ 1 %"),
    digits: 2,
  },
  {
    figure: "activity feed: longest task",
    pick: (r) => r.activity.longestTaskMs,
    unit: " ms",
    target: atMost(50, "no task > 50 ms"),
    digits: 0,
  },
  {
    figure: "activity feed: most rows in the DOM (virtualised)",
    pick: (r) => r.activity.maxRows,
    unit: "",
    digits: 0,
  },
  {
    figure: "open → first list paint, 10,000 sessions",
    pick: (r) => r.openMs,
    unit: " ms",
    target: atMost(150, "≤ 150 ms"),
    digits: 0,
  },
  {
    figure: "token streaming 5,000 tokens/s: dropped frames",
    pick: (r) => r.tokens.dropped,
    unit: "",
    target: exactly(0, "0"),
    digits: 0,
  },
  { figure: "token streaming: average / p99 frame", pick: (r) => r.tokens.avgMs, unit: " ms avg" },
  {
    figure: "token streaming: token-to-paint p99",
    pick: (r) => r.tokens.tokenP99,
    unit: " ms",
    target: atMost(35, "≤ 35 ms"),
  },
  {
    figure: "token hop p99: gateway queue (emit → frame written)",
    pick: (r) => r.tokens.hops.gatewayQueue.p99,
    unit: " ms",
  },
  {
    figure: "token hop p99: gateway → worker applied",
    pick: (r) => r.tokens.hops.gatewayToWorker.p99,
    unit: " ms",
  },
  {
    figure: "token hop p99: worker → panel received the patch",
    pick: (r) => r.tokens.hops.workerToPanel.p99,
    unit: " ms",
  },
  { figure: "token hop p99: panel → painted", pick: (r) => r.tokens.hops.panelToPaint.p99, unit: " ms" },
  {
    figure: "resync after a drop, replay path",
    pick: (r) => r.resyncReplayMs,
    unit: " ms",
    target: atMost(1000, "≤ 1,000 ms"),
    digits: 0,
  },
  {
    figure: "resync after a drop, snapshot path",
    pick: (r) => r.resyncSnapshotMs,
    unit: " ms",
    target: atMost(1000, "≤ 1,000 ms"),
    digits: 0,
  },
  {
    figure: "worker JS heap after ≥ 5 min of load",
    pick: (r) => r.heapWorkerMb,
    unit: " MB",
    target: atMost(40, "≤ 40 MB"),
  },
  {
    figure: "panel JS heap after ≥ 5 min of load",
    pick: (r) => r.heapPanelMb,
    unit: " MB",
    target: atMost(30, "≤ 30 MB"),
  },
];

export function tableRows(runs: RunFigures[], sessions: number): Row[] {
  const n = sessions.toLocaleString("en-US");
  const rows = FIGURES.map((f) => row(runs, f));
  for (const r of rows) r.figure = r.figure.replace("10,000 sessions", `${n} sessions`);
  return rows;
}

export function formatTable(rows: Row[]): string {
  const head: Row = {
    figure: "figure",
    median: "median",
    spread: "spread (min – max)",
    target: "target",
    verdict: "info",
  };
  const cols = (r: Row) => [r.figure, r.median, r.spread, r.target, r === head ? "verdict" : r.verdict];
  const all = [head, ...rows].map(cols);
  const w = all[0]?.map((_, i) => Math.max(...all.map((c) => (c[i] ?? "").length))) ?? [];
  const line = (c: string[]) => c.map((x, i) => x.padEnd(w[i] ?? 0)).join(" | ");
  return [line(all[0] ?? []), w.map((n) => "-".repeat(n)).join("-|-"), ...all.slice(1).map(line)].join("\n");
}
