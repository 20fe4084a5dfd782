/**
 * What a panel asks the worker to show: a view of the active sessions — the
 * filter, the order, the grouping, and the range of rows on its screen
 * (plus overscan) — and the sessions it needs whatever the range (the open
 * conversation). Validated where it enters the worker; types inferred.
 */
import * as v from "valibot";
import { FilterSpecSchema } from "../filters";
import { Id, Session } from "../protocol";
import { SORT_MODES } from "./session-sort";

/** The most rows one view answer carries (a tall screen plus overscan, many times over). */
export const MAX_VIEW_ROWS = 500;
/** The most sessions a view keeps in its answers whatever the range. */
export const MAX_PINNED = 10;

export const GROUPINGS = ["unified", "grouped"] as const;
export type Grouping = (typeof GROUPINGS)[number];

const RowIndex = v.pipe(v.number(), v.integer(), v.minValue(0));

export const ViewRangeSchema = v.pipe(
  v.object({
    start: RowIndex,
    end: RowIndex,
    /**
     * The row the panel holds still (its top row) and where it was when the panel asked: when it has moved
     * since, the range moves with it, so the answer already holds the rows around it.
     */
    anchor: v.optional(v.object({ id: Id, at: RowIndex })),
  }),
  v.check((r) => r.end >= r.start, "end must not be before start"),
  v.check((r) => r.end - r.start <= MAX_VIEW_ROWS, `at most ${MAX_VIEW_ROWS} rows`),
);
export type ViewRange = v.InferOutput<typeof ViewRangeSchema>;

export const ViewSpecSchema = v.object({
  /** The panel's number for this spec, echoed in the answers (a later filter makes earlier answers stale). */
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  filter: FilterSpecSchema,
  sort: v.picklist(SORT_MODES),
  grouping: v.picklist(GROUPINGS),
  range: ViewRangeSchema,
  pinned: v.optional(v.pipe(v.array(Id), v.maxLength(MAX_PINNED, `at most ${MAX_PINNED} pinned sessions`))),
});
export type ViewSpec = v.InferOutput<typeof ViewSpecSchema>;

/** An agent's header in the grouped view, with how many matching sessions it has. */
export const GroupHeaderSchema = v.object({
  kind: v.literal("group"),
  agent_id: v.string(),
  name: v.string(),
  color: v.string(),
  count: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type GroupHeader = v.InferOutput<typeof GroupHeaderSchema>;

/** A row of the session list: a session id, or an agent's header in the grouped view. */
export type ListRow = string | GroupHeader;

/** An agent that has active sessions: how many, and how many of them are in review mode. */
export const AgentSummarySchema = v.object({
  id: v.string(),
  name: v.string(),
  color: v.string(),
  sessions: v.pipe(v.number(), v.integer(), v.minValue(0)),
  reviewing: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type AgentSummary = v.InferOutput<typeof AgentSummarySchema>;

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

/**
 * The answer to a panel's view (`view` from the panel): the counts, where every group header sits, and the
 * rows in the asked range with their sessions — only those this panel does not hold as they are now.
 */
export const ViewUpdateSchema = v.object({
  /** The `seq` of the view spec this answers. */
  seq: Count,
  /** Active sessions, filtered or not. */
  total: Count,
  /** Sessions the filter lets through. */
  count: Count,
  /** Rows of the whole list (matching sessions and group headers). */
  rowCount: Count,
  headers: v.array(v.object({ index: Count, header: GroupHeaderSchema })),
  /** The first row of `rows`. */
  start: Count,
  rows: v.array(v.union([v.string(), GroupHeaderSchema])),
  /** The pinned sessions that exist (an open conversation whose session ended is not among them). */
  pinned: v.array(v.string()),
  /** Where each pinned session's row is in the whole list, when the filter lets it through. */
  pinnedRows: v.record(v.string(), Count),
  /** Sessions of the rows in range and the pinned ones that this panel does not have as they are now. */
  sessions: v.array(Session),
  /** Session id → where the keyword matched in its conversation (the preview does not show it). */
  snippets: v.record(v.string(), v.string()),
  /** Sessions in range whose older messages fell out of the keyword index. */
  partial: v.array(v.string()),
  /** Every agent with active sessions, when that changed since this panel was last told. */
  agents: v.optional(v.array(AgentSummarySchema)),
});
export type ViewUpdate = v.InferOutput<typeof ViewUpdateSchema>;
