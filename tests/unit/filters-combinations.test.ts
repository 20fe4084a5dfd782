/**
 * Every combination of filters against a naive reference: random sessions,
 * messages and specs (seeded), the worker's view (`utils/query/`, fed the spec
 * by the panel's filter model) must show exactly what a plain
 * re-implementation of the rules lets through, in the view's order, and the
 * model must count as many — also after time passes, messages arrive and
 * sessions change.
 */
import { describe, expect, it } from "vitest";
import {
  createFilterModel,
  EMPTY_FILTER,
  FILTER_DIMENSIONS,
  type FilterDimension,
  type FilterSpec,
} from "@/utils/filters";
import { CHANNELS, PRIORITIES, SESSION_STATUSES, type Session } from "@/utils/protocol";
import { makeSession } from "../fixtures/frames";
import { createFilterQuery } from "../helpers/filter-query";

let seed = 7;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const some = <T>(list: readonly T[]): T[] => list.filter(() => rand() < 0.4);
const WORDS = ["refund", "order", "Parcel", "late", "card", "REFUND", "hello"];
const T0 = Date.parse("2026-06-24T16:30:00.000Z");
const MIN = 60_000;

function reference(
  spec: FilterSpec,
  s: Session,
  now: number,
  messages: ReadonlyMap<string, string[]>,
): boolean {
  // The view is of the active sessions: an ended one is never shown, whatever the filter.
  if (s.status === "ended") return false;
  if (spec.agents !== "all" && !spec.agents.includes(s.agent.id)) return false;
  if (spec.channels.length && !spec.channels.includes(s.channel)) return false;
  if (spec.priorities.length && !spec.priorities.includes(s.priority)) return false;
  if (spec.statuses.length && !spec.statuses.includes(s.status)) return false;
  if (spec.duration) {
    const age = now - Date.parse(s.started_at);
    const limit = spec.duration.minutes * MIN;
    if (spec.duration.op === "longer" ? age <= limit : age >= limit) return false;
  }
  const k = spec.keyword.trim().toLowerCase();
  if (k) {
    const texts = [s.preview, ...(messages.get(s.id) ?? [])].map((t) => t.toLowerCase());
    if (!texts.some((t) => t.includes(k))) return false;
  }
  return true;
}

function randomSpec(dims: readonly FilterDimension[]): FilterSpec {
  const spec: { -readonly [K in keyof FilterSpec]: FilterSpec[K] } = { ...EMPTY_FILTER };
  for (const d of dims) {
    if (d === "agents") spec.agents = some(["a0", "a1", "a2", "a3"]);
    if (d === "channels") spec.channels = some(CHANNELS);
    if (d === "priorities") spec.priorities = some(PRIORITIES);
    if (d === "statuses") spec.statuses = some(SESSION_STATUSES);
    if (d === "duration")
      spec.duration = { op: rand() < 0.5 ? "longer" : "shorter", minutes: Math.floor(rand() * 30) };
    if (d === "keyword") spec.keyword = ` ${pick(WORDS)}${rand() < 0.3 ? " " : ""}`;
  }
  return spec;
}

describe("filter combinations against a reference", () => {
  it("agrees for every pair and triple of dimensions, over time, as messages arrive and sessions change", () => {
    const sessions: Session[] = Array.from(
      { length: 120 },
      (_, i) =>
        makeSession({
          id: `s${i}`,
          agent: { id: `a${i % 4}`, name: `A${i % 4}`, color: "#123456" },
          channel: pick(CHANNELS),
          priority: pick(PRIORITIES),
          status: pick(SESSION_STATUSES),
          started_at: new Date(T0 - Math.floor(rand() * 30 * MIN)).toISOString(),
          preview: rand() < 0.2 ? `about my ${pick(WORDS)}` : "hi",
        }) as Session,
    );
    const q = createFilterQuery(sessions, { now: T0 });
    const messages = new Map<string, string[]>();
    const filters = createFilterModel({ count: q.count, total: q.total });
    q.follow(filters);
    const live = () => sessions.filter((s) => s.status !== "ended").length;
    /** Some sessions change (priority, status, preview) the way the worker's store would see them. */
    const changeSessions = (n: number) => {
      for (let i = 0; i < n; i++) {
        const at = Math.floor(rand() * sessions.length);
        const before = sessions[at] as Session;
        if (before.status === "ended") continue; // an ended session does not come back
        const after: Session = {
          ...before,
          priority: pick(PRIORITIES),
          status: pick(SESSION_STATUSES),
          preview: rand() < 0.3 ? `now about ${pick(WORDS)}` : before.preview,
        };
        sessions[at] = after;
        q.put(after);
      }
    };
    let msgSeq = 0;
    const addMessages = (n: number) => {
      for (let i = 0; i < n; i++) {
        const id = `s${Math.floor(rand() * 120)}`;
        const text = `${pick(WORDS)} ${pick(WORDS)}`;
        q.addMessages([{ session_id: id, id: `m${++msgSeq}`, text }]);
        messages.set(id, [...(messages.get(id) ?? []), text]);
      }
    };
    addMessages(60);

    const combos: FilterDimension[][] = [];
    for (const a of FILTER_DIMENSIONS) {
      combos.push([a]);
      for (const b of FILTER_DIMENSIONS) {
        if (a < b) combos.push([a, b]);
        for (const c of FILTER_DIMENSIONS) if (a < b && b < c) combos.push([a, b, c]);
      }
    }
    combos.push([...FILTER_DIMENSIONS]);

    let checked = 0;
    let partial = 0;
    for (const dims of combos) {
      for (let r = 0; r < 4; r++) {
        filters.replace(randomSpec(dims));
        for (const step of [0, 1, 2]) {
          if (step === 1) q.setNow(q.now + Math.floor(rand() * 10 * MIN));
          if (step === 2) {
            addMessages(5);
            changeSessions(3);
          }
          const want = new Set(
            sessions.filter((s) => reference(filters.spec.value, s, q.now, messages)).map((s) => s.id),
          );
          const inOrder = q.query.order.sorted("recent").filter((id) => want.has(id));
          expect(q.matching()).toEqual(inOrder);
          expect(filters.count.value).toBe(want.size);
          expect(filters.total.value).toBe(live());
          checked++;
          if (want.size > 0 && want.size < live()) partial++;
        }
      }
    }
    expect(checked).toBe(combos.length * 12);
    expect(partial).toBeGreaterThan(checked / 3); // most checks split the list, not all or nothing
  });
});
