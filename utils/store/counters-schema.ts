/** The stream's health figures (diagnostics view) as they leave the worker: schema first, type inferred. */
import * as v from "valibot";

const Count = v.pipe(v.number(), v.minValue(0));

export const CountersSchema = v.object({
  events_applied: Count,
  duplicates_dropped: Count,
  gaps: Count,
  resyncs: Count,
  frames_rejected: Count,
  reconnects: Count,
});
export type Counters = v.InferOutput<typeof CountersSchema>;
