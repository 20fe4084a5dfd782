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

type Pick = (r: RunFigures) => number;

function row(
  runs: RunFigures[],
  figure: string,
  pick: Pick,
  unit: string,
  target: string,
  ok: ((m: number) => boolean) | null,
  digits = 1,
): Row {
  const s = spread(runs.map(pick));
  const f = (x: number) => (Number.isFinite(x) ? `${x.toFixed(digits)}${unit}` : "n/a");
  return {
    figure,
    median: f(s.median),
    spread: runs.length > 1 ? `${f(s.min)} – ${f(s.max)}` : "1 run",
    target,
    verdict: ok === null ? "info" : Number.isFinite(s.median) && ok(s.median) ? "meets" : "misses",
  };
}

export function tableRows(runs: RunFigures[], sessions: number): Row[] {
  const n = sessions.toLocaleString("en-US");
  const rows = [
    row(
      runs,
      "raw limit: bare page, JSON.parse only, one event per frame",
      (r) => r.rawLimit,
      " ev/s",
      "(reference)",
      null,
      0,
    ),
    row(
      runs,
      "sustained ingest, worker + panel (30 s hold, no growing backlog)",
      (r) => r.sustained,
      " ev/s",
      "≥ 20,000 ev/s",
      (m) => m >= 20_000,
      0,
    ),
    row(
      runs,
      "sustained ingest as a share of the raw limit",
      (r) => (r.sustained / r.rawLimit) * 100,
      " %",
      "≥ 60 %",
      (m) => m >= 60,
      0,
    ),
    row(
      runs,
      "event-to-paint p50 at 1,000 ev/s, 10,000 sessions",
      (r) => r.paint.p50,
      " ms",
      "≤ 20 ms",
      (m) => m <= 20,
    ),
    row(runs, "event-to-paint p95", (r) => r.paint.p95, " ms", "—", null),
    row(
      runs,
      "event-to-paint p99",
      (r) => r.paint.p99,
      " ms",
      "≤ 40 ms",
      (m) => m <= 40,
    ),
    row(runs, "frames while scrolling at 1,000 ev/s: average frame", (r) => r.frames.avgMs, " ms", "—", null),
    row(runs, "frames while scrolling: p99 frame", (r) => r.frames.p99Ms, " ms", "—", null),
    row(
      runs,
      "frames while scrolling: dropped",
      (r) => r.frames.droppedPct,
      " %",
      "≤ 1 %",
      (m) => m <= 1,
      2,
    ),
    row(
      runs,
      "frames while scrolling: longest task",
      (r) => r.frames.longestTaskMs,
      " ms",
      "no task > 50 ms",
      (m) => m <= 50,
      0,
    ),
    row(
      runs,
      "activity feed open at 1,000 ev/s: dropped frames",
      (r) => r.activity.droppedPct,
      " %",
      "≤ 1 %",
      (m) => m <= 1,
      2,
    ),
    row(
      runs,
      "activity feed: longest task",
      (r) => r.activity.longestTaskMs,
      " ms",
      "no task > 50 ms",
      (m) => m <= 50,
      0,
    ),
    row(
      runs,
      "activity feed: most rows in the DOM (virtualised)",
      (r) => r.activity.maxRows,
      "",
      "—",
      null,
      0,
    ),
    row(
      runs,
      "open → first list paint, 10,000 sessions",
      (r) => r.openMs,
      " ms",
      "≤ 150 ms",
      (m) => m <= 150,
      0,
    ),
    row(
      runs,
      "token streaming 5,000 tokens/s: dropped frames",
      (r) => r.tokens.dropped,
      "",
      "0",
      (m) => m === 0,
      0,
    ),
    row(runs, "token streaming: average / p99 frame", (r) => r.tokens.avgMs, " ms avg", "—", null),
    row(
      runs,
      "token streaming: token-to-paint p99",
      (r) => r.tokens.tokenP99,
      " ms",
      "≤ 35 ms",
      (m) => m <= 35,
    ),
    row(
      runs,
      "resync after a drop, replay path",
      (r) => r.resyncReplayMs,
      " ms",
      "≤ 1,000 ms",
      (m) => m <= 1000,
      0,
    ),
    row(
      runs,
      "resync after a drop, snapshot path",
      (r) => r.resyncSnapshotMs,
      " ms",
      "≤ 1,000 ms",
      (m) => m <= 1000,
      0,
    ),
    row(
      runs,
      "worker JS heap after ≥ 5 min of load",
      (r) => r.heapWorkerMb,
      " MB",
      "≤ 40 MB",
      (m) => m <= 40,
    ),
    row(
      runs,
      "panel JS heap after ≥ 5 min of load",
      (r) => r.heapPanelMb,
      " MB",
      "≤ 30 MB",
      (m) => m <= 30,
    ),
  ];
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
