/**
 * `npm run bench:history`: what durability costs (issue 19 item 3). Appends
 * events through the gateway's own history store (`openSqliteHistory`, one
 * commit per event, as the gateway does) with each SQLite `synchronous` level,
 * and audit records through the audit store (synchronous=FULL), on a data dir
 * (default: a temp dir; `-- DIR` to measure another disk). Prints events/s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openAuditStore } from "../gateway/audit/audit-store.ts";
import { createMemoryHistory, type HistoryStore } from "../gateway/org/event-log.ts";
import { openSqliteHistory } from "../gateway/store/sqlite-history.ts";

const EVENTS = Number(process.env.LC_BENCH_EVENTS ?? 20_000);
const AUDITS = Number(process.env.LC_BENCH_AUDITS ?? 2_000);
const base = process.argv[2] ?? mkdtempSync(join(tmpdir(), "lc-bench-history-"));

function perSecond(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString("en")} /s`;
}

function run(name: string, store: HistoryStore): string {
  const log = store.open("org_bench", 1_000_000);
  const data = {
    id: "m",
    role: "agent",
    format: "text",
    text: "x".repeat(200),
    ts: new Date().toISOString(),
  };
  const t0 = performance.now();
  for (let i = 0; i < EVENTS; i++)
    log.append(
      { kind: "message_sent", session_id: `ses_${i % 50}`, ts: new Date().toISOString(), data },
      { runtime: "rt/bench", pub_id: `pub_${i}` },
    );
  const ms = performance.now() - t0;
  store.close();
  return `| history, ${name} | ${perSecond(EVENTS, ms)} | ${((ms * 1000) / EVENTS).toFixed(1)} µs |`;
}

const rows = ["| store | appends | per append |", "|---|---|---|"];
rows.push(run("in memory (no --data-dir)", createMemoryHistory()));
for (const level of ["OFF", "NORMAL", "FULL"] as const) {
  const dir = join(base, `history-${level}`);
  rows.push(
    run(
      `WAL, synchronous=${level}${level === "NORMAL" ? " (the gateway's)" : ""}`,
      openSqliteHistory(dir, level),
    ),
  );
}
const audit = openAuditStore(join(base, "audit"));
const t0 = performance.now();
for (let i = 0; i < AUDITS; i++)
  audit.append({
    org_id: "org_bench",
    intervention_id: `int_${i}`,
    session_id: "ses_bench",
    admin_id: "adm",
    type: "system_message",
    reason: "Bench",
    timestamp: new Date().toISOString(),
    cmd_id: `cmd_${i}`,
    payload: { text: "Hello" },
    outcome: "accepted",
  });
const ams = performance.now() - t0;
audit.close();
rows.push(
  `| audit log, WAL, synchronous=FULL (the gateway's) | ${perSecond(AUDITS, ams)} | ${((ams * 1000) / AUDITS).toFixed(1)} µs |`,
);
process.stdout.write(`${rows.join("\n")}\n(${EVENTS} events, ${AUDITS} audit records, in ${base})\n`);
if (!process.argv[2]) rmSync(base, { recursive: true, force: true });
