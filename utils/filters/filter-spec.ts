/**
 * The filter definition: which sessions a supervisor wants to see.
 *
 * `FilterSpec` is a plain JSON value (it is persisted in `storage.session` and
 * in saved views), validated with `FilterSpecSchema` wherever it crosses a
 * boundary. Every dimension combines with AND; the values inside one dimension
 * combine with OR. An empty list means "no constraint", except `agents`, where
 * `"all"` means every agent (also agents that appear later) and `[]` means none
 * (every checkbox unticked).
 */
import * as v from "valibot";
import {
  CHANNELS,
  type Channel,
  PRIORITIES,
  type Priority,
  SESSION_STATUSES,
  type SessionStatus,
} from "../protocol";

/** The statuses offered by the filter bar (a spec may name any protocol status). */
export const FILTER_STATUSES = ["active", "thinking", "streaming", "paused", "error"] as const;
export const DURATION_OPS = ["longer", "shorter"] as const;
export const KEYWORD_MAX = 200;
export const DURATION_MAX_MINUTES = 7 * 24 * 60;

export type DurationOp = (typeof DURATION_OPS)[number];
export interface DurationFilter {
  op: DurationOp;
  minutes: number;
}

export const DurationFilterSchema = v.object({
  op: v.picklist(DURATION_OPS),
  minutes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(DURATION_MAX_MINUTES)),
});

const unique = <T>(list: T[]) => list.length === new Set(list).size;

export const FilterSpecSchema = v.object({
  agents: v.union([
    v.literal("all"),
    v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(200))), v.maxLength(1000), v.readonly()),
  ]),
  channels: v.pipe(v.array(v.picklist(CHANNELS)), v.check(unique, "must not repeat a channel"), v.readonly()),
  priorities: v.pipe(
    v.array(v.picklist(PRIORITIES)),
    v.check(unique, "must not repeat a priority"),
    v.readonly(),
  ),
  statuses: v.pipe(
    v.array(v.picklist(SESSION_STATUSES)),
    v.check(unique, "must not repeat a status"),
    v.readonly(),
  ),
  duration: v.nullable(DurationFilterSchema),
  keyword: v.pipe(v.string(), v.maxLength(KEYWORD_MAX, `must be at most ${KEYWORD_MAX} characters`)),
});

export interface FilterSpec {
  agents: readonly string[] | "all";
  channels: readonly Channel[];
  priorities: readonly Priority[];
  statuses: readonly SessionStatus[];
  duration: DurationFilter | null;
  keyword: string;
}

/** No filter: every session matches. */
export const EMPTY_FILTER: FilterSpec = Object.freeze({
  agents: "all",
  channels: [],
  priorities: [],
  statuses: [],
  duration: null,
  keyword: "",
});

export type FilterDimension = "agents" | "channels" | "priorities" | "statuses" | "duration" | "keyword";
export const FILTER_DIMENSIONS: readonly FilterDimension[] = [
  "agents",
  "channels",
  "priorities",
  "statuses",
  "duration",
  "keyword",
];

/** The keyword as matched: trimmed and lower-cased ("" = no keyword filter). */
export function normalizeKeyword(keyword: string): string {
  return keyword.trim().toLowerCase();
}

/** Whether one dimension constrains anything. */
export function isDimensionActive(spec: FilterSpec, d: FilterDimension): boolean {
  switch (d) {
    case "agents":
      return spec.agents !== "all";
    case "channels":
      return spec.channels.length > 0;
    case "priorities":
      return spec.priorities.length > 0;
    case "statuses":
      return spec.statuses.length > 0;
    case "duration":
      return spec.duration !== null;
    case "keyword":
      return normalizeKeyword(spec.keyword) !== "";
  }
}

export function isFilterActive(spec: FilterSpec): boolean {
  return FILTER_DIMENSIONS.some((d) => isDimensionActive(spec, d));
}

/** The spec with one dimension back to "no constraint". */
export function clearDimension(spec: FilterSpec, d: FilterDimension): FilterSpec {
  return { ...spec, [d]: EMPTY_FILTER[d] };
}

/** Same filter? Order inside a list does not matter; the keyword compares as matched. */
export function sameFilter(a: FilterSpec, b: FilterSpec): boolean {
  const sameSet = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((e) => y.includes(e));
  const agents =
    a.agents === "all" || b.agents === "all" ? a.agents === b.agents : sameSet(a.agents, b.agents);
  return (
    agents &&
    sameSet(a.channels, b.channels) &&
    sameSet(a.priorities, b.priorities) &&
    sameSet(a.statuses, b.statuses) &&
    (a.duration === null || b.duration === null
      ? a.duration === b.duration
      : a.duration.op === b.duration.op && a.duration.minutes === b.duration.minutes) &&
    normalizeKeyword(a.keyword) === normalizeKeyword(b.keyword)
  );
}

export type SpecDecode = { ok: true; spec: FilterSpec } | { ok: false; error: string };

/** Validates an untrusted value (storage, IndexedDB) as a FilterSpec. */
export function decodeFilterSpec(value: unknown): SpecDecode {
  const r = v.safeParse(FilterSpecSchema, value);
  if (r.success) return { ok: true, spec: r.output };
  const issue = r.issues[0];
  const path = v.getDotPath(issue) ?? "";
  return { ok: false, error: `${path ? `${path}: ` : ""}${issue.message}` };
}

/** Adds or removes one value of a list. */
export function toggleIn<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((x) => x !== value) : [...list, value];
}
