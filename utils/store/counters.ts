/** The stream's health figures shown in the diagnostics view (`Counters`, from counters-schema.ts). */
import type { Counters } from "./counters-schema";

export function createCounters(): Counters {
  return {
    events_applied: 0,
    duplicates_dropped: 0,
    gaps: 0,
    resyncs: 0,
    frames_rejected: 0,
    reconnects: 0,
  };
}
