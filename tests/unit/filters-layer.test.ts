import "fake-indexeddb/auto";
import { signal } from "@preact/signals";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { createMemoryFilterPersistence } from "@/utils/filters";
import { createFilterLayer, type TranscriptLike } from "@/utils/panel";
import type { Session } from "@/utils/protocol";
import { openViewsStore } from "@/utils/saved-views";
import { makeSession } from "../fixtures/frames";
import { until } from "../helpers/until";

const session = (id: string) => makeSession({ id, preview: "hello" }) as Session;
const transcript = (id: string, ...texts: string[]): TranscriptLike => ({
  session_id: id,
  messages: texts.map((text, i) => ({ id: `m${i}`, text })),
});

function setup() {
  const factory = new IDBFactory();
  const sessions = signal<readonly Session[]>([session("s1"), session("s2")]);
  const transcripts = signal<ReadonlyMap<string, TranscriptLike>>(new Map());
  const storage = createMemoryFilterPersistence();
  const layer = createFilterLayer({
    sessions,
    now: signal(0),
    userId: signal<string | null>("u1"),
    transcripts,
    storage,
    openViews: (id) => openViewsStore(id, { idbFactory: factory }),
  });
  return { layer, sessions, transcripts, storage };
}
const ids = (list: readonly Session[]) => list.map((s) => s.id);

describe("filter layer", () => {
  it("feeds the keyword index from transcripts and finds new messages", () => {
    const { layer, transcripts } = setup();
    layer.filters.setKeyword("refund");
    expect(ids(layer.filters.filtered.value)).toEqual([]);
    transcripts.value = new Map([["s2", transcript("s2", "hi", "I want a refund")]]);
    expect(ids(layer.filters.filtered.value)).toEqual(["s2"]);
    layer.addMessages([{ session_id: "s1", id: "x1", text: "REFUND now" }]);
    expect(ids(layer.filters.filtered.value)).toEqual(["s1", "s2"]);
  });

  it("forgets sessions that leave and indexes a transcript whose session arrives later", () => {
    const { layer, sessions, transcripts } = setup();
    layer.filters.setKeyword("parcel");
    transcripts.value = new Map([["s3", transcript("s3", "where is my parcel")]]);
    sessions.value = [session("s1")];
    expect(layer.keywordIndex.stats().sessions).toBe(0);
    sessions.value = [session("s1"), session("s3")];
    expect(ids(layer.filters.filtered.value)).toEqual(["s3"]);
  });

  it("persists the filter, loads the saved views, and disposes everything together", async () => {
    const { layer, storage, transcripts } = setup();
    await until(
      'layer.views.status.value === "ready" && layer.filters.ready.value',
      () => layer.views.status.value === "ready" && layer.filters.ready.value,
    );
    expect(layer.views.views.value).toHaveLength(4);
    layer.views.apply("example-errors");
    await until('JSON.stringify(storage.stored()).includes("error")', () =>
      JSON.stringify(storage.stored()).includes("error"),
    );
    layer[Symbol.dispose]();
    const before = layer.keywordIndex.stats().messages;
    transcripts.value = new Map([["s1", transcript("s1", "after dispose")]]);
    expect(layer.keywordIndex.stats().messages).toBe(before);
  });
});
