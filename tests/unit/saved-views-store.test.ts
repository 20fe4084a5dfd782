import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { EMPTY_FILTER, type FilterSpec } from "@/utils/filters";
import { EXAMPLE_VIEWS, openViewsStore, ViewsStoreError } from "@/utils/saved-views";
import { MIGRATIONS, type Migration, openUserDatabase, USER_DB_NAME, USER_DB_VERSION } from "@/utils/user-db";

const spec = (o: Partial<FilterSpec>): FilterSpec => ({ ...EMPTY_FILTER, ...o });

function options(idbFactory: IDBFactory) {
  let t = 1_000;
  let n = 0;
  return { idbFactory, clock: () => (t += 10), newId: () => `v${++n}` };
}

/** Raw IndexedDB, no code of ours: what a first-release database looks like on disk. */
function rawOpen(
  factory: IDBFactory,
  version: number,
  upgrade?: (db: IDBDatabase) => void,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(USER_DB_NAME, version);
    req.onupgradeneeded = () => upgrade?.(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
function rawPut(db: IDBDatabase, store: string, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, "readwrite");
    tx.objectStore(store).put(value);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}
const v1Schema = (db: IDBDatabase) => {
  db.createObjectStore("views", { keyPath: ["userId", "id"] });
  db.createObjectStore("meta", { keyPath: "userId" });
};
async function rejection(p: Promise<unknown>): Promise<ViewsStoreError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ViewsStoreError) return e;
    throw e;
  }
  throw new Error("expected a rejection");
}

describe("saved views store", () => {
  it("seeds the four example views on first use", async () => {
    const store = await openViewsStore("u1", options(new IDBFactory()));
    const { views, problems } = await store.list();
    expect(problems).toEqual([]);
    expect(views.map((v) => v.name)).toEqual([
      "High Priority",
      "WhatsApp Monitoring",
      "Errors Only",
      "Long Sessions",
    ]);
    expect(views[0]?.spec).toEqual(spec({ priorities: ["urgent", "high"] }));
    expect(views[0]?.spec.agents).toBe("all");
    expect(views[1]?.spec).toEqual(spec({ channels: ["whatsapp"] }));
    expect(views[2]?.spec).toEqual(spec({ statuses: ["error"] }));
    expect(views[3]?.spec).toEqual(spec({ duration: { op: "longer", minutes: 10 }, statuses: ["active"] }));
  });

  it("saves, renames, overwrites and deletes", async () => {
    const store = await openViewsStore("u1", options(new IDBFactory()));
    const saved = await store.save(
      "  Urgent   WhatsApp ",
      spec({ channels: ["whatsapp"], priorities: ["urgent"] }),
    );
    expect(saved.name).toBe("Urgent WhatsApp");
    expect((await store.list()).views.at(-1)).toEqual(saved);

    const renamed = await store.rename(saved.id, "WA urgent");
    expect(renamed.name).toBe("WA urgent");
    expect(renamed.updatedAt).toBeGreaterThan(saved.updatedAt);

    const over = await store.overwrite(saved.id, spec({ keyword: "refund" }));
    expect(over).toMatchObject({ id: saved.id, name: "WA urgent", spec: spec({ keyword: "refund" }) });

    await store.remove(saved.id);
    expect((await store.list()).views.map((v) => v.id)).not.toContain(saved.id);
  });

  it("refuses empty, too long and duplicate names, and unknown ids", async () => {
    const store = await openViewsStore("u1", options(new IDBFactory()));
    expect((await rejection(store.save("   ", EMPTY_FILTER))).code).toBe("invalid_name");
    expect((await rejection(store.save("x".repeat(61), EMPTY_FILTER))).code).toBe("invalid_name");
    expect((await rejection(store.save("errors only", EMPTY_FILTER))).code).toBe("name_taken");
    const mine = await store.save("Mine", EMPTY_FILTER);
    expect((await rejection(store.rename(mine.id, "High priority"))).code).toBe("name_taken");
    expect((await store.rename(mine.id, "MINE")).name).toBe("MINE"); // its own name, other case
    expect((await rejection(store.rename("nope", "x"))).code).toBe("not_found");
    expect((await rejection(store.overwrite("nope", EMPTY_FILTER))).code).toBe("not_found");
    const bad = { ...EMPTY_FILTER, priorities: ["critical"] } as unknown as FilterSpec;
    expect((await rejection(store.save("Bad", bad))).code).toBe("invalid_spec");
    expect((await store.list()).views).toHaveLength(5);
  });

  it("keeps each user's views apart", async () => {
    const factory = new IDBFactory();
    const a = await openViewsStore("alice", options(factory));
    const b = await openViewsStore("bob", options(factory));
    await a.save("Alice only", spec({ channels: ["sip"] }));
    await b.remove("example-errors");
    expect((await a.list()).views.map((v) => v.name)).toContain("Alice only");
    expect((await a.list()).views.map((v) => v.name)).toContain("Errors Only");
    expect((await b.list()).views.map((v) => v.name)).not.toContain("Alice only");
    expect((await b.list()).views.map((v) => v.name)).not.toContain("Errors Only");
  });

  it("seeds once: a deleted example does not come back, views survive reopening", async () => {
    const factory = new IDBFactory();
    const first = await openViewsStore("u1", options(factory));
    await first.remove("example-whatsapp");
    await first.save("Kept", spec({ statuses: ["paused"] }));
    first.close();
    const again = await openViewsStore("u1", options(factory));
    const names = (await again.list()).views.map((v) => v.name);
    expect(names).toEqual(["High Priority", "Errors Only", "Long Sessions", "Kept"]);
  });

  it("skips and reports a corrupt record, the others still load, and it can be deleted", async () => {
    const factory = new IDBFactory();
    (await openViewsStore("u1", options(factory))).close();
    const raw = await rawOpen(factory, USER_DB_VERSION);
    await rawPut(raw, "views", { userId: "u1", id: "broken", name: "Broken", spec: { agents: 42 } });
    await rawPut(raw, "views", {
      userId: "u1",
      id: "noname",
      spec: EMPTY_FILTER,
      createdAt: 1,
      updatedAt: 1,
    });
    raw.close();
    const store = await openViewsStore("u1", options(factory));
    const { views, problems } = await store.list();
    expect(views).toHaveLength(4);
    expect(problems.map((p) => p.id)).toEqual(["broken", "noname"]);
    expect(problems[0]?.message).toMatch(/unreadable.*spec/);
    expect((await rejection(store.rename("broken", "Fixed"))).code).toBe("not_found");
    await store.remove("broken");
    expect((await store.list()).problems.map((p) => p.id)).toEqual(["noname"]);
    await store.save("Still works", EMPTY_FILTER);
    expect((await store.list()).views).toHaveLength(5);
  });

  it("the seeded flag is per user and is honoured", async () => {
    const factory = new IDBFactory();
    (await openViewsStore("u1", options(factory))).close();
    const raw = await rawOpen(factory, USER_DB_VERSION);
    await rawPut(raw, "meta", { userId: "u2", seededAt: 1 });
    raw.close();
    const other = await openViewsStore("u2", options(factory));
    expect((await other.list()).views).toEqual([]); // seeded flag set, so no examples
  });

  it("a database that cannot be opened gives a clear error", async () => {
    const throwing = {
      open() {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
    } as unknown as IDBFactory;
    const e = await rejection(openViewsStore("u1", { idbFactory: throwing }));
    expect(e.code).toBe("open_failed");
    expect(e.message).toMatch(/could not be opened: The operation is insecure/);
    expect((await rejection(openViewsStore("", { idbFactory: new IDBFactory() }))).code).toBe("open_failed");
  });

  it("a database from a newer version is reported, not wiped", async () => {
    const factory = new IDBFactory();
    (await rawOpen(factory, USER_DB_VERSION + 1, v1Schema)).close();
    const e = await rejection(openViewsStore("u1", { idbFactory: factory }));
    expect(e.code).toBe("version_too_new");
    expect(e.message).toMatch(/newer version/);
  });
});

describe("saved views schema and migrations", () => {
  it("is at version 2 (views, then alert rules) with one step per version", () => {
    expect(USER_DB_VERSION).toBe(3);
    expect(MIGRATIONS).toHaveLength(USER_DB_VERSION);
  });

  it("opens a first-schema database written with raw IndexedDB and keeps its data", async () => {
    const factory = new IDBFactory();
    const raw = await rawOpen(factory, 1, v1Schema);
    await rawPut(raw, "views", {
      userId: "u1",
      id: "legacy",
      name: "Legacy view",
      spec: spec({ priorities: ["urgent"] }),
      createdAt: 5,
      updatedAt: 5,
    });
    raw.close();
    const store = await openViewsStore("u1", options(factory));
    const names = (await store.list()).views.map((v) => v.name);
    expect(names[0]).toBe("Legacy view");
    expect(names).toHaveLength(1 + EXAMPLE_VIEWS.length); // never seeded before, so seeded now
  });

  it("runs a future step on a current database, in the upgrade transaction", async () => {
    const factory = new IDBFactory();
    const store = await openViewsStore("u1", options(factory));
    await store.save("Mine", spec({ channels: ["web"] }));
    store.close();
    const toV2: Migration = async (_db, tx) => {
      const views = tx.objectStore("views");
      let cursor = await views.openCursor();
      while (cursor) {
        const value = cursor.value as { name: string };
        await cursor.update({ ...value, name: `${value.name} (v2)` });
        cursor = await cursor.continue();
      }
    };
    const db = await openUserDatabase({ idbFactory: factory, migrations: [...MIGRATIONS, toV2] });
    expect(db.version).toBe(USER_DB_VERSION + 1);
    const all = (await db.getAll("views")) as { name: string }[];
    expect(all.map((r) => r.name)).toContain("Mine (v2)");
    expect(all).toHaveLength(5);
    db.close();
  });

  it("a failing step aborts the upgrade and leaves the old database intact", async () => {
    const factory = new IDBFactory();
    const store = await openViewsStore("u1", options(factory));
    await store.save("Mine", EMPTY_FILTER);
    store.close();
    const broken: Migration = () => {
      throw new Error("disk on fire");
    };
    await expect(
      openUserDatabase({ idbFactory: factory, migrations: [...MIGRATIONS, broken] }),
    ).rejects.toMatchObject({
      code: "upgrade_failed",
    });
    const again = await openViewsStore("u1", options(factory));
    expect((await again.list()).views.map((v) => v.name)).toContain("Mine");
  });

  it("a connection blocking a newer version closes itself and says so", async () => {
    const factory = new IDBFactory();
    let told = false;
    const store = await openViewsStore("u1", {
      ...options(factory),
      onClosedForUpgrade: () => (told = true),
    });
    const db = await openUserDatabase({ idbFactory: factory, migrations: [...MIGRATIONS, () => {}] });
    expect(db.version).toBe(USER_DB_VERSION + 1);
    expect(told).toBe(true);
    expect((await rejection(store.list())).code).toBe("closed");
    db.close();
  });
});
