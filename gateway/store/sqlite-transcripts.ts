/**
 * The older part of each session's transcript, in `history.sqlite` beside the
 * saved state (issue 19: the gateway's memory stays flat under load). With a
 * data dir the reducer keeps only the last few messages of a session in
 * memory (`ARCHIVED_TAIL`); each message that leaves that tail is `put` here
 * under its number in the session (`SessionEntry.archived` counts them), and
 * `GET /v1/sessions/{id}` reads it back (`OrgState.transcript`).
 *
 * Puts are buffered and written in one transaction by `flush`: the state
 * saver's tick calls it, and every state write runs it inside its own
 * transaction, so no saved checkpoint ever counts a message as archived
 * before its row is written. Rows a checkpoint does not count yet (written
 * before a kill, then written again by the replay) are never read: `read`
 * takes only numbers below the session's `archived`. Each session keeps its
 * newest `MAX_MESSAGES` archived rows.
 */
import type Database from "better-sqlite3";
import type { Message } from "../../utils/protocol/index.ts";
import type { TranscriptArchive } from "../org/event-log.ts";
import { MAX_MESSAGES } from "../org/reducer.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS transcript (org_id TEXT NOT NULL, session_id TEXT NOT NULL, n INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (org_id, session_id, n)) WITHOUT ROWID;
`;

/** Buffered puts and drops, in order: a drop must run before the puts of the session's next life. */
export type ArchiveOps = ({ drop: string } | { id: string; n: number; msg: Message })[];

export interface SqliteTranscriptArchive extends TranscriptArchive {
  /**
   * Runs `run` (a transaction) with what is buffered; when it throws, the buffer is kept for the next
   * flush (a full disk may free up; the events are in the history meanwhile). `writeOps` writes it.
   */
  withPending(run: (ops: ArchiveOps) => void): void;
  writeOps(ops: ArchiveOps): void;
  /** Forgets every archived message of the org (a gateway started without restoring its state). */
  clear(): void;
}

export function openTranscriptArchive(db: Database.Database, orgId: string): SqliteTranscriptArchive {
  db.exec(SCHEMA);
  const insert = db.prepare(
    "INSERT OR REPLACE INTO transcript (org_id, session_id, n, json) VALUES (?, ?, ?, ?)",
  );
  const trim = db.prepare("DELETE FROM transcript WHERE org_id = ? AND session_id = ? AND n <= ?");
  const dropAll = db.prepare("DELETE FROM transcript WHERE org_id = ? AND session_id = ?");
  const select = db
    .prepare(
      "SELECT json FROM transcript WHERE org_id = ? AND session_id = ? AND n < ? ORDER BY n DESC LIMIT ?",
    )
    .pluck();
  const clearAll = db.prepare("DELETE FROM transcript WHERE org_id = ?");

  let pending: ArchiveOps = [];

  function writeOps(ops: ArchiveOps): void {
    const newest = new Map<string, number>();
    for (const op of ops) {
      if ("drop" in op) {
        dropAll.run(orgId, op.drop);
        newest.delete(op.drop);
      } else {
        insert.run(orgId, op.id, op.n, JSON.stringify(op.msg));
        newest.set(op.id, Math.max(newest.get(op.id) ?? 0, op.n));
      }
    }
    for (const [id, n] of newest) if (n >= MAX_MESSAGES) trim.run(orgId, id, n - MAX_MESSAGES);
  }
  const write = db.transaction(writeOps);

  const archive: SqliteTranscriptArchive = {
    // Messages are never changed in place (the reducer replaces them): stringified when written.
    put(sessionId, n, msg) {
      pending.push({ id: sessionId, n, msg });
    },
    drop(sessionId) {
      pending.push({ drop: sessionId });
    },
    flush() {
      if (pending.length > 0) archive.withPending(write);
    },
    withPending(run) {
      const ops = pending;
      pending = [];
      try {
        run(ops);
      } catch (e) {
        pending = ops.concat(pending);
        throw e;
      }
    },
    writeOps,
    read(sessionId, before, limit) {
      if (before <= 0 || limit <= 0) return [];
      archive.flush();
      const rows = select.all(orgId, sessionId, before, limit) as string[];
      return rows.reverse().map((json) => JSON.parse(json) as Message);
    },
    clear() {
      pending = [];
      clearAll.run(orgId);
    },
  };
  return archive;
}
