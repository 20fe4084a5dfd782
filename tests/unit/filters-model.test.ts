import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import {
  createFilterModel,
  createMemoryFilterPersistence,
  createSessionFilterPersistence,
  EMPTY_FILTER,
  FILTER_STORAGE_KEY,
  type FilterPersistence,
} from "@/utils/filters";
import type { Session } from "@/utils/protocol";
import { makeSession } from "../fixtures/frames";
import { createFilterQuery, type FilterQueryOptions } from "../helpers/filter-query";
import { until } from "../helpers/until";

const T0 = Date.parse("2026-06-24T16:30:00.000Z");
const MIN = 60_000;
const at = (min: number) => new Date(T0 + min * MIN).toISOString();

function fleet(): Session[] {
  return [
    makeSession({
      id: "s1",
      agent: { id: "a1", name: "Alpha", color: "#111" },
      channel: "web",
      started_at: at(0),
    }),
    makeSession({
      id: "s2",
      agent: { id: "a2", name: "Beta", color: "#222" },
      channel: "whatsapp",
      priority: "urgent",
      started_at: at(5),
      preview: "I need a refund",
    }),
    makeSession({
      id: "s3",
      agent: { id: "a1", name: "Alpha", color: "#111" },
      channel: "whatsapp",
      priority: "high",
      status: "error",
      started_at: at(8),
    }),
  ] as Session[];
}

/**
 * The panel's filter model wired to the worker's real view query: the model's spec is the view's filter,
 * the view's answers are the model's counts. What the view shows is what the worker filtered.
 */
function setup(storage?: FilterPersistence, opts: FilterQueryOptions = {}) {
  const q = createFilterQuery(fleet(), { now: T0 + 9 * MIN, ...opts });
  const model = createFilterModel({
    count: q.count,
    total: q.total,
    seenAgents: q.seenAgents,
    partial: q.partial,
    storage,
  });
  q.follow(model);
  return { q, model };
}
/** The ids the worker's view shows, sorted (the fleet's sessions share one activity time). */
const shown = (q: ReturnType<typeof setup>["q"]) => q.matching().sort();

describe("filter model", () => {
  beforeEach(() => fakeBrowser.reset());

  it("filters and counts, and combines dimensions", () => {
    const { model, q } = setup();
    expect(model.count.value).toBe(3);
    expect(model.active.value).toBe(false);
    model.toggleChannel("whatsapp");
    expect(shown(q)).toEqual(["s2", "s3"]);
    model.togglePriority("high");
    expect(shown(q)).toEqual(["s3"]);
    model.togglePriority("urgent");
    expect(model.count.value).toBe(2);
    model.toggleStatus("error");
    expect(shown(q)).toEqual(["s3"]);
    expect(model.total.value).toBe(3);
    model.clear();
    expect(model.count.value).toBe(3);
  });

  it("agent multi-select: untick from all, select all, none", () => {
    const { model, q } = setup();
    // The Human queue is offered before any session was transferred to it (no roster lists it).
    expect(model.agentOptions.value.map((a) => a.name)).toEqual(["Alpha", "Beta", "Human queue"]);
    model.toggleAgent("a1");
    expect(model.spec.value.agents).toEqual(["a2", "queue_human"]);
    expect(shown(q)).toEqual(["s2"]);
    model.toggleAgent("a1");
    expect(model.count.value).toBe(3);
    model.selectAllAgents(false);
    expect(model.count.value).toBe(0);
    expect(model.chips.value.map((c) => c.label)).toEqual(["Agents: none"]);
    model.toggleAgent("a2");
    expect(model.chips.value.map((c) => c.label)).toEqual(["Agent: Beta"]);
    model.selectAllAgents(true);
    expect(model.spec.value.agents).toBe("all");
    expect(model.chips.value).toEqual([]);
  });

  it("sessions cross the duration threshold as the ticking clock advances", () => {
    const { model, q } = setup();
    model.setDuration({ op: "longer", minutes: 3 });
    expect(shown(q)).toEqual(["s1", "s2"]); // ages 9, 4, 1 min
    q.setNow(T0 + 11 * MIN + 1);
    expect(shown(q)).toEqual(["s1", "s2", "s3"]);
    model.setDuration({ op: "shorter", minutes: 5 });
    expect(shown(q)).toEqual(["s3"]); // ages 11, 6, 3
    q.setNow(T0 + 14 * MIN);
    expect(shown(q)).toEqual([]);
  });

  it("the clock tick judges the sessions again only under a duration filter", () => {
    const { model, q } = setup();
    // An empty range: the view reads a session only to judge it.
    q.view.setSpec({ ...q.view.spec, range: { start: 0, end: 0 } });
    model.toggleChannel("web");
    const reads = vi.spyOn(q.sessions, "get");
    q.setNow(q.now + 1000);
    expect(reads).not.toHaveBeenCalled();
    expect(model.count.value).toBe(1);
    model.setDuration({ op: "longer", minutes: 3 });
    reads.mockClear();
    q.setNow(q.now + 1000);
    expect(reads).toHaveBeenCalledTimes(3);
  });

  it("keyword matches previews and new messages as they arrive", () => {
    const { model, q } = setup();
    model.setKeyword("Refund");
    expect(shown(q)).toEqual(["s2"]); // via preview
    q.addMessages([{ session_id: "s3", id: "m9", text: "Can I get a REFUND?" }]);
    expect(shown(q)).toEqual(["s2", "s3"]);
    expect(model.count.value).toBe(2);
    q.addMessages([{ session_id: "s1", id: "m1", text: "nothing here" }]);
    expect(shown(q)).toEqual(["s2", "s3"]);
    const s1 = q.sessions.get("s1") as Session;
    q.put({ ...s1, preview: "refund now" });
    expect(shown(q)).toEqual(["s1", "s2", "s3"]);
    expect(model.keyword.value).toBe("refund");
    model.setKeyword("   ");
    expect(model.active.value).toBe(false);
  });

  it("reports sessions whose older messages fell out of the index", () => {
    const { model, q } = setup(undefined, { keywordIndex: { maxMessagesPerSession: 1 } });
    model.setKeyword("hello");
    q.addMessages([{ session_id: "s1", id: "m1", text: "hello there" }]);
    expect(shown(q)).toEqual(["s1"]);
    expect(model.keywordPartial("s1")).toBe(false);
    q.addMessages([{ session_id: "s1", id: "m2", text: "hello again" }]);
    expect(q.window.partial).toEqual(["s1"]);
    expect(model.keywordPartial("s1")).toBe(true);
    expect(model.keywordPartial("s2")).toBe(false);
  });

  it("removes a chip", () => {
    const { model } = setup();
    model.update({ channels: ["whatsapp"], priorities: ["urgent"] });
    expect(model.chips.value.map((c) => c.id)).toEqual(["channels", "priorities"]);
    expect(model.count.value).toBe(1);
    model.removeChip("priorities");
    expect(model.chips.value.map((c) => c.id)).toEqual(["channels"]);
    expect(model.count.value).toBe(2);
  });

  it("persists the spec and restores it in a new model", async () => {
    const storage = createMemoryFilterPersistence();
    const a = setup(storage);
    await until("the first model to load", () => a.model.ready.value);
    expect(a.model.ready.value).toBe(true);
    a.model.update({ priorities: ["urgent"], keyword: "refund" });
    await until(
      "the spec saved",
      () => (storage.stored() as { spec?: { keyword?: string } } | undefined)?.spec?.keyword === "refund",
    );
    a.model[Symbol.dispose]();
    const b = setup(storage);
    expect(b.model.ready.value).toBe(false);
    await until("the second model to load", () => b.model.ready.value);
    expect(b.model.ready.value).toBe(true);
    expect(b.model.spec.value).toMatchObject({ priorities: ["urgent"], keyword: "refund" });
    expect(b.model.problem.value).toBeNull();
  });

  it("a bad stored value falls back to no filter and is reported", async () => {
    const storage = createMemoryFilterPersistence({
      v: 1,
      spec: { ...EMPTY_FILTER, statuses: ["sleeping"] },
    });
    const { model } = setup(storage);
    await until("the bad stored value reported", () => model.problem.value);
    expect(model.spec.value).toEqual(EMPTY_FILTER);
    expect(model.problem.value).toMatch(/statuses\.0/);
    expect(storage.stored()).toEqual({ v: 1, spec: EMPTY_FILTER }); // repaired
    model.dismissProblem();
    expect(model.problem.value).toBeNull();
  });

  it("a change made before the stored spec loads wins", async () => {
    const storage = createMemoryFilterPersistence({ v: 1, spec: { ...EMPTY_FILTER, channels: ["web"] } });
    const { model } = setup(storage);
    model.toggleChannel("sip");
    await until("the stored spec to load", () => model.ready.value);
    expect(model.spec.value.channels).toEqual(["sip"]);
  });

  it("a failing storage is reported, the filter still works", async () => {
    const storage: FilterPersistence = {
      load: () => Promise.reject(new Error("boom")),
      save: () => Promise.reject(new Error("quota")),
    };
    const { model } = setup(storage);
    await until("the load failure reported", () => model.problem.value);
    expect(model.problem.value).toMatch(/boom/);
    model.dismissProblem();
    model.toggleChannel("web");
    await until("the save failure reported", () => model.problem.value);
    expect(model.problem.value).toMatch(/quota/);
    expect(model.count.value).toBe(1);
  });
});

describe("storage.session persistence", () => {
  beforeEach(() => fakeBrowser.reset());

  it("round-trips through storage.session", async () => {
    const p = createSessionFilterPersistence(fakeBrowser.storage.session);
    expect(await p.load()).toEqual({ spec: null, problem: null });
    const spec = { ...EMPTY_FILTER, agents: ["a1"], duration: { op: "longer" as const, minutes: 10 } };
    await p.save(spec);
    expect(await p.load()).toEqual({ spec, problem: null });
  });

  it("rejects unknown versions and non-objects with a reason", async () => {
    const p = createSessionFilterPersistence(fakeBrowser.storage.session);
    await fakeBrowser.storage.session.set({ [FILTER_STORAGE_KEY]: { v: 9, spec: EMPTY_FILTER } });
    expect((await p.load()).problem).toMatch(/version 9/);
    await fakeBrowser.storage.session.set({ [FILTER_STORAGE_KEY]: "x" });
    expect((await p.load()).problem).toMatch(/not an object/);
  });

  it("works without storage.session (reports that filters will reset)", async () => {
    const p = createSessionFilterPersistence(null);
    expect((await p.load()).problem).toMatch(/no session storage/);
    await p.save(EMPTY_FILTER);
  });
});
