/**
 * The audit log behind a small interface, and its embedded implementation:
 * SQLite in WAL mode with synchronous=FULL, append-only (triggers refuse
 * UPDATE and DELETE), hash-chained per org. `append` returns only once the
 * record is durable; it throws when the log cannot be written.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { type AuditFields, type AuditRecord, GENESIS_HASH, recordHash } from "./audit-chain.ts";

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

interface Row extends Omit<AuditRecord, "payload"> {
  payload: string;
}

export function rowToRecord(row: Row): AuditRecord {
  return { ...row, payload: JSON.parse(row.payload) as unknown };
}

/** Opens the audit log in `dataDir` (or in memory when null). */
export function openAuditStore(dataDir: string | null): AuditStore {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = new Database(dataDir ? join(dataDir, AUDIT_FILE) : ":memory:");
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec(SCHEMA);
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
