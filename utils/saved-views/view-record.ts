/**
 * What a saved view is, on disk and in the UI, and the four example views a
 * user starts with. Records are validated on every read: IndexedDB content is
 * as untrusted as the network (an older build, a manual edit, a bug).
 */
import * as v from "valibot";
import { EMPTY_FILTER, type FilterSpec, FilterSpecSchema } from "../filters";
import { type RecordDecode, recordDecoder, type UserRecordProblem } from "../user-db";

export const VIEW_NAME_MAX = 60;

/** A view as stored in schema version 1 (object store `views`, key `[userId, id]`). */
export const ViewRecordSchema = v.object({
  userId: v.pipe(v.string(), v.minLength(1)),
  id: v.pipe(v.string(), v.minLength(1)),
  name: v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(VIEW_NAME_MAX)),
  spec: FilterSpecSchema,
  createdAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
  updatedAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export interface ViewRecord {
  userId: string;
  id: string;
  name: string;
  spec: FilterSpec;
  createdAt: number;
  updatedAt: number;
}

/** A saved view as the UI sees it. */
export type SavedView = Omit<ViewRecord, "userId">;

/** A record that could not be read; it is skipped, the others still load. */
export type ViewProblem = UserRecordProblem;

export const decodeViewRecord: RecordDecode<ViewRecord> = recordDecoder(ViewRecordSchema);

/** The example views created once per user on first use (ids are fixed, so seeding is idempotent). */
export const EXAMPLE_VIEWS: readonly { id: string; name: string; spec: FilterSpec }[] = [
  {
    id: "example-high-priority",
    name: "High Priority",
    spec: { ...EMPTY_FILTER, priorities: ["urgent", "high"] },
  },
  { id: "example-whatsapp", name: "WhatsApp Monitoring", spec: { ...EMPTY_FILTER, channels: ["whatsapp"] } },
  { id: "example-errors", name: "Errors Only", spec: { ...EMPTY_FILTER, statuses: ["error"] } },
  {
    id: "example-long-sessions",
    name: "Long Sessions",
    spec: { ...EMPTY_FILTER, duration: { op: "longer", minutes: 10 }, statuses: ["active"] },
  },
];

/** A view name as stored: trimmed, inner whitespace collapsed. */
export function cleanViewName(name: string): string {
  return name.replace(/\s+/g, " ").trim();
}
