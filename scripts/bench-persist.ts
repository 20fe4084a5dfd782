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
import { createMemoryLog } from "../gateway/event-log.ts";
import { createLoadGenerator } from "../gateway/load.ts";
import { createOrgState } from "../gateway/org-state.ts";
import { openSqliteHistory } from "../gateway/sqlite-history.ts";
import type { SqliteStateStore } from "../gateway/sqlite-state.ts";

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
let before = 0;
let size = 0;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const json = JSON.stringify([...state.sessions.values()]);
  putState.run("org_bench", state.log.lastSeq(), json);
  before = Math.max(before, performance.now() - t0);
  size = json.length;
}
legacy.close();

// After: every session is to be written (all changed), a slice per tick, under load.
let slices = 0;
let longest = 0;
const step = persister.step.bind(persister);
persister.step = () => {
  const t0 = performance.now();
  const more = step();
  longest = Math.max(longest, performance.now() - t0);
  slices++;
  return more;
};
const delay = monitorEventLoopDelay({ resolution: 5 });
const outstanding = persister.outstanding();
const started = performance.now();
const emitted0 = load.emitted;
delay.enable();
load.setRate(RATE);
load.start();
await new Promise<void>((resolve) => {
  const poll = setInterval(() => {
    // The first checkpoint (every session) commits with its last slice.
    if (store.checkpointSeq() > 0 || performance.now() - started > 300_000) {
      clearInterval(poll);
      resolve();
    }
  }, 50);
});
const took = performance.now() - started;
load.stop();
delay.disable();
const rate = ((load.emitted - emitted0) / took) * 1000;

console.log(`${SESSIONS} sessions × ${MESSAGES} messages, state JSON ${(size / 1e6).toFixed(1)} MB`);
console.log("| save | longest event-loop block |");
console.log("|---|---|");
console.log(`| before: whole state as one row (stringify + write) | ${ms(before)} |`);
console.log(`| after: one slice (≤ 200 sessions / 256 KiB) | ${ms(longest)} |`);
console.log(
  `after: ${slices} slices, checkpoint of all ${outstanding} sessions committed in ${(took / 1000).toFixed(1)} s ` +
    `under load; event-loop delay max ${ms(delay.max / 1e6)}, p99 ${ms(delay.percentile(99) / 1e6)}; ` +
    `load reached ${Math.round(rate)} of ${RATE} events/s`,
);
state.persister?.dispose();
clock.dispose();
history.close();
rmSync(dir, { recursive: true, force: true });
