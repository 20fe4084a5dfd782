/**
 * Saving the org state for restarts a slice at a time (issue 19,
 * `gateway/store/state-persister.ts`, `sqlite-state.ts`): a process killed at any
 * moment — with a checkpoint half written, sessions changed after it started,
 * sessions pruned — restarts into exactly the state the events describe; a
 * tick writes a bounded slice; a data dir that saved the whole state as one
 * row still restores.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createManualClock } from "../../gateway/clock";
import type { EventLog, StateRow, StateStore } from "../../gateway/org/event-log";
import { createOrgState, type OrgState } from "../../gateway/org/org-state";
import { ARCHIVED_TAIL, MAX_MESSAGES } from "../../gateway/org/reducer";
import { createRng, type Rng } from "../../gateway/sim/rng";
import { HISTORY_FILE, openSqliteHistory } from "../../gateway/store/sqlite-history";
import { PERSIST_DEFAULTS, type PersisterOptions } from "../../gateway/store/state-persister";
import { makeMessage, makeSession } from "../fixtures/frames";

const ORG = "org_acme";
const HOT = "ses_hot";
const dirs: string[] = [];
const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "lc-persist-"));
  dirs.push(d);
  return d;
}

function openOrg(
  dir: string,
  options?: Partial<PersisterOptions>,
  wrap?: (log: EventLog) => EventLog,
  limit = 1_000_000,
) {
  const history = openSqliteHistory(dir);
  closers.push(() => history.close());
  const clock = createManualClock(Date.parse("2026-06-24T16:30:00Z"));
  closers.push(() => clock.dispose());
  const log = history.open(ORG, limit);
  const state = createOrgState(ORG, wrap ? wrap(log) : log, [], clock, true, options);
  return { state, clock };
}

/** What `kill -9` leaves: the files as they are between two commits, opened by a new process. */
function restartFromCopy(dir: string, limit?: number): OrgState {
  const copy = tempDir();
  for (const f of [HISTORY_FILE, `${HISTORY_FILE}-wal`])
    if (existsSync(join(dir, f))) copyFileSync(join(dir, f), join(copy, f));
  return openOrg(copy, undefined, undefined, limit).state;
}

/** Every session as the state holds it, with its whole transcript (the archived part read back). */
const entries = (s: OrgState) =>
  [...s.sessions.entries()].map(([id, e]) => [id, JSON.parse(JSON.stringify(e)), s.transcript(id)]);

/** The ids of a session's last `MAX_MESSAGES` messages, from its events (the session never restarted). */
function messageIds(state: OrgState, sid: string): string[] {
  const ids = new Set<string>();
  for (const ev of state.log.readAfter(0, 100_000) ?? [])
    if (ev.session_id === sid && (ev.kind === "message_received" || ev.kind === "message_sent"))
      ids.add((ev.data as { id: string }).id);
  return [...ids].slice(-MAX_MESSAGES);
}

/** A random mix over many sessions: starts (some re-using an id), messages (some edited), updates, ends. */
function randomEvent(state: OrgState, rng: Rng, n: number): void {
  const ids = [...state.sessions.keys()].filter((id) => id !== HOT);
  const open = ids.filter((id) => state.sessions.get(id)?.session.status !== "ended");
  const roll = rng.next();
  const ts = new Date(Date.parse("2026-06-24T16:30:00Z") + n * 1000).toISOString();
  if (!state.sessions.has(HOT)) {
    state.emit("session_started", HOT, makeSession({ id: HOT, started_at: ts, last_activity_at: ts }));
    return;
  }
  if (open.length < 40 || roll < 0.1) {
    const id = rng.chance(0.05) && ids.length > 0 ? rng.pick(ids) : `ses_${n.toString(36)}`;
    state.emit("session_started", id, makeSession({ id, started_at: ts, last_activity_at: ts }));
    return;
  }
  const sid = rng.chance(0.3) ? HOT : rng.pick(open); // the hot one passes 300 messages
  if (roll < 0.22 && sid !== HOT) state.emit("session_ended", sid, { reason: "resolved", ended_at: ts });
  else if (roll < 0.28) state.emit("session_updated", sid, { priority: rng.pick(["low", "normal", "high"]) });
  else {
    const edit = rng.chance(0.1) ? state.sessions.get(sid)?.messages.at(-1)?.id : undefined;
    const role = rng.chance(0.5) ? "user" : "agent";
    state.emit(role === "user" ? "message_received" : "message_sent", sid, {
      ...makeMessage({
        id: edit ?? `msg_${n.toString(36)}`,
        role,
        ts,
        text: `text ${n} ${rng.id(rng.int(1, 60))}`,
      }),
    });
  }
}

describe("saving the org state a slice at a time", () => {
  it("a restart at any moment of a checkpoint restores exactly the state the events describe", () => {
    const dir = tempDir();
    const { state, clock } = openOrg(dir, { maxRows: 7, maxBytes: 6000, everyMs: 0, tickMs: 10 });
    const rng = createRng(19);
    let restarts = 0;
    let midway = 0;
    for (let n = 1; n <= 3000; n++) {
      randomEvent(state, rng, n);
      if (n % 4 === 0) clock.advance(10); // one slice
      if (n % 97 === 0) {
        const outstanding = state.persister?.outstanding() ?? 0;
        if (outstanding > 0) midway++;
        const restored = restartFromCopy(dir);
        expect(restored.log.lastSeq()).toBe(state.log.lastSeq());
        expect(restored.log.epoch).toBe(state.log.epoch);
        expect(entries(restored)).toEqual(entries(state));
        restarts++;
      }
    }
    expect(restarts).toBe(30);
    expect(midway).toBeGreaterThan(20); // most restarts found a checkpoint half written
    // The reducer pruned ended sessions and capped the hot one at 300 messages, of which only the last
    // ARCHIVED_TAIL in memory: all restored alike.
    const started = new Set<string>();
    for (const ev of state.log.readAfter(0, 100_000) ?? [])
      if (ev.kind === "session_started") started.add(ev.data.id);
    expect(started.size - state.sessions.size).toBeGreaterThan(100);
    expect(state.transcript(HOT)).toHaveLength(MAX_MESSAGES);
    expect(Math.max(...[...state.sessions.values()].map((e) => e.messages.length))).toBe(ARCHIVED_TAIL);
    expect(state.transcript(HOT)?.map((m) => m.id)).toEqual(messageIds(state, HOT));

    // A clean stop writes everything: one row per session left, none for the pruned ones, and the
    // messages that left memory since the last tick.
    for (let n = 3001; n <= 3005; n++)
      state.emit(
        "message_received",
        HOT,
        makeMessage({ id: `msg_${n.toString(36)}`, role: "user", text: `t ${n}` }),
      );
    state.persist();
    expect(state.persister?.outstanding()).toBe(0);
    const db = new Database(join(dir, HISTORY_FILE), { readonly: true });
    closers.push(() => db.close());
    const rows = db.prepare("SELECT COUNT(*) FROM session_state WHERE org_id = ?").pluck().get(ORG);
    expect(rows).toBe(state.sessions.size);
    const cp = db.prepare("SELECT seq FROM state_checkpoint WHERE org_id = ?").pluck().get(ORG);
    expect(cp).toBe(state.log.lastSeq());
    const stopped = restartFromCopy(dir);
    expect(entries(stopped)).toEqual(entries(state));
    expect(stopped.transcript(HOT)?.map((m) => m.id)).toEqual(messageIds(state, HOT));
  });

  it("a tick writes at most maxRows sessions / maxBytes of JSON; the checkpoint commits with the last slice", () => {
    const writes: { rows: StateRow[]; commitSeq: number | undefined }[] = [];
    const spy = (log: EventLog): EventLog => {
      const store = log.state as StateStore;
      return {
        ...log,
        lastSeq: () => log.lastSeq(),
        state: {
          ...store,
          write(rows, commitSeq) {
            writes.push({ rows, commitSeq });
            store.write(rows, commitSeq);
          },
        },
      };
    };
    const { state, clock } = openOrg(tempDir(), undefined, spy);
    const { maxRows, tickMs, everyMs } = PERSIST_DEFAULTS;
    for (let i = 0; i < 1000; i++) {
      const id = `ses_${i}`;
      state.emit("session_started", id, makeSession({ id }));
      state.emit("message_received", id, makeMessage({ id: `msg_${i}` }));
    }
    const at = state.log.lastSeq();
    expect(writes).toEqual([]); // nothing on the event path
    clock.advance(tickMs);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.rows).toHaveLength(maxRows);
    expect(writes[0]?.commitSeq).toBeUndefined();
    // Changes during the checkpoint: the next checkpoint's, the current one still saves the state at `at`.
    state.emit("message_received", "ses_999", makeMessage({ id: "msg_late" }));
    while (writes.at(-1)?.commitSeq === undefined) clock.advance(tickMs);
    expect(writes).toHaveLength(Math.ceil(1000 / maxRows));
    expect(writes.at(-1)?.commitSeq).toBe(at);
    const late = writes.flatMap((w) => w.rows).find((r) => r.id === "ses_999");
    expect(late?.json).not.toContain("msg_late");
    // The next checkpoint waits `everyMs`, then writes only what changed.
    writes.length = 0;
    clock.advance(everyMs);
    expect(writes.map((w) => w.rows.map((r) => r.id))).toEqual([["ses_999"]]);
    expect(writes[0]?.commitSeq).toBe(state.log.lastSeq());

    // Large sessions: the byte budget ends the slice first (each still whole).
    writes.length = 0;
    const big = "x".repeat(40_000);
    for (let i = 0; i < 50; i++)
      state.emit("message_received", `ses_${i}`, makeMessage({ id: `msg_b${i}`, text: big }));
    clock.advance(everyMs * 2);
    const perTick = Math.ceil(PERSIST_DEFAULTS.maxBytes / 40_000);
    expect(writes[0]?.rows).toHaveLength(perTick);
    expect(writes).toHaveLength(Math.ceil(50 / perTick));
  });

  it("a slice that cannot be written is reported and written again; the checkpoint stays exact", () => {
    const dir = tempDir();
    const errors: unknown[] = [];
    let fail = 2;
    const flaky = (log: EventLog): EventLog => {
      const store = log.state as StateStore;
      return {
        ...log,
        state: {
          ...store,
          write(rows, commitSeq) {
            if (--fail === 0) throw new Error("disk I/O error");
            store.write(rows, commitSeq);
          },
        },
      };
    };
    const { state, clock } = openOrg(dir, { maxRows: 20, onError: (e) => errors.push(e) }, flaky);
    const rng = createRng(3);
    for (let n = 1; n <= 1500; n++) randomEvent(state, rng, n);
    clock.advance(PERSIST_DEFAULTS.tickMs * 40);
    expect(errors).toHaveLength(1);
    expect(state.persister?.outstanding()).toBe(0);
    expect(entries(restartFromCopy(dir))).toEqual(entries(state));
  });

  it("the history keeps every event after the checkpoint, whatever its limit", () => {
    const dir = tempDir();
    const { state, clock } = openOrg(dir, undefined, undefined, 100);
    const rng = createRng(11);
    for (let n = 1; n <= 1000; n++) randomEvent(state, rng, n); // no tick yet: no checkpoint
    expect(state.log.firstSeq()).toBe(1);
    expect(entries(restartFromCopy(dir, 100))).toEqual(entries(state));
    clock.advance(PERSIST_DEFAULTS.tickMs * 20); // the first checkpoint commits at seq 1000
    for (let n = 1001; n <= 1200; n++) randomEvent(state, rng, n);
    expect(state.log.firstSeq()).toBeGreaterThan(1); // trimmed to the limit…
    expect(state.log.firstSeq()).toBeLessThanOrEqual(1001); // …but not past the checkpoint
    expect(entries(restartFromCopy(dir, 100))).toEqual(entries(state));
  });

  it("a data dir that saved the whole state as one row restores, and is migrated to rows", () => {
    const dir = tempDir();
    const { state } = openOrg(dir);
    const rng = createRng(7);
    for (let n = 1; n <= 600; n++) randomEvent(state, rng, n);
    // Saved before the archive: each session with its whole transcript in memory.
    const whole = [...state.sessions].map(([id, { archived: _, ...e }]) => ({
      ...e,
      messages: state.transcript(id),
    }));
    const legacy = { seq: state.log.lastSeq(), json: JSON.stringify(whole) };
    for (let n = 601; n <= 900; n++) randomEvent(state, rng, n);
    // The old layout: no rows, no checkpoint, the `state` table (the manual clock never ticked: nothing saved).
    const old = tempDir();
    mkdirSync(old, { recursive: true });
    for (const f of [HISTORY_FILE, `${HISTORY_FILE}-wal`])
      if (existsSync(join(dir, f))) copyFileSync(join(dir, f), join(old, f));
    const db = new Database(join(old, HISTORY_FILE));
    expect(db.prepare("SELECT COUNT(*) FROM session_state").pluck().get()).toBe(0);
    db.exec("CREATE TABLE state (org_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, json TEXT NOT NULL)");
    db.prepare("INSERT INTO state (org_id, seq, json) VALUES (?, ?, ?)").run(ORG, legacy.seq, legacy.json);
    db.close();
    // Sessions and transcripts as the events describe them (how much is in memory may differ).
    const view = (s: OrgState) => [...s.sessions].map(([id, e]) => [id, e.session, s.transcript(id)]);
    const restored = restartFromCopy(old);
    expect(view(restored)).toEqual(view(state));
    const after = new Database(join(old, HISTORY_FILE), { readonly: true });
    closers.push(() => after.close());
    // `restartFromCopy` migrated a copy of `old`; migrating `old` itself shows the rows.
    const again = openOrg(old).state;
    expect(view(again)).toEqual(view(state));
    expect(after.prepare("SELECT COUNT(*) FROM state").pluck().get()).toBe(0);
    expect(after.prepare("SELECT seq FROM state_checkpoint").pluck().get()).toBe(legacy.seq);
  });
});
