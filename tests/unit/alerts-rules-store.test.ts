/** Alert rules in IndexedDB (fake-indexeddb): per user, validated on read, bad records skipped with a message. */
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import type { Rule } from "../../utils/alerts/rule-schema";
import { openRulesStore, RulesStoreError } from "../../utils/alerts/rules-store";
import { openViewsStore } from "../../utils/saved-views";
import { USER_DB_NAME } from "../../utils/user-db";

const lawyer: Rule = {
  id: "r1",
  name: "Lawyer",
  enabled: true,
  condition: { type: "keyword", phrases: ["lawyer"] },
  actions: ["toast", "sound"],
  repeat_until_ack: true,
};

function rawPut(factory: IDBFactory, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = factory.open(USER_DB_NAME);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction("alert_rules", "readwrite");
      tx.objectStore("alert_rules").put(value);
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  });
}

describe("alert rules store", () => {
  it("saves, lists (oldest first), replaces and removes a user's rules", async () => {
    const factory = new IDBFactory();
    let t = 100;
    const store = await openRulesStore("u1", { idbFactory: factory, clock: () => (t += 10) });
    await store.save(lawyer);
    await store.save({
      ...lawyer,
      id: "r2",
      name: "Angry",
      condition: { type: "sentiment_below", threshold: -0.5 },
    });
    await store.save({ ...lawyer, enabled: false });
    const { rules, problems } = await store.list();
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.id, r.enabled])).toEqual([
      ["r1", false],
      ["r2", true],
    ]);
    await store.remove("r1");
    expect((await store.list()).rules.map((r) => r.id)).toEqual(["r2"]);
    store.close();
    // Persisted: a new connection reads the same.
    const again = await openRulesStore("u1", { idbFactory: factory });
    expect((await again.list()).rules.map((r) => r.name)).toEqual(["Angry"]);
  });

  it("keeps users apart and lives beside the saved views", async () => {
    const factory = new IDBFactory();
    const views = await openViewsStore("u1", { idbFactory: factory });
    const a = await openRulesStore("u1", { idbFactory: factory });
    const b = await openRulesStore("u2", { idbFactory: factory });
    await a.save(lawyer);
    expect((await b.list()).rules).toEqual([]);
    expect((await views.list()).views.length).toBeGreaterThan(0);
  });

  it("refuses an invalid rule with a clear message", async () => {
    const store = await openRulesStore("u1", { idbFactory: new IDBFactory() });
    const e = await store.save({ ...lawyer, actions: [] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RulesStoreError);
    expect((e as RulesStoreError).message).toBe(
      "This rule cannot be saved (actions: choose at least one action).",
    );
  });

  it("skips a corrupt record with a message; the others load and it can be deleted", async () => {
    const factory = new IDBFactory();
    const store = await openRulesStore("u1", { idbFactory: factory });
    await store.save(lawyer);
    await rawPut(factory, {
      userId: "u1",
      id: "bad",
      name: "Bad",
      enabled: true,
      condition: { type: "risk_above", threshold: 7 },
      actions: ["toast"],
      createdAt: 1,
      updatedAt: 1,
    });
    await rawPut(factory, {
      userId: "u1",
      id: "other",
      name: "Odd",
      enabled: "yes",
      condition: { type: "error" },
      actions: ["toast"],
      createdAt: 1,
      updatedAt: 1,
    });
    const { rules, problems } = await store.list();
    expect(rules.map((r) => r.id)).toEqual(["r1"]);
    expect(problems).toEqual([
      {
        id: "bad",
        message: "An alert rule is unreadable and was skipped (condition.threshold: risk is at most 100 %).",
      },
      expect.objectContaining({ id: "other" }),
    ]);
    await store.remove("bad");
    expect((await store.list()).problems.map((p) => p.id)).toEqual(["other"]);
  });

  it("needs a user", async () => {
    await expect(openRulesStore("", { idbFactory: new IDBFactory() })).rejects.toMatchObject({
      code: "open_failed",
    });
  });
});
