/**
 * The audit hash chain: each record's `hash` is sha256(prev_hash + canonical
 * JSON of the record), chained per organisation from a zero genesis hash.
 */
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditFields {
  org_id: string;
  intervention_id: string;
  session_id: string;
  admin_id: string;
  type: string;
  reason: string;
  timestamp: string;
  cmd_id: string;
  payload: unknown;
  /** "accepted", or "refused:<CODE>" for a refused attempt. */
  outcome: string;
}

export interface AuditRecord extends AuditFields {
  /** Position in the log (all orgs), 1-based. */
  seq: number;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted at every level: the same record always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export function recordHash(prevHash: string, fields: AuditFields): string {
  const f: AuditFields = {
    org_id: fields.org_id,
    intervention_id: fields.intervention_id,
    session_id: fields.session_id,
    admin_id: fields.admin_id,
    type: fields.type,
    reason: fields.reason,
    timestamp: fields.timestamp,
    cmd_id: fields.cmd_id,
    payload: fields.payload ?? null,
    outcome: fields.outcome,
  };
  return createHash("sha256").update(prevHash).update(canonicalJson(f)).digest("hex");
}

/** The first bad record: its position, its id (null when the record is missing) and what is wrong. */
export type ChainProblem = { seq: number; intervention_id: string | null; problem: string };

/** The last record of the whole log, kept apart from it (`audit_head`). */
export interface AuditHead {
  seq: number;
  hash: string;
}

export interface VerifyOptions {
  /**
   * The records are the whole log, numbered 1, 2, 3… without holes (the store
   * never skips a seq): a missing number is a removed record.
   */
  contiguous?: boolean;
  /**
   * The chain head kept by the store, to see records cut off the end (or added
   * after it); null when the log has records but no head. Leave it out to skip the check.
   */
  head?: AuditHead | null;
}

/** Checks records (in log order, any mix of orgs); returns the first bad one or null. */
export function verifyChain(records: Iterable<AuditRecord>, opts: VerifyOptions = {}): ChainProblem | null {
  const last = new Map<string, string>();
  let lastSeq = 0;
  let lastHash: string | null = null;
  let lastId: string | null = null;
  for (const r of records) {
    if (opts.contiguous && r.seq !== lastSeq + 1) {
      const missing = lastSeq + 1;
      return {
        seq: missing,
        intervention_id: null,
        problem:
          r.seq > missing
            ? `record #${missing} is missing (the log goes from #${lastSeq} to #${r.seq})`
            : `record #${r.seq} is out of order (after #${lastSeq})`,
      };
    }
    const prev = last.get(r.org_id) ?? GENESIS_HASH;
    if (r.prev_hash !== prev)
      return {
        seq: r.seq,
        intervention_id: r.intervention_id,
        problem: "prev_hash does not match the previous record",
      };
    if (recordHash(r.prev_hash, r) !== r.hash)
      return {
        seq: r.seq,
        intervention_id: r.intervention_id,
        problem: "hash does not match the record's contents",
      };
    last.set(r.org_id, r.hash);
    lastSeq = r.seq;
    lastHash = r.hash;
    lastId = r.intervention_id;
  }
  if (opts.head === undefined) return null;
  const head = opts.head;
  if (head === null)
    return lastSeq === 0
      ? null
      : {
          seq: lastSeq,
          intervention_id: null,
          problem: "the chain head is missing: the log cannot be trusted",
        };
  if (lastSeq < head.seq)
    return {
      seq: lastSeq + 1,
      intervention_id: null,
      problem: `record #${lastSeq + 1} is missing: the log ends at #${lastSeq} but its head is #${head.seq} (records were cut off the end)`,
    };
  if (lastSeq > head.seq)
    return {
      seq: head.seq + 1,
      intervention_id: null,
      problem: `record #${head.seq + 1} comes after the chain head (#${head.seq}): it was not written by the gateway`,
    };
  if (lastHash !== head.hash)
    return {
      seq: lastSeq,
      intervention_id: lastId,
      problem: `record #${lastSeq} does not match the chain head's hash`,
    };
  return null;
}
