#!/usr/bin/env node
/**
 * `npm run bench`: builds the production extension, runs the Chromium
 * benchmark (scripts/bench/main.ts: raw limit, sustained ingest,
 * event-to-paint, frame health, open time, token streaming, resync, heap) and
 * the filter benchmark (scripts/bench-filters.ts) and the alert-rules
 * benchmark (scripts/bench-alerts.ts: the worker's ingest path with 0 vs 50
 * rules, issue 11's target) and the markdown streaming render
 * (scripts/bench-markdown.ts), prints one table and writes bench/results.json.
 * Figures, not pass/fail tests; targets are issue 8's and 11's. Extra
 * arguments go to scripts/bench/main.ts (e.g. `--runs 1 --quick`);
 * `--alerts-only` runs just the alert-rules benchmark.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const tsx = (file, args) =>
  spawnSync(process.execPath, ["--import", "tsx", file, ...args], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
const lastJson = (run, what) => {
  if (run.status !== 0) {
    console.error(`bench: ${what} failed (exit ${run.status})`);
    process.exit(1);
  }
  return JSON.parse(run.stdout.trim().split("\n").at(-1));
};

if (process.argv.includes("--alerts-only")) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench-alerts.ts"], {
    cwd: root,
    stdio: "inherit",
  });
  process.exit(run.status ?? 1);
}

const startedAt = Date.now();
console.error("bench: building the production extension…");
const build = spawnSync("npx", ["wxt", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
if (build.status !== 0) process.exit(build.status ?? 1);

console.error(
  "bench: headless Chromium (driven over bare CDP: no Network domain, so no copy of each frame)…",
);
const chromium = lastJson(
  tsx("scripts/bench/main.ts", ["--json", ...process.argv.slice(2)]),
  "the Chromium benchmark",
);
console.error("bench: filter apply (the panel's filter code in Node)…");
const filters = lastJson(tsx("scripts/bench-filters.ts", ["--json"]), "the filter benchmark");
// --quick: fewer repetitions of the Node benchmarks too (every figure is still there).
const quick = process.argv.includes("--quick");
console.error("bench: alert rules (the worker's ingest path in Node, 0 vs 50 rules)…");
const alerts = lastJson(
  tsx("scripts/bench-alerts.ts", ["--json", ...(quick ? ["--runs", "3"] : [])]),
  "the alert rules benchmark",
);
console.error("bench: markdown streaming render (the panel's renderer in Node, 5,000 tokens)…");
const markdown = lastJson(
  tsx("scripts/bench-markdown.ts", ["--json", ...(quick ? ["--rounds", "1"] : [])]),
  "the markdown benchmark",
);

const f = filters.results;
const ms = (x) => `${x.median_ms.toFixed(2)} ms`;
const filterRow = (figure, r) => ({
  figure,
  median: ms(r),
  spread: `p95 ${r.p95_ms.toFixed(2)} ms`,
  target: "≤ 16 ms",
  verdict: r.median_ms <= 16 ? "meets" : "misses",
});
const kEps = (x) => `${Math.round(x / 1000)}k ev/s`;
const pctOf = (x) => `${x >= 0 ? "−" : "+"}${Math.abs(x).toFixed(1)} %`;
const alertRow = (figure, r) => ({
  figure,
  median: `${kEps(r.fifty_best_eps)} vs ${kEps(r.none_best_eps)} (${pctOf(r.diff_best_pct)})`,
  spread: `median of runs ${pctOf(r.diff_median_pct)}; ${r.fired} firings`,
  target: "≤ 10 % slower",
  verdict: r.diff_best_pct <= 10 ? "meets" : "misses",
});
function markdownRow(r) {
  return {
    figure: "markdown streaming render, 5,000 tokens with tables and code (Node, per frame)",
    median: `${r.p50_ms.toFixed(2)} ms`,
    spread: `p99 ${r.p99_ms.toFixed(2)} ms; ${r.renders} renders; finished message p50 ${r.final_p50_ms.toFixed(2)} ms`,
    target: "≤ 16 ms",
    verdict: r.p99_ms <= 16 ? "meets" : "misses",
  };
}
const rows = [
  ...chromium.rows,
  filterRow("filter apply, 10,000 sessions (combination)", f["apply combination (no keyword)"]),
  filterRow("filter apply, 10,000 sessions (with a new keyword)", f["apply combination + new keyword"]),
  filterRow("keystroke in the keyword field", f["keystroke (typing a keyword)"]),
  alertRow(
    "ingest with 50 alert rules vs none (Node: decode + apply + rules)",
    alerts.results["ingest (decode + apply + rules)"],
  ),
  alertRow(
    "apply with 50 alert rules vs none (Node: pre-decoded)",
    alerts.results["apply + rules (pre-decoded)"],
  ),
  markdownRow(markdown.results["per frame (83 tokens), finished blocks kept"]),
];
const cols = (r) => [r.figure, r.median, r.spread, r.target, r.verdict];
const all = [["figure", "median", "spread", "target", "verdict"], ...rows.map(cols)];
const w = all[0].map((_, i) => Math.max(...all.map((c) => String(c[i]).length)));
const line = (c) => c.map((x, i) => String(x).padEnd(w[i])).join(" | ");
console.log(
  `Live Conversations benchmark — ${chromium.config.runs} run(s), ${chromium.config.sessions} sessions, ${cpus().length} cores, node ${process.version}, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
console.log(line(all[0]));
console.log(w.map((n) => "-".repeat(n)).join("-|-"));
for (const c of all.slice(1)) console.log(line(c));
const wallSeconds = Math.round((Date.now() - startedAt) / 1000);
console.log(`\ntook ${Math.floor(wallSeconds / 60)} min ${wallSeconds % 60} s`);
mkdirSync(resolve(root, "bench"), { recursive: true });
writeFileSync(
  resolve(root, "bench/results.json"),
  `${JSON.stringify({ at: new Date().toISOString(), wall_seconds: wallSeconds, load_average: loadavg(), config: chromium.config, rows, runs: chromium.runs, filters, alerts, markdown }, null, 2)}\n`,
);
console.log("\nwrote bench/results.json");
