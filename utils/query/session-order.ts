/**
 * The active sessions' ids in the order asked for (`session-sort.ts`): each
 * session reduced to numeric keys once per change; per order, a sorted array
 * rebuilt only when a key changed or sessions joined or left — from the last
 * one, which is then nearly sorted, so the engine's TimSort takes ~O(n). Each
 * rebuild makes a new array: one handed out is never changed afterwards.
 */
import type { Session } from "../protocol";
import { comparator, type SortKeys, type SortMode, sameKeys, sortKeys } from "./session-sort";

export interface SessionOrder {
  /** Records a new or changed session; returns whether its place may have changed. */
  upsert(s: Session): boolean;
  remove(id: string): boolean;
  has(id: string): boolean;
  readonly size: number;
  /** The ids in this order (a fresh array after each change; never changed once returned). */
  sorted(mode: SortMode): readonly string[];
  /** Bumped when sessions join or leave or a sort key changes. */
  readonly version: number;
}

export function createSessionOrder(): SessionOrder {
  const keys = new Map<string, SortKeys>();
  const cache = new Map<SortMode, { ids: readonly string[]; version: number }>();
  let version = 0;
  const cmps: Record<SortMode, (a: string, b: string) => number> = {
    recent: comparator("recent", keys),
    risk: comparator("risk", keys),
    handoff: comparator("handoff", keys),
  };
  return {
    upsert(s) {
      const next = sortKeys(s);
      const prev = keys.get(s.id);
      if (prev && sameKeys(prev, next)) return false;
      keys.set(s.id, next);
      version++;
      return true;
    },
    remove(id) {
      if (!keys.delete(id)) return false;
      version++;
      return true;
    },
    has: (id) => keys.has(id),
    get size() {
      return keys.size;
    },
    sorted(mode) {
      const last = cache.get(mode);
      if (last && last.version === version) return last.ids;
      const ids = last ? last.ids.filter((id) => keys.has(id)) : [];
      if (ids.length < keys.size) {
        const have = new Set(ids);
        for (const id of keys.keys()) if (!have.has(id)) ids.push(id);
      }
      ids.sort(cmps[mode]);
      cache.set(mode, { ids, version });
      return ids;
    },
    get version() {
      return version;
    },
  };
}
