/** Canned replies: the schema, the IndexedDB store (fake-indexeddb) per user, the version 3 upgrade, the model. */
import "fake-indexeddb/auto";
import { signal } from "@preact/signals";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { openRulesStore } from "../../utils/alerts/rules-store";
import {
  type CannedReply,
  checkCannedDraft,
  createCannedModel,
  decodeCannedRecord,
  EXAMPLE_REPLIES,
  filterReplies,
  insertText,
  matchShortcut,
  openCannedStore,
} from "../../utils/canned-replies";
import { EMPTY_FILTER } from "../../utils/filters/filter-spec";
import { openViewsStore } from "../../utils/saved-views";
import { MIGRATIONS, USER_DB_NAME, USER_DB_VERSION } from "../../utils/user-db";
import { until } from "../helpers/until";

const refund: CannedReply = {
  id: "c1",
  title: "Refund",
  text: "Your refund is on its way.",
  kinds: ["override", "system_message"],
  shortcut: "/refund",
};

function rawPut(factory: IDBFactory, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = factory.open(USER_DB_NAME);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction("canned_replies", "readwrite");
      tx.objectStore("canned_replies").put(value);
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  });
}

describe("canned reply schema", () => {
  it("accepts a valid record and names the field of a bad one", () => {
    const rec = { ...refund, userId: "u1", createdAt: 1, updatedAt: 1 };
    expect(decodeCannedRecord(rec).ok).toBe(true);
    const bad = decodeCannedRecord({ ...rec, kinds: ["pause"] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/^kinds/);
    expect(decodeCannedRecord({ ...rec, text: "   " }).ok).toBe(false);
    expect(decodeCannedRecord({ ...rec, shortcut: "refund" }).ok).toBe(false);
  });

  it("checks a draft: empty text, too long, no action, duplicate and malformed shortcut", () => {
    const id = () => "new";
    const r = checkCannedDraft({ title: "", text: " ", kinds: [], shortcut: "/refund" }, [refund], id);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.title).toMatch(/title/);
      expect(r.errors.text).toMatch(/Write the text/);
      expect(r.errors.kinds).toMatch(/at least one/);
      expect(r.errors.shortcut).toMatch(/already the shortcut of “Refund”/);
    }
    const long = checkCannedDraft(
      { title: "T", text: "x".repeat(4001), kinds: ["whisper"], shortcut: "" },
      [],
      id,
    );
    expect(!long.ok && long.errors.text).toMatch(/too long/);
    const bad = checkCannedDraft({ title: "T", text: "x", kinds: ["whisper"], shortcut: "/a b" }, [], id);
    expect(!bad.ok && bad.errors.shortcut).toMatch(/letters, digits/);
    // Editing a reply keeps its own shortcut; the slash is added when missing.
    const same = checkCannedDraft({ ...refund, shortcut: "refund" }, [refund], id);
    expect(same.ok && same.reply).toEqual({ ...refund, kinds: ["system_message", "override"] });
  });

  it("finds the /shortcut before the caret, allowed for the action", () => {
    const v = "Hello /refund";
    expect(matchShortcut({ value: v, start: v.length, end: v.length }, [refund], "override")?.from).toBe(6);
    expect(matchShortcut({ value: v, start: v.length, end: v.length }, [refund], "whisper")).toBeNull();
    expect(matchShortcut({ value: "a/refund", start: 8, end: 8 }, [refund], "override")).toBeNull();
    expect(insertText(v, 6, v.length, refund.text)).toEqual({
      value: `Hello ${refund.text}`,
      caret: 6 + refund.text.length,
    });
    expect(filterReplies([refund, ...EXAMPLE_REPLIES], "/ref").map((r) => r.id)).toEqual([
      "c1",
      "example-refund",
    ]);
  });
});

describe("canned replies store", () => {
  it("seeds the examples once, saves, replaces and removes — per user", async () => {
    const factory = new IDBFactory();
    const a = await openCannedStore("u1", { idbFactory: factory });
    expect((await a.list()).replies.map((r) => r.id)).toEqual(EXAMPLE_REPLIES.map((r) => r.id));
    for (const e of EXAMPLE_REPLIES) await a.remove(e.id);
    await a.save(refund);
    await a.save({ ...refund, title: "Refund (edited)" });
    expect((await a.list()).replies.map((r) => r.title)).toEqual(["Refund (edited)"]);
    await expect(a.save({ ...refund, id: "c2" })).rejects.toMatchObject({ code: "shortcut_taken" });
    await expect(a.save({ ...refund, id: "c3", text: "" })).rejects.toMatchObject({ code: "invalid_reply" });
    a.close();
    // Deleted examples do not come back; another user has their own set.
    const again = await openCannedStore("u1", { idbFactory: factory });
    expect((await again.list()).replies.map((r) => r.id)).toEqual(["c1"]);
    const b = await openCannedStore("u2", { idbFactory: factory });
    expect((await b.list()).replies.map((r) => r.id)).toEqual(EXAMPLE_REPLIES.map((r) => r.id));
    again.close();
    b.close();
  });

  it("skips a bad record with a clear message and loads the others", async () => {
    const factory = new IDBFactory();
    (await openCannedStore("u1", { idbFactory: factory })).close();
    await rawPut(factory, { ...refund, userId: "u1", createdAt: 1, updatedAt: 1, kinds: ["nope"] });
    await rawPut(factory, { userId: "u1", id: "junk" });
    const s = await openCannedStore("u1", { idbFactory: factory });
    const { replies, problems } = await s.list();
    expect(replies).toHaveLength(EXAMPLE_REPLIES.length);
    expect(problems.map((p) => p.id).sort()).toEqual(["c1", "junk"]);
    expect(problems[0]?.message).toMatch(/unreadable and was skipped/);
    await s.remove("junk");
    expect((await s.list()).problems.map((p) => p.id)).toEqual(["c1"]);
    s.close();
  });

  it("upgrading from version 2 keeps saved views and alert rules", async () => {
    expect(USER_DB_VERSION).toBe(3);
    const factory = new IDBFactory();
    const v2 = MIGRATIONS.slice(0, 2);
    const views = await openViewsStore("u1", { idbFactory: factory, migrations: v2 });
    await views.save("Mine", { ...EMPTY_FILTER, keyword: "refund" });
    views.close();
    const rules = await openRulesStore("u1", { idbFactory: factory, migrations: v2 });
    await rules.save({
      id: "r1",
      name: "Lawyer",
      enabled: true,
      condition: { type: "keyword", phrases: ["lawyer"] },
      actions: ["toast"],
      repeat_until_ack: false,
    });
    rules.close();
    const canned = await openCannedStore("u1", { idbFactory: factory });
    expect((await canned.list()).replies.length).toBe(EXAMPLE_REPLIES.length);
    canned.close();
    const views3 = await openViewsStore("u1", { idbFactory: factory });
    expect((await views3.list()).views.map((v) => v.name)).toContain("Mine");
    views3.close();
    const rules3 = await openRulesStore("u1", { idbFactory: factory });
    expect((await rules3.list()).rules.map((r) => r.name)).toEqual(["Lawyer"]);
    rules3.close();
  });
});

describe("canned model", () => {
  it("loads the user's replies, adds, edits, deletes, refuses a duplicate shortcut and follows the user", async () => {
    const factory = new IDBFactory();
    const userId = signal<string | null>("u1");
    let n = 0;
    const m = createCannedModel({
      userId,
      open: (id) => openCannedStore(id, { idbFactory: factory }),
      newId: () => `n${++n}`,
    });
    await until('m.status.value === "ready"', () => m.status.value === "ready");
    expect(m.forKind("whisper").map((r) => r.id)).toEqual(["example-retention"]);
    const added = await m.add({ title: "Hi", text: "Hello!", kinds: ["whisper"], shortcut: "hi" });
    expect(added.ok && added.reply.shortcut).toBe("/hi");
    const dup = await m.add({ title: "Hi 2", text: "Hey", kinds: ["whisper"], shortcut: "/hi" });
    expect(!dup.ok && dup.errors.shortcut).toMatch(/already/);
    await m.edit({ id: "n1", title: "Hi", text: "Hello there!", kinds: ["whisper"], shortcut: "/hi" });
    expect(m.replies.value.find((r) => r.id === "n1")?.text).toBe("Hello there!");
    expect(await m.remove("n1")).toBe(true);
    expect(m.replies.value.some((r) => r.id === "n1")).toBe(false);
    userId.value = null;
    expect(m.status.value).toBe("signed_out");
    expect(m.replies.value).toEqual([]);
    m[Symbol.dispose]();
  });
});
