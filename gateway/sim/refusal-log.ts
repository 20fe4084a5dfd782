/**
 * Refusals a runtime gets, logged once per session and reason, then only
 * counted (issue 19): a simulation that keeps publishing to a session the
 * gateway ended must not flood the log with one line per frame.
 */
import type { Logger } from "pino";

export interface RefusalLog {
  /** Logs the first refusal of this session and code; counts the rest. */
  note(sessionId: string | null, code: string, detail: Record<string, unknown>): void;
  /** Refusals seen (logged or not). */
  readonly total: number;
  /** Refusals counted without a log line. */
  readonly silenced: number;
}

/** Distinct (session, code) pairs remembered; beyond it the oldest are forgotten (and may log again). */
const REMEMBERED = 10_000;

export function createRefusalLog(log: Logger, what: string): RefusalLog {
  const seen = new Set<string>();
  let total = 0;
  let silenced = 0;
  return {
    note(sessionId, code, detail) {
      total++;
      const key = `${sessionId ?? "-"}\u0000${code}`;
      if (seen.has(key)) {
        silenced++;
        return;
      }
      seen.add(key);
      if (seen.size > REMEMBERED) {
        const first = seen.values().next();
        if (!first.done) seen.delete(first.value);
      }
      log.warn(
        { session: sessionId, code, ...detail },
        `${what} (logged once per session and reason; further ones are counted)`,
      );
    },
    get total() {
      return total;
    },
    get silenced() {
      return silenced;
    },
  };
}
