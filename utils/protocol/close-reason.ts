/**
 * (Extension of v1, §6.) The reason of a 42xx close may be a JSON object
 * instead of plain text: `{"reason": "server restarting", "retry_after_ms": 800}`.
 * The gateway sizes `retry_after_ms` to how many sockets it is closing and its
 * handshake budget; a client reconnects at a uniformly random moment in
 * `[0, retry_after_ms]` (instead of its own default spread). A plain-text
 * reason, or JSON that fails this schema, is read as text without a hint.
 * A WebSocket close reason holds at most 123 bytes: the object stays short.
 */
import * as v from "valibot";
import { parseJson } from "./decode";

/** Longest spread a gateway may ask for; a larger value is clamped by the client. */
export const MAX_RETRY_AFTER_MS = 120_000;

export const CloseReason = v.object({
  reason: v.pipe(v.string(), v.maxLength(100)),
  retry_after_ms: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type CloseReason = v.InferOutput<typeof CloseReason>;

/** The close reason to send: JSON with the spread (fits the 123-byte limit for reasons up to ~80 chars). */
export function encodeCloseReason(reason: string, retryAfterMs: number): string {
  return JSON.stringify({
    reason: reason.slice(0, 80),
    retry_after_ms: Math.max(0, Math.round(retryAfterMs)),
  });
}

/** Reads a close reason: its text, and the spread the gateway asked for when it gave one. */
export function decodeCloseReason(raw: string): { text: string; retryAfterMs: number | null } {
  if (!raw.startsWith("{")) return { text: raw, retryAfterMs: null };
  const parsed = parseJson(raw);
  const r = parsed.ok ? v.safeParse(CloseReason, parsed.value) : null;
  if (!r?.success) return { text: raw, retryAfterMs: null };
  return { text: r.output.reason, retryAfterMs: Math.min(r.output.retry_after_ms, MAX_RETRY_AFTER_MS) };
}
