import "fake-indexeddb/auto";
import { signal } from "@preact/signals";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { createFilterModel } from "@/utils/filters";
import type { Session } from "@/utils/protocol";
import { createSavedViewsModel, openViewsStore, ViewsStoreError } from "@/utils/saved-views";
import { makeSession } from "../fixtures/frames";
import { createFilterQuery } from "../helpers/filter-query";
import { until } from "../helpers/until";

function setup(userId: string | null = "u1", factory = new IDBFactory()) {
  const user = signal<string | null>(userId);
  const filters = createFilterModel({});
  const views = createSavedViewsModel({
    userId: user,
    filters,
    open: (id) => openViewsStore(id, { idbFactory: factory }),
  });
  return { user, filters, views, factory };
}

describe("saved views model", () => {
  it("loads the user's views and applies one to the filter", async () => {
    const { views, filters } = setup();
    expect(views.status.value).toBe("loading");
    await until('views.status.value === "ready"', () => views.status.value === "ready");
    expect(views.views.value).toHaveLength(4);
    expect(views.activeId.value).toBeNull();
    expect(views.apply("example-errors")).toBe(true);
    expect(filters.spec.value.statuses).toEqual(["error"]);
    expect(views.activeId.value).toBe("example-errors");
    filters.toggleStatus("paused");
    expect(views.activeId.value).toBeNull();
    expect(views.apply("missing")).toBe(false);
  });

  it("an applied view's spec becomes the worker's view filter", async () => {
    const q = createFilterQuery([
      makeSession({ id: "s1" }) as Session,
      makeSession({ id: "s2", status: "error" }) as Session,
    ]);
    const filters = createFilterModel({ count: q.count, total: q.total });
    q.follow(filters);
    const views = createSavedViewsModel({
      userId: signal<string | null>("u1"),
      filters,
      open: (id) => openViewsStore(id, { idbFactory: new IDBFactory() }),
    });
    await until('views.status.value === "ready"', () => views.status.value === "ready");
    expect(filters.count.value).toBe(2);
    expect(views.apply("example-errors")).toBe(true);
    expect(q.view.spec.filter.statuses).toEqual(["error"]);
    expect(q.matching()).toEqual(["s2"]);
    expect(filters.count.value).toBe(1);
  });

  it("saves the current filter, renames, overwrites, deletes", async () => {
    const { views, filters } = setup();
    await until('views.status.value === "ready"', () => views.status.value === "ready");
    filters.update({ channels: ["sip"] });
    expect(await views.saveAs("SIP")).toBe(true);
    const mine = views.views.value.find((v) => v.name === "SIP");
    expect(mine?.spec.channels).toEqual(["sip"]);
    expect(views.activeId.value).toBe(mine?.id);
    expect(await views.rename(mine?.id ?? "", "Voice lines")).toBe(true);
    filters.update({ channels: ["sip", "phone"] });
    expect(await views.overwrite(mine?.id ?? "")).toBe(true);
    expect(views.views.value.find((v) => v.id === mine?.id)).toMatchObject({
      name: "Voice lines",
      spec: { channels: ["sip", "phone"] },
    });
    expect(await views.remove(mine?.id ?? "")).toBe(true);
    expect(views.views.value).toHaveLength(4);
  });

  it("a refused action leaves a notice and the list intact", async () => {
    const { views } = setup();
    await until('views.status.value === "ready"', () => views.status.value === "ready");
    expect(await views.saveAs("Errors Only")).toBe(false);
    expect(views.notice.value).toMatch(/exists/);
    expect(views.views.value).toHaveLength(4);
    views.dismissNotice();
    expect(views.notice.value).toBeNull();
  });

  it("follows the signed-in user", async () => {
    const factory = new IDBFactory();
    const { views, user } = setup("alice", factory);
    await until('views.status.value === "ready"', () => views.status.value === "ready");
    expect(await views.saveAs("Alice's")).toBe(true);
    user.value = "bob";
    await until('views.status.value === "ready"', () => views.status.value === "ready");
    expect(views.views.value.map((v) => v.name)).not.toContain("Alice's");
    user.value = null;
    expect(views.status.value).toBe("signed_out");
    expect(views.views.value).toEqual([]);
    expect(await views.saveAs("x")).toBe(false);
    user.value = "alice";
    await until('views.status.value === "ready"', () => views.status.value === "ready");
    expect(views.views.value.map((v) => v.name)).toContain("Alice's");
  });

  it("a store that cannot open is an error state; filters keep working", async () => {
    const user = signal<string | null>("u1");
    const filters = createFilterModel({});
    const views = createSavedViewsModel({
      userId: user,
      filters,
      open: () =>
        Promise.reject(new ViewsStoreError("open_failed", "Saved views could not be opened: denied")),
    });
    await until('views.status.value === "error"', () => views.status.value === "error");
    expect(views.error.value).toMatch(/denied/);
    expect(await views.saveAs("x")).toBe(false);
    expect(views.notice.value).toMatch(/denied/);
    filters.toggleChannel("web");
    expect(filters.active.value).toBe(true);
  });
});
