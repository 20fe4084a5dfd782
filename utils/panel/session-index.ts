/**
 * The sessions the panel knows, keyed by id, each in its own signal so a
 * changed session re-renders only its own card. The id order (most recent
 * activity first, or by risk, or waiting for a human first: `session-sort.ts`)
 * is kept in one array that is re-sorted in place: after a patch it is nearly
 * sorted, which the engine's TimSort handles in ~O(n).
 */
import { type ReadonlySignal, type Signal, signal } from "@preact/signals";
import type { Session } from "../protocol";
import { comparator, type SortKeys, type SortMode, sameKeys, sortKeys } from "../query";

const ENDED_CACHE = 500;

export interface SessionIndex {
  get(id: string): ReadonlySignal<Session> | undefined;
  /** A session that recently left the list (ended), so its conversation can still be shown. */
  getEnded(id: string): Session | undefined;
  has(id: string): boolean;
  size(): number;
  /** Returns the previous value (undefined if new) and whether the order may have changed. */
  upsert(s: Session): { prev: Session | undefined; moved: boolean };
  remove(ids: Iterable<string>): boolean;
  /** Keeps only these ids. */
  retain(keep: Set<string>): boolean;
  /** Sorted copy of the ids in the given order (most recent activity first by default). */
  sortedIds(mode?: SortMode): string[];
}

export function createSessionIndex(): SessionIndex {
  const byId = new Map<string, Signal<Session>>();
  const keys = new Map<string, SortKeys>();
  const ended = new Map<string, Session>();
  let ids: string[] = [];
  const cmps: Record<SortMode, (a: string, b: string) => number> = {
    recent: comparator("recent", keys),
    risk: comparator("risk", keys),
    handoff: comparator("handoff", keys),
  };

  const remove = (list: Iterable<string>) => {
    const gone = new Set<string>();
    for (const id of list) {
      const sig = byId.get(id);
      if (!sig) continue;
      byId.delete(id);
      keys.delete(id);
      gone.add(id);
      ended.delete(id);
      ended.set(id, { ...sig.peek(), status: "ended" });
      if (ended.size > ENDED_CACHE) {
        const oldest = ended.keys().next().value;
        if (oldest !== undefined) ended.delete(oldest);
      }
    }
    if (gone.size === 0) return false;
    ids = ids.filter((id) => !gone.has(id));
    return true;
  };

  return {
    get: (id) => byId.get(id),
    getEnded: (id) => ended.get(id),
    has: (id) => byId.has(id),
    size: () => byId.size,
    upsert(s) {
      const sig = byId.get(s.id);
      const key = sortKeys(s);
      if (sig) {
        const prev = sig.peek();
        sig.value = s;
        const moved = !sameKeys(keys.get(s.id), key);
        keys.set(s.id, key);
        return { prev, moved };
      }
      byId.set(s.id, signal(s));
      keys.set(s.id, key);
      ended.delete(s.id);
      ids.push(s.id);
      return { prev: undefined, moved: true };
    },
    remove,
    retain(keep) {
      const drop: string[] = [];
      for (const id of byId.keys()) if (!keep.has(id)) drop.push(id);
      return remove(drop);
    },
    sortedIds(mode = "recent") {
      ids.sort(cmps[mode]);
      return ids.slice();
    },
  };
}
