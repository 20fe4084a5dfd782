/**
 * Whether a snapshot's session says the same as the one the store holds, so a
 * resync can keep the held object (and nothing downstream sees a change).
 * No field of a Session is a version: `last_activity_at` moves with every
 * event but two events can share a millisecond, so equality is structural —
 * JSON's meaning (key order and keys holding `undefined` do not count), the
 * fields most events move compared first. `viewers` is the worker's own
 * (presence, never in a snapshot) and is left out.
 */
import type { Session } from "../protocol";

export function sameSession(held: Session, fresh: Session): boolean {
  if (
    held.last_activity_at !== fresh.last_activity_at ||
    held.message_count !== fresh.message_count ||
    held.status !== fresh.status ||
    held.preview !== fresh.preview
  )
    return false;
  return sameJson(held, fresh, "viewers");
}

/** Equal as JSON. Depth is bounded: every decoded value is at most `MAX_JSON_DEPTH` deep. */
export function sameJson(a: unknown, b: unknown, skipKey?: string): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    const value = x[k];
    if (value === undefined || k === skipKey) continue;
    keys++;
    if (!sameJson(value, y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined && k !== skipKey) keys--;
  return keys === 0;
}
