/**
 * What diffing a snapshot against the worker's sessions costs (issue 21 item 3):
 * an org of `--sessions` (10,000 and 100,000 by default) load-mode sessions
 * with a few messages each, folded by the gateway's real reducer; the worker's
 * session store holds them; then a snapshot in which `--changed` % of the
 * sessions moved (and one ended) goes through `SessionStore.reset` — the
 * structural compare (`sameSession`) of every session, the upserts and removals
 * recorded. Timed in CPU time (the machine is shared), fastest and median of
 * `--runs`. Beside it, for scale: JSON.stringify of every session, what the
 * panels' message and the state save cost per snapshot before the diff.
 *
 *   npx tsx scripts/bench-snapshot-diff.ts [--sessions 10000,100000] [--changed 1] [--runs 7]
 */
import { loadavg } from "node:os";
import { createRealClock } from "../gateway/clock.ts";
import { createLoadGenerator } from "../gateway/load/load.ts";
import { createMemoryLog } from "../gateway/org/event-log.ts";
import { createOrgState } from "../gateway/org/org-state.ts";
import type { Session } from "../utils/protocol/index.ts";
import { createChangeSet } from "../utils/store/change-set.ts";
import { createSessionStore, type SnapshotData } from "../utils/store/session-store.ts";

const args = process.argv.slice(2);
const arg = (name: string, d: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? d) : d;
};
const SIZES = arg("sessions", "10000,100000").split(",").map(Number);
const CHANGED_PCT = Number(arg("changed", "1"));
const RUNS = Number(arg("runs", "7"));
const MESSAGES = 4;

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (xs: number[]) => `${Math.min(...xs).toFixed(1)} ms fastest, ${median(xs).toFixed(1)} ms median`;

function measure(sessions: number): void {
  const state = createOrgState("org_bench", createMemoryLog(1000), [], createRealClock());
  const load = createLoadGenerator(state, { sessions, rate: 0, tokensPerSecond: 0 });
  load.start();
  load.stop();
  const ids = load.sessionIds;
  let n = 0;
  const message = (sid: string) => {
    const agent = n % 2 === 1;
    state.emit(agent ? "message_sent" : "message_received", sid, {
      id: `msg_b${(n++).toString(36)}`,
      ts: new Date().toISOString(),
      role: agent ? "agent" : "user",
      format: "text",
      text: `[#${n}] Could you check the status of my order? It was due yesterday.`,
    });
  };
  for (let i = 0; i < sessions * MESSAGES; i++) message(ids[i % ids.length] as string);
  /** The snapshot as the worker receives it: fresh objects decoded from JSON. */
  const snapshot = (): SnapshotData => {
    const s = state.snapshot(true);
    return JSON.parse(JSON.stringify({ ...s, sessions: s.sessions })) as SnapshotData;
  };

  const equal: number[] = [];
  const some: number[] = [];
  let diff = { kept: 0, changed: 0, added: 0, removed: 0 };
  for (let r = 0; r < RUNS; r++) {
    const changes = createChangeSet();
    const store = createSessionStore(changes);
    store.reset(snapshot());
    changes.take();
    // Nothing happened in the gap: every session is compared and kept.
    const same = snapshot();
    equal.push(cpuMs(() => store.reset(same)));
    // `CHANGED_PCT` % of the sessions moved in the gap, and one ended.
    const step = Math.max(1, Math.round(100 / CHANGED_PCT));
    for (let i = 1; i < ids.length; i += step) message(ids[i] as string);
    state.emit("session_ended", ids[0] as string, { reason: "resolved", ended_at: new Date().toISOString() });
    const moved = snapshot();
    some.push(
      cpuMs(() => {
        diff = store.reset(moved);
      }),
    );
    state.emit("session_started", ids[0] as string, {
      ...(moved.sessions[0] as Session),
      id: ids[0] as string,
      status: "active",
    });
  }
  const all = [...state.sessions.values()];
  const stringify = Array.from({ length: 3 }, () => cpuMs(() => JSON.stringify(all)));
  console.log(`${sessions.toLocaleString("en")} sessions:`);
  console.log(`  diff, nothing changed: ${fmt(equal)}`);
  console.log(
    `  diff, ${CHANGED_PCT} % changed: ${fmt(some)} (kept ${diff.kept}, changed ${diff.changed}, added ${diff.added}, removed ${diff.removed})`,
  );
  console.log(`  for scale, JSON.stringify of every session: ${fmt(stringify)}`);
}

console.log(`Snapshot diff benchmark — ${RUNS} runs each, load ${loadavg()[0]?.toFixed(1)} (CPU time)`);
for (const size of SIZES) measure(size);
