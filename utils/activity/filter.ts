/** The activity feed's filter: which kinds, which session. Pure; the panel keeps the choice in signals. */
import type { ActivityEntry } from "./activity-schema";
import { type FeedKind, feedKindOf, sessionOf } from "./kinds";

export interface ActivityFilter {
  /** Kinds shown; every kind when empty. */
  kinds: ReadonlySet<FeedKind>;
  /** Only this session's entries, or all. */
  session: string | null;
}

export const NO_ACTIVITY_FILTER: ActivityFilter = { kinds: new Set(), session: null };

export function isFiltering(f: ActivityFilter): boolean {
  return f.kinds.size > 0 || f.session !== null;
}

export function matchesActivity(e: ActivityEntry, f: ActivityFilter): boolean {
  if (f.kinds.size > 0 && !f.kinds.has(feedKindOf(e))) return false;
  return f.session === null || sessionOf(e) === f.session;
}

/** The entries the filter lets through, in the same order; the same array when nothing is filtered. */
export function filterActivity(
  entries: readonly ActivityEntry[],
  f: ActivityFilter,
): readonly ActivityEntry[] {
  if (!isFiltering(f)) return entries;
  return entries.filter((e) => matchesActivity(e, f));
}

/** A session's name in the log, "User · Agent", from its newest entry that carries names; null if none does. */
export function activityName(entries: readonly ActivityEntry[], sessionId: string): string | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i] as ActivityEntry;
    if (e.who && sessionOf(e) === sessionId) return `${e.who.user} · ${e.who.agent}`;
  }
  return null;
}
