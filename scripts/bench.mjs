#!/usr/bin/env node
/**
 * `npm run bench`: prints the performance figures we measure today as a table
 * and writes bench/results.json. Targets are issue 8's; figures are medians of
 * the runs each benchmark makes. Nothing here is a pass/fail test.
 *
 * Measured now: filter apply and keyword index at 10,000 sessions (Node, the
 * panel's real filter code). Not yet measured (issue 8, open): raw limit,
 * sustained ingest, event-to-paint, frame health, open time, token streaming,
 * resync and memory in headless Chromium — the table says so instead of
 * printing a number.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench-filters.ts", "--json"], {
  cwd: root,
  encoding: "utf8",
});
if (run.status !== 0) {
  console.error(`bench: the filter benchmark failed\n${run.stderr}`);
  process.exit(1);
}
const filters = JSON.parse(run.stdout.trim().split("\n").at(-1));

const rows = [];
const add = (figure, value, target, pass) => rows.push({ figure, value, target, verdict: pass });
const r = filters.results;
const ms = (x) => `${x.median_ms.toFixed(2)} ms (p95 ${x.p95_ms.toFixed(2)})`;
add(
  "filter apply, 10,000 sessions (combination)",
  ms(r["apply combination (no keyword)"]),
  "≤ 16 ms",
  r["apply combination (no keyword)"].median_ms <= 16 ? "meets" : "misses",
);
add(
  "filter apply, 10,000 sessions (with new keyword)",
  ms(r["apply combination + new keyword"]),
  "≤ 16 ms",
  r["apply combination + new keyword"].median_ms <= 16 ? "meets" : "misses",
);
add(
  "keystroke in the keyword field",
  ms(r["keystroke (typing a keyword)"]),
  "≤ 16 ms",
  r["keystroke (typing a keyword)"].median_ms <= 16 ? "meets" : "misses",
);
add("new message: keyword index update", ms(r["new message: index update"]), "—", "info");
for (const missing of [
  "raw limit (bare page, JSON.parse only)",
  "sustained ingest (worker + panel, 30 s)",
  "event-to-paint p50/p95/p99 at 1,000 events/s",
  "frame health at 10,000 sessions while scrolling",
  "open → first list paint, 10,000 sessions",
  "token streaming 5,000 tokens/s",
  "resync after reconnect, 10,000 sessions",
  "heap, worker and panel",
])
  add(missing, "not measured yet", "see issue 8", "open");

const w = [
  Math.max(...rows.map((x) => x.figure.length)),
  Math.max(...rows.map((x) => x.value.length)),
  12,
  7,
];
const line = (a, b, c, d) => `${a.padEnd(w[0])} | ${b.padEnd(w[1])} | ${c.padEnd(w[2])} | ${d}`;
console.log(
  `Live Conversations benchmark — node ${process.version}, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
console.log(line("figure", "median", "target", "verdict"));
console.log(line("-".repeat(w[0]), "-".repeat(w[1]), "-".repeat(w[2]), "-------"));
for (const x of rows) console.log(line(x.figure, x.value, x.target, x.verdict));

mkdirSync(resolve(root, "bench"), { recursive: true });
writeFileSync(
  resolve(root, "bench/results.json"),
  `${JSON.stringify({ at: new Date().toISOString(), load_average: loadavg(), rows, filters }, null, 2)}\n`,
);
console.log("\nwrote bench/results.json");
