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

export type ChainProblem = { seq: number; intervention_id: string; problem: string };

/** Checks records (in log order, any mix of orgs); returns the first bad one or null. */
export function verifyChain(records: Iterable<AuditRecord>): ChainProblem | null {
  const last = new Map<string, string>();
  for (const r of records) {
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
  }
  return null;
}
