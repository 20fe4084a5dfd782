/**
 * `npm run bench:persist`: what saving the org state for restarts costs the
 * event loop (issue 19). Builds an org of `LC_BENCH_SESSIONS` (10,000)
 * sessions × `LC_BENCH_MESSAGES` (45) messages through the real reducer, then
 * - before: the single-row save the gateway did until now (`JSON.stringify`
 *   of every session, then one row written) — one block of the event loop;
 * - after: the incremental saver (`state-persister.ts`) writing every session
 *   into `history.sqlite` a slice per tick while the load generator keeps
 *   `LC_BENCH_RATE` (1,000) events/s coming: the longest slice, the longest
 *   event-loop stall (`monitorEventLoopDelay`), how long the checkpoint took
 *   and the events/s the load reached.
 * Events go to an in-memory log (their commits are `bench:history`'s figure);
 * the state goes to SQLite in a temp dir. Run it niced on a shared machine.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import Database from "better-sqlite3";
import { createRealClock } from "../gateway/clock.ts";
import { createLoadGenerator } from "../gateway/load/load.ts";
import { createMemoryLog } from "../gateway/org/event-log.ts";
import { createOrgState } from "../gateway/org/org-state.ts";
import { openSqliteHistory } from "../gateway/store/sqlite-history.ts";
import type { SqliteStateStore } from "../gateway/store/sqlite-state.ts";

const SESSIONS = Number(process.env.LC_BENCH_SESSIONS ?? 10_000);
const MESSAGES = Number(process.env.LC_BENCH_MESSAGES ?? 45);
const RATE = Number(process.env.LC_BENCH_RATE ?? 1000);
const dir = mkdtempSync(join(tmpdir(), "lc-bench-persist-"));
const ms = (n: number) => `${n.toFixed(1)} ms`;

const history = openSqliteHistory(dir);
const store = history.open("org_bench", 10_000).state as SqliteStateStore;
const log = { ...createMemoryLog(10_000), state: store };
const clock = createRealClock();
const state = createOrgState("org_bench", log, [], clock);
const persister = state.persister;
if (!persister) throw new Error("no state store");
const load = createLoadGenerator(state, { sessions: SESSIONS, rate: 0, tokensPerSecond: 0 });
load.start();
load.stop();
const ids = load.sessionIds;
for (let n = 0; n < SESSIONS * MESSAGES; n++) {
  const agent = n % 2 === 1;
  state.emit(agent ? "message_sent" : "message_received", ids[n % ids.length] as string, {
    id: `msg_b${n.toString(36)}`,
    ts: new Date().toISOString(),
    role: agent ? "agent" : "user",
    format: "text",
    text: `[#${n}] Could you check the status of my order? It was due yesterday.`,
  });
}

// Before: the whole state as one JSON row, on the event loop.
const legacy = new Database(join(dir, "legacy.sqlite"));
legacy.pragma("journal_mode = WAL");
legacy.pragma("synchronous = NORMAL");
legacy.exec("CREATE TABLE state (org_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, json TEXT NOT NULL)");
const putState = legacy.prepare("INSERT OR REPLACE INTO state (org_id, seq, json) VALUES (?, ?, ?)");
let before = Number.POSITIVE_INFINITY;
let beforeCpu = Number.POSITIVE_INFINITY;
let size = 0;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const json = JSON.stringify([...state.sessions.values()]);
  putState.run("org_bench", state.log.lastSeq(), json);
  const c = process.cpuUsage(c0);
  before = Math.min(before, performance.now() - t0);
  beforeCpu = Math.min(beforeCpu, (c.user + c.system) / 1000);
  size = json.length;
}
legacy.close();

// After: every session is to be written (all changed), a slice per tick, under load.
const slices: number[] = [];
/** CPU time of each slice: what it costs, whatever the scheduler of a shared machine adds to its wall time. */
const cpu: number[] = [];
const step = persister.step.bind(persister);
persister.step = () => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const more = step();
  const c = process.cpuUsage(c0);
  slices.push(performance.now() - t0);
  cpu.push((c.user + c.system) / 1000);
  return more;
};
/** Runs the load until `done`, measuring the slices and the event loop meanwhile. */
async function measure(done: () => boolean) {
  slices.length = 0;
  cpu.length = 0;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const started = performance.now();
  const emitted0 = load.emitted;
  delay.enable();
  load.setRate(RATE);
  load.start();
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (done() || performance.now() - started > 300_000) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
  });
  const took = performance.now() - started;
  load.stop();
  delay.disable();
  const q = (list: number[], p: number) => {
    const sorted = [...list].sort((a, b) => a - b);
    return ms(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
  };
  const total = cpu.reduce((a, b) => a + b, 0);
  return {
    took,
    slices:
      `${slices.length} slices: wall longest ${q(slices, 1)}, p90 ${q(slices, 0.9)}, median ${q(slices, 0.5)}; ` +
      `CPU longest ${q(cpu, 1)}, p90 ${q(cpu, 0.9)}, median ${q(cpu, 0.5)}, ${((total / took) * 100).toFixed(0)} % of the time`,
    loop: `event-loop delay max ${ms(delay.max / 1e6)}, p99 ${ms(delay.percentile(99) / 1e6)}`,
    rate: `load reached ${Math.round(((load.emitted - emitted0) / took) * 1000)} of ${RATE} events/s`,
  };
}

const outstanding = persister.outstanding();
// The first checkpoint (every session changed) commits with its last slice.
const first = await measure(() => store.checkpointSeq() > 0);
// Then steady state: each checkpoint rewrites what the load changed since the last.
const t1 = performance.now();
const steady = await measure(() => performance.now() - t1 > 30_000);
// The same load with no saving at all: what the machine and the rest of the loop add.
persister.dispose();
const t2 = performance.now();
const none = await measure(() => performance.now() - t2 > 15_000);

console.log(`${SESSIONS} sessions × ${MESSAGES} messages, state JSON ${(size / 1e6).toFixed(1)} MB`);
console.log(
  `before: whole state as one row (stringify + write): one block of ${ms(before)} wall, ${ms(beforeCpu)} CPU (best of 3)`,
);
console.log(
  `after, first checkpoint (all ${outstanding} sessions), ${(first.took / 1000).toFixed(1)} s under load: ${first.slices}; ${first.loop}; ${first.rate}`,
);
console.log(`after, steady state (30 s): ${steady.slices}; ${steady.loop}; ${steady.rate}`);
console.log(`baseline, no saving (15 s): ${none.loop}; ${none.rate}`);
clock.dispose();
history.close();
rmSync(dir, { recursive: true, force: true });
