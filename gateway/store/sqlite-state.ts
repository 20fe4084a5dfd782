/**
 * The saved org state in `history.sqlite` (issue 19): one row per session in
 * `session_state`, and the checkpoint in `state_checkpoint` — the seq after
 * which the committed rows describe the org, and the generation that
 * committed it. `state-persister.ts` writes a checkpoint a slice at a time;
 * a row written before its checkpoint commits keeps the previous committed
 * version beside it (`base_*`), so a process killed mid-way restarts from the
 * previous checkpoint: opening the store puts those rows back. A data dir
 * from before (the whole state as one JSON row in `state`) is migrated on open.
 * The older part of each transcript is beside it (`sqlite-transcripts.ts`),
 * written in the same transaction as each slice.
 */
import type Database from "better-sqlite3";
import type { StateRow, StateStore } from "../org/event-log.ts";
import { type ArchiveOps, openTranscriptArchive } from "./sqlite-transcripts.ts";

/** Small columns first: reading them never follows a row's overflow pages. */
const STATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS session_state (org_id TEXT NOT NULL, session_id TEXT NOT NULL, top_gen INTEGER NOT NULL, top_ord INTEGER NOT NULL, base_ord INTEGER, top_json TEXT, base_json TEXT, UNIQUE (org_id, session_id));
CREATE TABLE IF NOT EXISTS state_checkpoint (org_id TEXT PRIMARY KEY, gen INTEGER NOT NULL, seq INTEGER NOT NULL);
`;

export interface SqliteStateStore extends StateStore {
  /** Seq of the committed checkpoint (0: none): the history keeps every event after it. */
  checkpointSeq(): number;
}

export function openStateStore(db: Database.Database, orgId: string): SqliteStateStore {
  db.exec(STATE_SCHEMA);
  const getCheckpoint = db.prepare("SELECT gen, seq FROM state_checkpoint WHERE org_id = ?");
  const putCheckpoint = db.prepare(
    "INSERT OR REPLACE INTO state_checkpoint (org_id, gen, seq) VALUES (?, ?, ?)",
  );
  // The row's committed version becomes its base, the new one its top (SET reads the old row).
  const upsert = db.prepare(`
    INSERT INTO session_state (org_id, session_id, top_gen, top_ord, top_json) VALUES (@org, @id, @gen, @ord, @json)
    ON CONFLICT (org_id, session_id) DO UPDATE SET base_ord = top_ord, base_json = top_json,
      top_gen = excluded.top_gen, top_ord = excluded.top_ord, top_json = excluded.top_json`);
  const dropGone = db.prepare(
    "DELETE FROM session_state WHERE org_id = ? AND session_id = ? AND top_gen = ? AND top_json IS NULL",
  );
  const dropNew = db.prepare(
    "DELETE FROM session_state WHERE org_id = ? AND top_gen > ? AND base_json IS NULL",
  );
  const revert = db.prepare(
    "UPDATE session_state SET top_gen = @gen, top_ord = base_ord, top_json = base_json WHERE org_id = @org AND top_gen > @gen",
  );
  const rows = db.prepare(
    "SELECT session_id AS id, top_ord AS ord, top_json AS json FROM session_state WHERE org_id = ? AND top_json IS NOT NULL ORDER BY top_ord",
  );
  const clearRows = db.prepare("DELETE FROM session_state WHERE org_id = ?");
  const clearCheckpoint = db.prepare("DELETE FROM state_checkpoint WHERE org_id = ?");
  const archive = openTranscriptArchive(db, orgId);

  const cp = getCheckpoint.get(orgId) as { gen: number; seq: number } | undefined;
  let gen = cp?.gen ?? 0;
  let seq = cp?.seq ?? 0;
  let committed = cp !== undefined;
  /** Sessions written as gone since the last commit: their rows go when it commits. */
  let gone: string[] = [];

  // Archived messages first: a checkpoint never counts a message as archived before its row is there.
  const writeWith = db.transaction(
    (archived: ArchiveOps, list: StateRow[], commitSeq: number | undefined) => {
      archive.writeOps(archived);
      for (const r of list) upsert.run({ org: orgId, id: r.id, gen: gen + 1, ord: r.ord, json: r.json });
      if (commitSeq === undefined) return;
      for (const id of gone) dropGone.run(orgId, id, gen + 1);
      for (const r of list) if (r.json === null) dropGone.run(orgId, r.id, gen + 1);
      putCheckpoint.run(orgId, gen + 1, commitSeq);
    },
  );
  function write(list: StateRow[], commitSeq: number | undefined): void {
    archive.withPending((archived) => writeWith(archived, list, commitSeq));
  }

  // A checkpoint that was being written when the process stopped never happened.
  db.transaction(() => {
    dropNew.run(orgId, gen);
    revert.run({ org: orgId, gen });
  })();
  if (!committed) migrateLegacy();

  function migrateLegacy(): void {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state'").get();
    if (!table) return;
    const row = db.prepare("SELECT seq, json FROM state WHERE org_id = ?").get(orgId) as
      | { seq: number; json: string }
      | undefined;
    if (!row) return;
    const entries = JSON.parse(row.json) as { session: { id: string } }[];
    db.transaction(() => {
      write(
        entries.map((e, ord) => ({ id: e.session.id, ord, json: JSON.stringify(e) })),
        row.seq,
      );
      db.prepare("DELETE FROM state WHERE org_id = ?").run(orgId);
    })();
    gen += 1;
    seq = row.seq;
    committed = true;
  }

  return {
    archive,
    checkpointSeq: () => seq,
    load() {
      if (!committed) return null;
      return { seq, rows: rows.all(orgId) as (StateRow & { json: string })[] };
    },
    write(list, commitSeq) {
      write(list, commitSeq);
      if (commitSeq === undefined) {
        for (const r of list) if (r.json === null) gone.push(r.id);
        return;
      }
      gen += 1;
      seq = commitSeq;
      committed = true;
      gone = [];
    },
    clear() {
      db.transaction(() => {
        clearRows.run(orgId);
        clearCheckpoint.run(orgId);
        archive.clear();
      })();
      gen = 0;
      seq = 0;
      committed = false;
      gone = [];
    },
  };
}
