/** The worker's alert engine alone: rule set from a panel, firing, ack, and what survives a restart. */
import { describe, expect, it } from "vitest";
import { ALERTS_KEY, createAlertEngine } from "../../utils/alerts/alert-engine";
import type { Rule } from "../../utils/alerts/rule-schema";
import { createMemoryStorage } from "../../utils/platform/kv-storage";
import type { EventFrame } from "../../utils/protocol";
import { createChangeSet } from "../../utils/store/change-set";
import { makeEvent, makeMessage } from "../fixtures/frames";

const RULE: Rule = {
  id: "r",
  name: "Lawyer",
  enabled: true,
  condition: { type: "keyword", phrases: ["lawyer"] },
  actions: ["notification", "toast"],
};
const said = (id: string, text: string) =>
  makeEvent("message_received", makeMessage({ id, text }), 1) as EventFrame;

describe("alert engine", () => {
  it("fires, notifies, marks the change set, and acks", async () => {
    const changes = createChangeSet();
    const notified: string[] = [];
    const e = createAlertEngine({
      storage: createMemoryStorage(),
      changes,
      notify: (a) => notified.push(a.why),
    });
    e.event(said("m1", "my lawyer")); // no rules yet
    expect(e.fired).toBe(0);
    e.message({ type: "alert_rules", user_id: "u", rules: [RULE] });
    e.event(said("m2", "my lawyer"));
    expect(e.alerts().map((a) => a.id)).toEqual(["r|m2"]);
    expect(notified).toEqual(["user said “lawyer”"]);
    expect(changes.take().alerts).toBe(true);
    e.message({ type: "alert_ack", alert_ids: ["r|m2"] });
    expect(e.alerts()).toEqual([]);
    e.dispose();
  });

  it("rules, preferences, alerts and recent firings survive a restart; a replayed event does not fire again", async () => {
    const storage = createMemoryStorage();
    const first = createAlertEngine({ storage, changes: createChangeSet() });
    first.message({ type: "alert_rules", user_id: "u", rules: [RULE] });
    first.message({ type: "sound_prefs", enabled: true, muted_until: null });
    first.event(said("m1", "lawyer"));
    first.event(said("m2", "lawyer"));
    first.message({ type: "alert_ack", alert_ids: ["r|m1"] });
    await first.flush();
    first.dispose();
    expect(storage.data.has(ALERTS_KEY)).toBe(true);

    const second = createAlertEngine({ storage, changes: createChangeSet() });
    await second.restore();
    expect(second.rules).toEqual([RULE]);
    expect(second.sound()).toMatchObject({ enabled: true });
    expect(second.alerts().map((a) => a.id)).toEqual(["r|m2"]);
    second.event(said("m1", "lawyer")); // acknowledged before the restart, replayed after it
    expect(second.fired).toBe(0);
    second.event(said("m3", "lawyer"));
    expect(second.fired).toBe(1);
  });

  it("ignores a corrupt stored record", async () => {
    const storage = createMemoryStorage();
    await storage.set(ALERTS_KEY, { v: 1, rules: "nope" });
    const e = createAlertEngine({ storage, changes: createChangeSet() });
    await e.restore();
    expect(e.rules).toEqual([]);
  });
});
