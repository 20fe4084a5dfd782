/** One panel's view as the worker feeds it: answers only when something shown changed, sessions only once. */
import { describe, expect, it } from "vitest";
import { EMPTY_FILTER } from "@/utils/filters";
import type { Session } from "@/utils/protocol";
import { createQueryService, createViewFeed, type ViewSpec, type ViewUpdate } from "@/utils/query";
import { makeSession } from "../fixtures/frames";

function setup() {
  const sessions = new Map<string, Session>();
  const query = createQueryService({ sessions });
  const put = (over: Record<string, unknown>) => {
    const s = makeSession(over) as Session;
    sessions.set(s.id, s);
    query.apply({ sessions: [s.id], removed: [] });
  };
  const sent: ViewUpdate[] = [];
  const spec: ViewSpec = {
    seq: 1,
    filter: EMPTY_FILTER,
    sort: "recent",
    grouping: "unified",
    range: { start: 0, end: 10 },
  };
  const feed = createViewFeed(query, spec, (u) => sent.push(u));
  return { put, sent, feed, spec };
}

describe("view feed", () => {
  it("sends a session once, again only when it changed, and nothing when nothing shown changed", () => {
    const { put, sent, feed, spec } = setup();
    put({ id: "s1" });
    put({ id: "s2", last_activity_at: "2026-06-24T16:31:00.000Z" });
    feed.push();
    expect(sent.at(-1)?.rows).toEqual(["s2", "s1"]);
    expect(sent.at(-1)?.sessions.map((s) => s.id)).toEqual(["s2", "s1"]);
    feed.push();
    expect(sent).toHaveLength(1);
    put({ id: "s1", preview: "changed" });
    feed.push();
    expect(sent.at(-1)?.sessions.map((s) => s.id)).toEqual(["s1"]);
    expect(sent.at(-1)?.agents).toBeUndefined(); // the agents did not change
    // A range move answers (with its own seq), without the sessions the panel holds.
    feed.setSpec({ ...spec, seq: 2, range: { start: 1, end: 10 } });
    feed.push();
    expect(sent.at(-1)).toMatchObject({ seq: 2, start: 1, rows: ["s1"], sessions: [] });
  });

  it("after a filter, order or grouping change it sends the window's sessions again", () => {
    // The panel drops answers to specs older than its last filter, order or grouping change (their rows may not
    // match), and the sessions they carried with them: the worker must not count those as held.
    const { put, sent, feed, spec } = setup();
    put({ id: "s1", priority: "urgent" });
    feed.push();
    // The panel changes its filter (seq 2) while this answer to seq 1 is on its way: the panel will drop it.
    put({ id: "s1", priority: "high" });
    feed.push();
    expect(sent.at(-1)).toMatchObject({ seq: 1, sessions: [{ id: "s1", priority: "high" }] });
    feed.setSpec({ ...spec, seq: 2, filter: { ...EMPTY_FILTER, priorities: ["high"] } });
    feed.push();
    expect(sent.at(-1)).toMatchObject({ seq: 2, rows: ["s1"], sessions: [{ id: "s1", priority: "high" }] });
    expect(sent.at(-1)?.agents?.map((a) => a.id)).toEqual(["agt_support"]);
    for (const change of [{ sort: "risk" as const }, { grouping: "grouped" as const }]) {
      feed.setSpec({ ...feed.spec, ...change, seq: feed.spec.seq + 1 });
      feed.push();
      expect(sent.at(-1)?.sessions.map((s) => s.id)).toEqual(["s1"]);
    }
  });
});
