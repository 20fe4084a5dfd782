/**
 * A refused intervention in words a supervisor understands. Covers every
 * protocol error code (§5) plus what the worker reports on its own (HTTP_*).
 * The gateway's message is untrusted text: it is only ever rendered as text.
 */
import type { ErrorCode } from "../protocol";

export function retrySeconds(retryAfterMs: number | undefined): number | null {
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs < 0) return null;
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

const FIXED: Record<
  Exclude<ErrorCode, "RATE_LIMITED" | "VALIDATION_FAILED" | "REASON_REQUIRED" | "CONFLICT">,
  string
> = {
  UNAUTHENTICATED: "You are signed out — check the token in the options",
  FORBIDDEN: "You don't have permission to intervene",
  SESSION_NOT_FOUND: "This session no longer exists",
  SESSION_ENDED: "Session has already ended",
  IDEMPOTENCY_MISMATCH: "This action was already sent with different details — start it again",
  IN_PROGRESS: "The gateway is still working on this action — wait a moment",
  AUDIT_UNAVAILABLE: "The audit log can't be written right now, so nothing was done — try again later",
  INTERNAL: "The gateway had an internal error — try again",
};

const isKnown = (code: string): code is keyof typeof FIXED => Object.hasOwn(FIXED, code);

/** Strips the field path the gateway puts in front ("payload.text: …") and trims the end. */
function plain(message: string): string {
  const m = message.replace(/^[a-z_.]+:\s*/i, "").trim();
  return m.length > 200 ? `${m.slice(0, 199)}…` : m;
}

export function describeCommandError(code: string, message: string, retryAfterMs?: number): string {
  if (code === "RATE_LIMITED") {
    const s = retrySeconds(retryAfterMs);
    return s === null ? "Too many actions — try again shortly" : `Too many actions — try again in ${s} s`;
  }
  if (code === "REASON_REQUIRED") return "A reason of 3–500 characters is required";
  if (code === "VALIDATION_FAILED") {
    const detail = plain(message);
    return detail
      ? `The gateway refused the details: ${detail}`
      : "The gateway refused the details of this action";
  }
  // The gateway names the supervisor holding the take-over.
  if (code === "CONFLICT") return plain(message) || "Another supervisor has taken over this conversation";
  if (isKnown(code)) return FIXED[code];
  const status = /^HTTP_(\d{3})$/.exec(code);
  if (status) return `The gateway answered with an error (HTTP ${status[1]}) — try again`;
  const detail = plain(message);
  return detail ? `The gateway refused the action: ${detail}` : "The gateway refused the action";
}
