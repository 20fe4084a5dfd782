/**
 * The orders the session list offers: most recent activity first (default),
 * highest risk first, or sessions waiting for a human (the AI's hand-off
 * request, or the human queue) first, longest waiting on top. Ties fall back to recent activity.
 * Each session is reduced to numeric keys once per change, so a sort
 * compares numbers only.
 */
import { type Session, waitingSince } from "../protocol";

export const SORT_MODES = ["recent", "risk", "handoff"] as const;
export type SortMode = (typeof SORT_MODES)[number];

export const SORT_LABELS: Record<SortMode, string> = {
  recent: "Most recent activity first",
  risk: "Highest risk first",
  handoff: "Waiting for a human first",
};

export interface SortKeys {
  activity: number;
  risk: number;
  /** When the hand-off was requested (epoch ms), or +Infinity when none waits. */
  handoff: number;
}

function time(iso: string | undefined): number {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(t) ? 0 : t;
}

export function sortKeys(s: Session): SortKeys {
  return {
    activity: time(s.last_activity_at),
    risk: s.risk?.score ?? -1,
    handoff: ((w) => (w === null ? Number.POSITIVE_INFINITY : time(w)))(waitingSince(s)),
  };
}

export function sameKeys(a: SortKeys | undefined, b: SortKeys): boolean {
  return a !== undefined && a.activity === b.activity && a.risk === b.risk && a.handoff === b.handoff;
}

/** The comparator of a mode over ids with known keys. */
export function comparator(
  mode: SortMode,
  keys: ReadonlyMap<string, SortKeys>,
): (a: string, b: string) => number {
  const none: SortKeys = { activity: 0, risk: -1, handoff: Number.POSITIVE_INFINITY };
  const recent = (a: string, b: string, ka: SortKeys, kb: SortKeys) =>
    kb.activity - ka.activity || (a < b ? -1 : a > b ? 1 : 0);
  return (a, b) => {
    const ka = keys.get(a) ?? none;
    const kb = keys.get(b) ?? none;
    if (mode === "risk" && ka.risk !== kb.risk) return kb.risk - ka.risk;
    if (mode === "handoff" && ka.handoff !== kb.handoff) return ka.handoff < kb.handoff ? -1 : 1;
    return recent(a, b, ka, kb);
  };
}
