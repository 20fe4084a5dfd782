/**
 * A test hook of the extension's worker (`globalThis.__lc.seqTap`): while
 * enabled, it records the numbered events and snapshots the worker applied,
 * run-length encoded (a contiguous stream of one epoch is one record), so a
 * soak can audit millions of events for loss, duplicates and order from
 * outside (CDP) by draining it now and then. Off by default: it records
 * nothing until a test enables it, and never holds more than `limit` records.
 */
export type SeqRecord =
  /** Events `from`..`to` (inclusive) of `epoch`, applied one after the other. */
  | { kind: "events"; epoch: string; from: number; to: number }
  | { kind: "snapshot"; epoch: string; seq: number };

export interface SeqTap {
  enable(): void;
  event(epoch: string, seq: number): void;
  snapshot(epoch: string, seq: number): void;
  /** The records since the last drain (and whether some were dropped for the limit). */
  drain(): { records: SeqRecord[]; overflowed: boolean };
}

export function createSeqTap(limit = 100_000): SeqTap {
  let enabled = false;
  let overflowed = false;
  let records: SeqRecord[] = [];
  const push = (r: SeqRecord) => {
    if (records.length >= limit) overflowed = true;
    else records.push(r);
  };
  return {
    enable() {
      enabled = true;
    },
    event(epoch, seq) {
      if (!enabled) return;
      const last = records[records.length - 1];
      if (last?.kind === "events" && last.epoch === epoch && last.to + 1 === seq) last.to = seq;
      else push({ kind: "events", epoch, from: seq, to: seq });
    },
    snapshot(epoch, seq) {
      if (enabled) push({ kind: "snapshot", epoch, seq });
    },
    drain() {
      const out = { records, overflowed };
      records = [];
      overflowed = false;
      return out;
    },
  };
}
