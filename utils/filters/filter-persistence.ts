/**
 * Where the active filter is kept between panel reloads. The model only needs
 * `load` and `save`; the extension uses `storage.session`
 * (`session-filter-persistence.ts`), tests use `createMemoryFilterPersistence`.
 *
 * The stored value is `{ v: 1, spec }`. Whatever is read back is validated:
 * a bad value yields `{ spec: null, problem }` (the panel shows every session
 * and reports why), never an exception.
 */
import { decodeFilterSpec, type FilterSpec } from "./filter-spec";

export const FILTER_STORAGE_KEY = "lc_filters";
export const FILTER_STORAGE_VERSION = 1;

export interface FilterLoad {
  /** null when nothing usable was stored. */
  spec: FilterSpec | null;
  /** Why a stored value was not used (shown in the panel), else null. */
  problem: string | null;
}

export interface FilterPersistence {
  load(): Promise<FilterLoad>;
  save(spec: FilterSpec): Promise<void>;
}

export interface StoredFilter {
  v: typeof FILTER_STORAGE_VERSION;
  spec: FilterSpec;
}

export function encodeStoredFilter(spec: FilterSpec): StoredFilter {
  return { v: FILTER_STORAGE_VERSION, spec };
}

/** Judges a value read back from storage. `undefined` = nothing stored (no problem). */
export function decodeStoredFilter(raw: unknown): FilterLoad {
  if (raw === undefined || raw === null) return { spec: null, problem: null };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return {
      spec: null,
      problem: "The saved filters were unreadable (not an object); showing all sessions.",
    };
  }
  const rec = raw as { v?: unknown; spec?: unknown };
  if (rec.v !== FILTER_STORAGE_VERSION) {
    return {
      spec: null,
      problem: `The saved filters have an unknown format (version ${String(rec.v)}); showing all sessions.`,
    };
  }
  const r = decodeFilterSpec(rec.spec);
  if (!r.ok) {
    return { spec: null, problem: `The saved filters were unreadable (${r.error}); showing all sessions.` };
  }
  return { spec: r.spec, problem: null };
}

/** Keeps the stored value in memory (tests; or a browser without storage.session). */
export function createMemoryFilterPersistence(initial?: unknown): FilterPersistence & { stored(): unknown } {
  let value: unknown = initial;
  return {
    async load() {
      return decodeStoredFilter(value);
    },
    async save(spec) {
      value = structuredClone(encodeStoredFilter(spec));
    },
    stored: () => value,
  };
}
