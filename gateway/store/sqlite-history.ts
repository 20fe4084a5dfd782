/**
 * A persistent HistoryStore in SQLite (`history.sqlite` in the data dir): a
 * restarted gateway keeps each org's epoch and numbering, so clients resume
 * across the restart. WAL with synchronous=NORMAL: survives a killed process;
 * a damaged file refuses to open (`data-dir.ts`). The org state a restart
 * continues from is in the same file (`sqlite-state.ts`); events after its
 * checkpoint are never trimmed.
 */
import { join } from "node:path";
import type Database from "better-sqlite3";
import type { EventFrame } from "../../utils/protocol/index.ts";
import {
  type EventLog,
  type HistoryStore,
  makeFrame,
  newEpoch,
  nextClaim,
  type RuntimeClaim,
} from "../org/event-log.ts";
import { DataDirError, describeFailure, openDataFile } from "./data-dir.ts";
import { openStateStore } from "./sqlite-state.ts";

export const HISTORY_FILE = "history.sqlite";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (org_id TEXT PRIMARY KEY, epoch TEXT NOT NULL, last_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (org_id TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (org_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims (org_id TEXT NOT NULL, session_id TEXT NOT NULL, runtime TEXT NOT NULL, pub_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (org_id, session_id)) WITHOUT ROWID;
`;

/**
 * `synchronous` is NORMAL: in WAL mode a commit is in the WAL file (the OS's
 * page cache) before `append` returns, so a killed process loses nothing that
 * was sent; only a power loss can lose the last commits (FULL would fsync each
 * one — see docs/gateway.md for what that costs). The bench passes others.
 */
export function openSqliteHistory(
  dataDir: string,
  synchronous: "OFF" | "NORMAL" | "FULL" = "NORMAL",
): HistoryStore {
  return openDataFile("history", dataDir, HISTORY_FILE, synchronous, (db) => {
    const store = historyStore(db);
    // Opening an org's log writes its meta row: a full or read-only disk shows here, named like at open.
    return {
      ...store,
      open(orgId, limit) {
        try {
          return store.open(orgId, limit);
        } catch (e) {
          throw new DataDirError(describeFailure("history", dataDir, join(dataDir, HISTORY_FILE), e));
        }
      },
    };
  });
}

function historyStore(db: Database.Database): HistoryStore {
  db.exec(SCHEMA);
  const getMeta = db.prepare("SELECT epoch, last_seq FROM meta WHERE org_id = ?");
  const putMeta = db.prepare("INSERT OR REPLACE INTO meta (org_id, epoch, last_seq) VALUES (?, ?, ?)");
  const maxSeq = db.prepare("SELECT MAX(seq) FROM events WHERE org_id = ?").pluck();
  const minSeq = db.prepare("SELECT MIN(seq) FROM events WHERE org_id = ?").pluck();
  const insert = db.prepare("INSERT INTO events (org_id, seq, json) VALUES (?, ?, ?)");
  const readAfter = db
    .prepare("SELECT json FROM events WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?")
    .pluck();
  const trim = db.prepare("DELETE FROM events WHERE org_id = ? AND seq <= ?");
  const putClaim = db.prepare(
    "INSERT OR REPLACE INTO claims (org_id, session_id, runtime, pub_id, seq) VALUES (?, ?, ?, ?, ?)",
  );
  const dropClaim = db.prepare("DELETE FROM claims WHERE org_id = ? AND session_id = ?");
  const getClaims = db.prepare("SELECT session_id, runtime, pub_id, seq FROM claims WHERE org_id = ?");

  function open(orgId: string, limit: number): EventLog {
    const meta = getMeta.get(orgId) as { epoch: string; last_seq: number } | undefined;
    const epoch = meta?.epoch ?? newEpoch();
    let last = Math.max(meta?.last_seq ?? 0, (maxSeq.get(orgId) as number | null) ?? 0);
    let first = (minSeq.get(orgId) as number | null) ?? last + 1;
    putMeta.run(orgId, epoch, last);
    const state = openStateStore(db, orgId);
    const trimEvery = Math.max(64, limit >> 4);
    let sinceTrim = 0;
    const claims = new Map<string, RuntimeClaim>();
    for (const c of getClaims.all(orgId) as RuntimeClaim[]) claims.set(c.session_id, c);
    // The event and its claim in one commit: committed before anyone is sent the event (the caller sends after).
    const write = db.transaction((frame: EventFrame, claim: RuntimeClaim | null | undefined) => {
      insert.run(orgId, frame.seq, JSON.stringify(frame));
      if (claim) putClaim.run(orgId, claim.session_id, claim.runtime, claim.pub_id, claim.seq);
      else if (claim === null && frame.session_id) dropClaim.run(orgId, frame.session_id);
    });
    return {
      epoch,
      lastSeq: () => last,
      firstSeq: () => first,
      claims: () => [...claims.values()],
      append(e, claim) {
        const frame = makeFrame(epoch, last + 1, e);
        const before = frame.session_id ? claims.get(frame.session_id) : undefined;
        const next = nextClaim(claims, frame, claim);
        try {
          write(frame, next);
        } catch (err) {
          // Not stored: not numbered either (the claim map goes back to what the file holds).
          if (frame.session_id && before) claims.set(frame.session_id, before);
          else if (frame.session_id) claims.delete(frame.session_id);
          throw err;
        }
        last = frame.seq;
        if (first > last) first = last;
        if (++sinceTrim >= trimEvery) {
          sinceTrim = 0;
          // Never the events after the saved state's checkpoint: a restart replays them.
          const upTo = Math.min(last - limit, state.checkpointSeq());
          if (upTo >= first) {
            first = upTo + 1;
            trim.run(orgId, upTo);
          }
        }
        return frame;
      },
      readAfter(after, max) {
        if (after > last || after < first - 1) return null;
        return (readAfter.all(orgId, after, max) as string[]).map((j) => JSON.parse(j) as EventFrame);
      },
      state,
    };
  }

  return {
    open,
    close() {
      if (db.open) db.close();
    },
  };
}
