/** The worker's view query: filter, order, grouping and the window a panel sees. */
import { describe, expect, it } from "vitest";
import { createKeywordIndex, EMPTY_FILTER, type FilterSpec } from "@/utils/filters";
import type { Session } from "@/utils/protocol";
import { createSessionOrder, createViewEngine, type ViewSpec } from "@/utils/query";
import { makeSession } from "../fixtures/frames";

const T0 = Date.parse("2026-06-24T16:30:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function world(list: Session[]) {
  const sessions = new Map<string, Session>();
  const order = createSessionOrder();
  const keywordIndex = createKeywordIndex();
  let now = T0 + 3_600_000;
  const put = (s: Session) => {
    sessions.set(s.id, s);
    order.upsert(s);
  };
  for (const s of list) put(s);
  const view = (spec: Partial<ViewSpec> = {}, filter: Partial<FilterSpec> = {}) =>
    createViewEngine(
      { sessions, order, keywordIndex, clock: () => now },
      {
        seq: 0,
        filter: { ...EMPTY_FILTER, ...filter },
        sort: "recent",
        grouping: "unified",
        range: { start: 0, end: 50 },
        ...spec,
      },
    );
  return {
    sessions,
    order,
    keywordIndex,
    view,
    put,
    drop(id: string) {
      sessions.delete(id);
      order.remove(id);
    },
    setNow(t: number) {
      now = t;
    },
  };
}

const ses = (id: string, activity: number, extra: Record<string, unknown> = {}) =>
  makeSession({ id, last_activity_at: at(activity), started_at: at(0), ...extra }) as Session;

describe("view engine", () => {
  it("orders, counts and windows the rows; a changed session moves; a removed one leaves", () => {
    const w = world([ses("a", 1), ses("b", 3), ses("c", 2)]);
    const v = w.view({ range: { start: 1, end: 3 } });
    let win = v.window();
    expect(win).toMatchObject({ total: 3, count: 3, rowCount: 3, start: 1, rows: ["c", "a"] });
    expect(win.sessions.map((s) => s.id)).toEqual(["c", "a"]);
    w.put(ses("a", 9));
    v.changed(["a"]);
    win = v.window();
    expect(win.rows).toEqual(["b", "c"]);
    w.drop("b");
    v.changed(["b"]);
    expect(v.window()).toMatchObject({ total: 2, rowCount: 2, rows: ["c"] });
  });

  it("moving the range answers with the rows there, and the pinned session wherever it is", () => {
    const list = Array.from({ length: 100 }, (_, i) => ses(`s${String(i).padStart(3, "0")}`, i));
    const w = world(list);
    const v = w.view({ range: { start: 0, end: 10 }, pinned: ["s000"] });
    expect(v.window().rows[0]).toBe("s099");
    v.setSpec({ ...v.spec, range: { start: 90, end: 100 } });
    const win = v.window();
    expect(win.rows).toEqual(Array.from({ length: 10 }, (_, i) => `s${String(9 - i).padStart(3, "0")}`));
    expect(win.sessions.map((s) => s.id)).toContain("s000");
    // Past the end: nothing, not an error.
    v.setSpec({ ...v.spec, range: { start: 500, end: 510 }, pinned: [] });
    expect(v.window()).toMatchObject({ start: 100, rows: [], sessions: [] });
  });

  it("filters: a session that stops matching leaves and one that starts matching joins", () => {
    const w = world([ses("a", 1, { priority: "urgent" }), ses("b", 2), ses("c", 3, { priority: "urgent" })]);
    const v = w.view({}, { priorities: ["urgent"] });
    expect(v.window()).toMatchObject({ total: 3, count: 2, rows: ["c", "a"] });
    w.put(ses("b", 4, { priority: "urgent" }));
    w.put(ses("c", 3, { priority: "normal" }));
    v.changed(["b", "c"]);
    expect(v.window()).toMatchObject({ count: 2, rows: ["b", "a"] });
    v.setSpec({ ...v.spec, filter: EMPTY_FILTER });
    expect(v.window().rows).toEqual(["b", "c", "a"]);
  });

  it("groups by agent with headers in name order and their rows", () => {
    const bot = { id: "agt_b", name: "Billing", color: "#111111" };
    const w = world([ses("a", 1), ses("b", 2, { agent: bot }), ses("c", 3)]);
    const v = w.view({ grouping: "grouped" });
    const win = v.window();
    expect(win.rowCount).toBe(5);
    expect(win.headers.map((h) => [h.index, h.header.name, h.header.count])).toEqual([
      [0, "Billing", 1],
      [2, "Support Bot", 2],
    ]);
    expect(win.rows.map((r) => (typeof r === "string" ? r : r.agent_id))).toEqual([
      "agt_b",
      "b",
      "agt_support",
      "c",
      "a",
    ]);
  });

  it("a keyword matches the preview or the indexed conversation, with a snippet for the latter", () => {
    const w = world([ses("a", 1, { preview: "where is my refund" }), ses("b", 2), ses("c", 3)]);
    const v = w.view({}, { keyword: "Refund" });
    expect(v.window().rows).toEqual(["a"]);
    w.keywordIndex.addMessage("c", { id: "m1", text: "I asked for a REFUND last week" });
    const win = v.window();
    expect(win.rows).toEqual(["c", "a"]);
    expect(win.snippets.c).toContain("REFUND");
    expect(win.snippets.a).toBeUndefined();
  });

  it("a duration filter follows the clock", () => {
    const w = world([ses("a", 1, { started_at: at(0) }), ses("b", 2, { started_at: at(3000) })]);
    w.setNow(T0 + 3_100_000);
    const v = w.view({}, { duration: { op: "longer", minutes: 5 } });
    expect(v.window().rows).toEqual(["a"]);
    w.setNow(T0 + 3_400_000);
    expect(v.window().rows).toEqual(["b", "a"]);
  });

  it("two views with different orders do not disturb each other", () => {
    const w = world([ses("a", 1, { risk: { score: 0.9 } }), ses("b", 2, { risk: { score: 0.1 } })]);
    const recent = w.view();
    const risk = w.view({ sort: "risk" });
    const before = recent.window().rows;
    expect(risk.window().rows).toEqual(["a", "b"]);
    expect(recent.window().rows).toEqual(["b", "a"]);
    expect(before).toEqual(["b", "a"]);
  });
});
