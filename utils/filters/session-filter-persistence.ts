/**
 * FilterPersistence over `browser.storage.session`: the active filter lives as
 * long as the browser session, shared by every panel of this profile, and is
 * gone after a browser restart (saved views are the durable form).
 *
 *   const persistence = createSessionFilterPersistence(browser.storage?.session ?? null); // the panel's entrypoint
 *
 * `area` null = not available (Firefox < 115): nothing is kept and `load` says so.
 */
import {
  decodeStoredFilter,
  encodeStoredFilter,
  FILTER_STORAGE_KEY,
  type FilterPersistence,
} from "./filter-persistence";

/** The slice of a `storage` area used here, so tests can hand in `fakeBrowser.storage.session`. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export function createSessionFilterPersistence(
  area: SessionArea | null,
  key = FILTER_STORAGE_KEY,
): FilterPersistence {
  if (!area) {
    return {
      async load() {
        return {
          spec: null,
          problem: "This browser has no session storage; filters will reset when the panel reloads.",
        };
      },
      async save() {},
    };
  }
  return {
    async load() {
      try {
        const got = await area.get(key);
        return decodeStoredFilter(got[key]);
      } catch (e) {
        return { spec: null, problem: `Could not read the saved filters: ${errorText(e)}` };
      }
    },
    async save(spec) {
      await area.set({ [key]: encodeStoredFilter(spec) });
    },
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
