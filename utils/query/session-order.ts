/**
 * The active sessions' ids in the order asked for (`session-sort.ts`): each
 * session reduced to numeric keys once per change. The first ask for an
 * order sorts once; after that the sorted array is kept up to date one
 * session at a time — a changed session is taken out where its old keys put
 * it and put back where its new ones do (two binary searches, two moves) —
 * so a flush with k changed sessions costs O(k log n) comparisons, not a sort
 * of all n. `version` counts every change to the membership or the order;
 * an array handed out is current until the next change.
 */
import type { Session } from "../protocol";
import { comparator, type SortKeys, type SortMode, sameKeys, sortKeys } from "./session-sort";

export interface SessionOrder {
  /** Records a new or changed session; returns whether its place may have changed. */
  upsert(s: Session): boolean;
  remove(id: string): boolean;
  has(id: string): boolean;
  readonly size: number;
  /** The ids in this order (kept up to date in place: read it again after a change). */
  sorted(mode: SortMode): readonly string[];
  /** Bumped when sessions join or leave or a sort key changes. */
  readonly version: number;
}

export function createSessionOrder(): SessionOrder {
  const keys = new Map<string, SortKeys>();
  /** The orders asked for so far, each kept sorted. */
  const sortedBy = new Map<SortMode, string[]>();
  let version = 0;
  const cmps: Record<SortMode, (a: string, b: string) => number> = {
    recent: comparator("recent", keys),
    risk: comparator("risk", keys),
    handoff: comparator("handoff", keys),
  };

  /** Where `id` is (or would go) in `ids` under `cmp`, by its keys as they are in `keys` now. */
  const place = (ids: readonly string[], id: string, cmp: (a: string, b: string) => number): number => {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(ids[mid] as string, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const takeOut = (id: string) => {
    for (const [mode, ids] of sortedBy) {
      const at = place(ids, id, cmps[mode]);
      if (ids[at] === id) ids.splice(at, 1);
    }
  };
  const putIn = (id: string) => {
    for (const [mode, ids] of sortedBy) ids.splice(place(ids, id, cmps[mode]), 0, id);
  };

  return {
    upsert(s) {
      const next = sortKeys(s);
      const prev = keys.get(s.id);
      if (prev && sameKeys(prev, next)) return false;
      if (prev) takeOut(s.id); // found by its old keys
      keys.set(s.id, next);
      putIn(s.id);
      version++;
      return true;
    },
    remove(id) {
      if (!keys.has(id)) return false;
      takeOut(id);
      keys.delete(id);
      version++;
      return true;
    },
    has: (id) => keys.has(id),
    get size() {
      return keys.size;
    },
    sorted(mode) {
      let ids = sortedBy.get(mode);
      if (!ids) {
        ids = [...keys.keys()].sort(cmps[mode]);
        sortedBy.set(mode, ids);
      }
      return ids;
    },
    get version() {
      return version;
    },
  };
}
