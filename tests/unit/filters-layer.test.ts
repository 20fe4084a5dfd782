/**
 * The panel's filter layer (filter model + saved views) beside the worker's view query: the layer's counts,
 * agents and partial answers come from the worker, whose keyword index is fed with transcripts and messages.
 */
import "fake-indexeddb/auto";
import { signal } from "@preact/signals";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it, vi } from "vitest";
import { createMemoryFilterPersistence } from "@/utils/filters";
import { createFilterLayer } from "@/utils/panel";
import type { Session } from "@/utils/protocol";
import { openViewsStore } from "@/utils/saved-views";
import { makeSession } from "../fixtures/frames";
import { createFilterQuery } from "../helpers/filter-query";
import { until } from "../helpers/until";

const session = (id: string) => makeSession({ id, preview: "hello" }) as Session;
const messages = (...texts: string[]) => texts.map((text, i) => ({ id: `m${i}`, text }));

function setup() {
  const factory = new IDBFactory();
  const q = createFilterQuery([session("s1"), session("s2")]);
  const storage = createMemoryFilterPersistence();
  const layer = createFilterLayer({
    count: q.count,
    total: q.total,
    seenAgents: q.seenAgents,
    partial: q.partial,
    userId: signal<string | null>("u1"),
    storage,
    openViews: (id) => openViewsStore(id, { idbFactory: factory }),
  });
  q.follow(layer.filters);
  return { layer, q, storage };
}

describe("filter layer with the worker's query", () => {
  it("the worker's keyword index finds transcripts and new messages; the layer counts them", () => {
    const { layer, q } = setup();
    layer.filters.setKeyword("refund");
    expect(q.matching()).toEqual([]);
    expect(layer.filters.count.value).toBe(0);
    q.addTranscript("s2", messages("hi", "I want a refund"));
    expect(q.matching()).toEqual(["s2"]);
    expect(q.window.snippets.s2).toContain("refund");
    q.addMessages([{ session_id: "s1", id: "x1", text: "REFUND now" }]);
    expect(q.matching().sort()).toEqual(["s1", "s2"]);
    expect(layer.filters.count.value).toBe(2);
    expect(layer.filters.total.value).toBe(2);
  });

  it("the worker's index forgets sessions that leave and indexes a transcript that comes with its session", () => {
    const { layer, q } = setup();
    layer.filters.setKeyword("parcel");
    q.addTranscript("s2", messages("where is my parcel"));
    expect(q.query.keywordIndex.stats().sessions).toBe(1);
    q.drop("s2");
    expect(q.query.keywordIndex.stats().sessions).toBe(0);
    expect(layer.filters.total.value).toBe(1);
    // A session that joins in the same change as its transcript.
    q.sessions.set("s3", session("s3"));
    q.query.apply({
      sessions: ["s3"],
      removed: [],
      transcripts: [{ session_id: "s3", messages: messages("my parcel is late") }],
    });
    expect(q.matching()).toEqual(["s3"]);
    expect(layer.filters.count.value).toBe(1);
  });

  it("offers the agents the worker has sessions of", () => {
    const { layer, q } = setup();
    q.put(makeSession({ id: "s9", agent: { id: "a9", name: "Nine", color: "#999999" } }) as Session);
    expect(layer.filters.agentOptions.value.map((a) => a.name)).toEqual([
      "Human queue",
      "Nine",
      "Support Bot",
    ]);
  });

  it("persists the filter, loads the saved views, and disposes everything together", async () => {
    const { layer, storage } = setup();
    await until(
      'layer.views.status.value === "ready" && layer.filters.ready.value',
      () => layer.views.status.value === "ready" && layer.filters.ready.value,
    );
    expect(layer.views.views.value).toHaveLength(4);
    layer.views.apply("example-errors");
    await until('JSON.stringify(storage.stored()).includes("error")', () =>
      JSON.stringify(storage.stored()).includes("error"),
    );
    // The filter model saves each change synchronously from an effect; disposed, it saves nothing more.
    const save = vi.spyOn(storage, "save");
    layer.filters.toggleChannel("web");
    expect(save).toHaveBeenCalledTimes(1);
    layer[Symbol.dispose]();
    layer.filters.toggleChannel("sip");
    expect(save).toHaveBeenCalledTimes(1);
  });
});
