/**
 * A benchmark hook of the extension's worker (`globalThis.__lc.deltaTap`):
 * while enabled, it stamps each token delta the worker applied (epoch ms),
 * run-length encoded (consecutive deltas of one reply applied in the same
 * millisecond are one record), so the bench can split token-to-paint into
 * hops from outside (CDP). Off by default: until enabled it records nothing
 * (one boolean test per delta), and it never holds more than `limit` records.
 */
export interface DeltaRecord {
  message_id: string;
  /** Delta indexes `from`..`to` (inclusive) of the reply, applied at `at`. */
  from: number;
  to: number;
  at: number;
}

export interface DeltaTap {
  enable(): void;
  disable(): void;
  delta(messageId: string, idx: number): void;
  /** The records since the last drain (and whether some were dropped for the limit). */
  drain(): { records: DeltaRecord[]; overflowed: boolean };
}

export function createDeltaTap(limit = 100_000, now: () => number = Date.now): DeltaTap {
  let enabled = false;
  let overflowed = false;
  let records: DeltaRecord[] = [];
  return {
    enable() {
      enabled = true;
    },
    disable() {
      enabled = false;
    },
    delta(messageId, idx) {
      if (!enabled) return;
      const at = now();
      const last = records[records.length - 1];
      if (last && last.message_id === messageId && last.to + 1 === idx && last.at === at) last.to = idx;
      else if (records.length >= limit) overflowed = true;
      else records.push({ message_id: messageId, from: idx, to: idx, at });
    },
    drain() {
      const out = { records, overflowed };
      records = [];
      overflowed = false;
      return out;
    },
  };
}
