/**
 * Pure predicates: does a session pass a filter?
 *
 * - `compileFilter(spec)` turns a spec into a fast predicate (lists become
 *   sets); use it to filter many sessions against one spec.
 * - `matchSession(spec, session, now, keywordHits)` is the one-off form.
 *
 * `now` is epoch ms (the duration filter compares `now - started_at`, so a
 * session crosses the threshold as time passes). `keywordHits` are the ids
 * whose indexed messages contain the keyword (`KeywordIndex.search`); the
 * session preview is matched here as well, so a session with no indexed
 * messages still matches on its preview. `null` hits = match the preview only.
 */
import type { Session } from "../protocol";
import { type FilterSpec, normalizeKeyword } from "./filter-spec";

export type SessionPredicate = (
  session: Session,
  now: number,
  keywordHits: ReadonlySet<string> | null,
) => boolean;

// Session objects are replaced, never mutated, when they change: cache per object.
const startedCache = new WeakMap<Session, number>();
const previewCache = new WeakMap<Session, string>();

/** Milliseconds since the session started (NaN when `started_at` is unreadable). */
export function sessionAgeMs(session: Session, now: number): number {
  let started = startedCache.get(session);
  if (started === undefined) {
    started = Date.parse(session.started_at);
    startedCache.set(session, started);
  }
  return now - started;
}

function lowerPreview(session: Session): string {
  let p = previewCache.get(session);
  if (p === undefined) {
    p = session.preview.toLowerCase();
    previewCache.set(session, p);
  }
  return p;
}

export function compileFilter(spec: FilterSpec): SessionPredicate {
  const agents = spec.agents === "all" ? null : new Set(spec.agents);
  const channels = spec.channels.length > 0 ? new Set<string>(spec.channels) : null;
  const priorities = spec.priorities.length > 0 ? new Set<string>(spec.priorities) : null;
  const statuses = spec.statuses.length > 0 ? new Set<string>(spec.statuses) : null;
  const duration = spec.duration;
  const limitMs = duration ? duration.minutes * 60_000 : 0;
  const keyword = normalizeKeyword(spec.keyword);

  return (session, now, keywordHits) => {
    if (agents && !agents.has(session.agent.id)) return false;
    if (channels && !channels.has(session.channel)) return false;
    if (priorities && !priorities.has(session.priority)) return false;
    if (statuses && !statuses.has(session.status)) return false;
    if (duration) {
      const age = sessionAgeMs(session, now);
      if (Number.isNaN(age)) return false;
      if (duration.op === "longer" ? !(age > limitMs) : !(age < limitMs)) return false;
    }
    if (keyword) {
      if (!keywordHits?.has(session.id) && !lowerPreview(session).includes(keyword)) return false;
    }
    return true;
  };
}

const compiled = new WeakMap<FilterSpec, SessionPredicate>();

export function matchSession(
  spec: FilterSpec,
  session: Session,
  now: number,
  keywordHits: ReadonlySet<string> | null = null,
): boolean {
  let p = compiled.get(spec);
  if (!p) {
    p = compileFilter(spec);
    compiled.set(spec, p);
  }
  return p(session, now, keywordHits);
}
