/**
 * The audit log behind a small interface, and its embedded implementation:
 * SQLite in WAL mode with synchronous=FULL, append-only (triggers refuse
 * UPDATE and DELETE), hash-chained per org. `append` returns only once the
 * record is durable; it throws when the log cannot be written.
 *
 * The chain alone cannot tell a log whose last records were cut off from a
 * shorter log, so the store also keeps the chain head (seq and hash of the
 * last record) in its own table, written in the same transaction as each
 * record; `verifyAuditDb` checks the records against it.
 */
import Database from "better-sqlite3";
import { openDataFile } from "../store/data-dir.ts";
import {
  type AuditFields,
  type AuditHead,
  type AuditRecord,
  type ChainProblem,
  GENESIS_HASH,
  recordHash,
  verifyChain,
} from "./audit-chain.ts";

export interface AuditQuery {
  sessionId?: string;
  /** Only records after this log position. */
  after?: number;
  limit: number;
  includeRefused?: boolean;
}

export interface AuditStore {
  append(fields: AuditFields): AuditRecord;
  /** The accepted record for a cmd_id in an org, if any (idempotency). */
  findAccepted(orgId: string, cmdId: string): AuditRecord | null;
  list(orgId: string, q: AuditQuery): AuditRecord[];
  close(): void;
}

export const AUDIT_FILE = "audit.sqlite";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id TEXT NOT NULL, intervention_id TEXT NOT NULL UNIQUE, session_id TEXT NOT NULL,
  admin_id TEXT NOT NULL, type TEXT NOT NULL, reason TEXT NOT NULL, timestamp TEXT NOT NULL,
  cmd_id TEXT NOT NULL, payload TEXT NOT NULL, outcome TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_org_cmd ON audit(org_id, cmd_id);
CREATE INDEX IF NOT EXISTS audit_org_session ON audit(org_id, session_id);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

/**
 * The chain head: one row naming the last record (its seq and hash). It only
 * moves forward, to a record that exists, and cannot be deleted.
 */
const HEAD_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_head_forward BEFORE UPDATE ON audit_head
  WHEN NEW.seq <= OLD.seq OR NEW.hash IS NOT (SELECT hash FROM audit WHERE seq = NEW.seq)
  BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward to the last record'); END;
CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON audit_head
  BEGIN SELECT RAISE(ABORT, 'the audit head cannot be removed'); END;
`;

interface Row extends Omit<AuditRecord, "payload"> {
  payload: string;
}

export function rowToRecord(row: Row): AuditRecord {
  return { ...row, payload: JSON.parse(row.payload) as unknown };
}

/** Opens the audit log in `dataDir` (or in memory when null). */
export function openAuditStore(dataDir: string | null): AuditStore {
  if (!dataDir) return auditStore(new Database(":memory:"));
  return openDataFile("audit", dataDir, AUDIT_FILE, "FULL", auditStore);
}

function auditStore(db: Database.Database): AuditStore {
  const hadHead = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_head'")
    .get();
  db.exec(SCHEMA);
  db.exec(HEAD_SCHEMA);
  // A log written before the head existed: anchor it at its current last record.
  if (!hadHead)
    db.exec("INSERT OR IGNORE INTO audit_head SELECT 1, seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
  const setHead = db.prepare(
    "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
  );
  const insert = db.prepare(
    `INSERT INTO audit (org_id, intervention_id, session_id, admin_id, type, reason, timestamp, cmd_id, payload, outcome, prev_hash, hash)
     VALUES (@org_id, @intervention_id, @session_id, @admin_id, @type, @reason, @timestamp, @cmd_id, @payload, @outcome, @prev_hash, @hash)`,
  );
  const lastHash = db.prepare("SELECT hash FROM audit WHERE org_id = ? ORDER BY seq DESC LIMIT 1").pluck();
  const byCmd = db.prepare(
    "SELECT * FROM audit WHERE org_id = ? AND cmd_id = ? AND outcome = 'accepted' LIMIT 1",
  );
  const append = db.transaction((fields: AuditFields): AuditRecord => {
    const prev = (lastHash.get(fields.org_id) as string | undefined) ?? GENESIS_HASH;
    const hash = recordHash(prev, fields);
    const payload = JSON.stringify(fields.payload ?? null);
    const info = insert.run({ ...fields, payload, prev_hash: prev, hash });
    setHead.run(Number(info.lastInsertRowid), hash);
    return {
      ...fields,
      payload: fields.payload ?? null,
      seq: Number(info.lastInsertRowid),
      prev_hash: prev,
      hash,
    };
  });
  return {
    append: (fields) => append.immediate(fields),
    findAccepted(orgId, cmdId) {
      const row = byCmd.get(orgId, cmdId) as Row | undefined;
      return row ? rowToRecord(row) : null;
    },
    list(orgId, q) {
      const where = ["org_id = @org", "seq > @after"];
      if (q.sessionId) where.push("session_id = @session");
      if (!q.includeRefused) where.push("outcome = 'accepted'");
      const params: Record<string, string | number> = { org: orgId, after: q.after ?? 0, limit: q.limit };
      if (q.sessionId) params.session = q.sessionId;
      const sql = `SELECT * FROM audit WHERE ${where.join(" AND ")} ORDER BY seq LIMIT @limit`;
      const rows = db.prepare(sql).all(params) as Row[];
      return rows.map(rowToRecord);
    },
    close() {
      if (db.open) db.close();
    },
  };
}

export interface AuditVerdict {
  /** Records read. */
  count: number;
  /** The first bad record, or null when the log is intact. */
  problem: ChainProblem | null;
  /** False for a log written before the chain head was kept: a removed tail cannot be seen there. */
  headChecked: boolean;
}

/**
 * Checks an audit database (open, read-only is enough): the hash chain of each
 * org, the numbering (a missing `seq` is a removed record) and the chain head
 * (records cut off the end, or added after it). Names the first bad record.
 */
export function verifyAuditDb(db: Database.Database): AuditVerdict {
  const hasHead = !!db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_head'")
    .get();
  let head: AuditHead | null | undefined;
  if (hasHead)
    head = (db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1").get() as AuditHead) ?? null;
  let count = 0;
  const rows = db.prepare("SELECT * FROM audit ORDER BY seq").iterate() as Iterable<Row>;
  function* records(): Generator<AuditRecord> {
    for (const row of rows) {
      count++;
      yield rowToRecord(row);
    }
  }
  const problem = verifyChain(records(), { contiguous: true, ...(hasHead ? { head } : {}) });
  return { count, problem, headChecked: hasHead };
}
