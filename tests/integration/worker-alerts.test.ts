/**
 * Alert rules in the worker core, against the real gateway over real
 * sockets: rules arrive from a panel, fire on a user's message with every
 * action (alert in the patch, badge, desktop notification, sound), stop on
 * acknowledgement, and keep firing from storage.session with no panel open.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ALERTS_KEY } from "../../utils/alerts/alert-engine";
import type { SoundApi } from "../../utils/alerts/alert-sound";
import type { Rule } from "../../utils/alerts/rule-schema";
import type { Alert, WorkerToPanel } from "../../utils/panel-messages";
import { spawnSession, startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until";
import { createFakePanel, type NodeWorker, startNodeWorker } from "../helpers/worker-node";

let tg: TestGateway | undefined;
const workers: NodeWorker[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) await w.core.stop();
  await tg?.stop();
  tg = undefined;
});

const LAWYER: Rule = {
  id: "rule_lawyer",
  name: "Lawyer",
  enabled: true,
  condition: { type: "keyword", phrases: ["lawyer", "cancel my account"] },
  actions: ["badge", "notification", "toast", "sound", "highlight"],
  repeat_until_ack: true,
};
const ERRORS: Rule = {
  id: "rule_errors",
  name: "Errors",
  enabled: true,
  condition: { type: "error" },
  actions: ["toast"],
};

function fakeSound() {
  const calls: string[] = [];
  const api: SoundApi = {
    play: (repeat) => void calls.push(repeat ? "play:repeat" : "play:once"),
    stop: () => void calls.push("stop"),
  };
  return { api, calls };
}

const lastAlerts = (messages: WorkerToPanel[]): Alert[] | undefined => {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.type === "patch" && m.patch.alerts) return m.patch.alerts;
    if (m?.type === "init") return m.state.alerts;
  }
  return undefined;
};

describe("alert rules in the worker (real gateway)", () => {
  it("a keyword in a user message fires every action once, and ack clears it", async () => {
    tg = await startTestGateway({ sessions: 0 });
    const sound = fakeSound();
    const w = await startNodeWorker(
      { gatewayUrl: tg.url, token: tg.tokens.supervisor },
      { sound: sound.api },
    );
    workers.push(w);
    const panel = createFakePanel();
    w.core.connectPanel(panel.port);
    panel.send({ type: "alert_rules", user_id: "usr_sup", rules: [LAWYER, ERRORS] });
    panel.send({ type: "sound_prefs", enabled: true, muted_until: null });
    await until("connected", () => w.core.dump().connection.state === "connected", 10_000);

    const sim = spawnSession(tg);
    sim.start();
    sim.userMessage("Where is my parcel?");
    sim.userMessage("I am calling my LAWYER about this.");
    await until("an alert in a patch", () => (lastAlerts(panel.messages)?.length ?? 0) > 0, 10_000);
    const [alert, ...more] = lastAlerts(panel.messages) ?? [];
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      rule_id: "rule_lawyer",
      rule_name: "Lawyer",
      session_id: sim.id,
      why: "user said “lawyer”",
      actions: ["badge", "notification", "toast", "sound", "highlight"],
      repeat_until_ack: true,
    });
    // Badge, notification and sound are separate effects of the firing, each done in its own time: wait for each.
    await until("the badge", () => w.badge.title.includes("1 with an alert"), 5000);
    expect(w.badge.text).toBe("1");
    await until("the notification", () => w.notifications.some((n) => n.title === "Rule ‘Lawyer’"), 5000);
    expect(w.notifications.find((n) => n.title === "Rule ‘Lawyer’")?.message).toMatch(/user said “lawyer”$/);
    await until("the sound", () => sound.calls.length > 0, 5000);
    expect(sound.calls).toEqual(["play:repeat"]);

    // The same message again (no new firing); another message with the phrase fires again.
    sim.userMessage("cancel my account");
    await until("a second alert", () => (lastAlerts(panel.messages)?.length ?? 0) === 2, 10_000);
    expect(sound.calls).toEqual(["play:repeat"]); // already repeating until acknowledged

    panel.send({ type: "alert_ack", session_id: sim.id });
    await until("alerts cleared", () => lastAlerts(panel.messages)?.length === 0, 5000);
    await until("the sound stopped", () => sound.calls.length > 1, 5000);
    expect(sound.calls).toEqual(["play:repeat", "stop"]);
    await until("the badge cleared", () => w.badge.text === "", 5000);
  }, 30_000);

  it("sound stays silent until enabled, and while muted", async () => {
    tg = await startTestGateway({ sessions: 0 });
    const sound = fakeSound();
    const w = await startNodeWorker(
      { gatewayUrl: tg.url, token: tg.tokens.supervisor },
      { sound: sound.api },
    );
    workers.push(w);
    const panel = createFakePanel();
    w.core.connectPanel(panel.port);
    panel.send({ type: "alert_rules", user_id: "usr_sup", rules: [{ ...LAWYER, repeat_until_ack: false }] });
    await until("connected", () => w.core.dump().connection.state === "connected", 10_000);
    const sim = spawnSession(tg);
    sim.start();
    sim.userMessage("lawyer one");
    await until("first firing", () => w.core.alerts.fired === 1, 10_000);
    expect(sound.calls).toEqual([]);
    panel.send({ type: "sound_prefs", enabled: true, muted_until: Date.now() + 3_600_000 });
    sim.userMessage("lawyer two");
    await until("second firing", () => w.core.alerts.fired === 2, 10_000);
    expect(sound.calls).toEqual(["stop"]); // muting stops anything playing
    expect(w.core.alerts.sound()).toMatchObject({ enabled: true, playing: false });
    panel.send({ type: "sound_prefs", enabled: true, muted_until: null });
    sim.userMessage("lawyer three");
    await until("third firing", () => w.core.alerts.fired === 3, 10_000);
    expect(sound.calls).toEqual(["stop", "play:once"]);
  }, 30_000);

  it("rules kept in storage.session fire in a restarted worker with no panel open", async () => {
    tg = await startTestGateway({ sessions: 0 });
    const first = await startNodeWorker({ gatewayUrl: tg.url, token: tg.tokens.supervisor });
    workers.push(first);
    const panel = createFakePanel();
    first.core.connectPanel(panel.port);
    panel.send({ type: "alert_rules", user_id: "usr_sup", rules: [LAWYER] });
    await until("rules persisted", () => first.storage.data.has(ALERTS_KEY), 5000);
    await first.core.stop();
    workers.splice(0);

    const second = await startNodeWorker(
      { gatewayUrl: tg.url, token: tg.tokens.supervisor },
      { storage: first.storage },
    );
    workers.push(second);
    expect(second.core.alerts.rules.map((r) => r.id)).toEqual(["rule_lawyer"]);
    await until("connected", () => second.core.dump().connection.state === "connected", 10_000);
    const sim = spawnSession(tg);
    sim.start();
    sim.userMessage("my lawyer will call");
    await until("an alert without a panel", () => second.core.alerts.alerts().length === 1, 10_000);
    await until("notification", () => second.notifications.some((n) => n.title === "Rule ‘Lawyer’"), 5000);
  }, 30_000);

  it("sentiment, risk, latency, cost and error rules fire on what the gateway's simulation publishes", async () => {
    tg = await startTestGateway({ sessions: 0 });
    const w = await startNodeWorker({ gatewayUrl: tg.url, token: tg.tokens.supervisor });
    workers.push(w);
    const panel = createFakePanel();
    w.core.connectPanel(panel.port);
    const rule = (id: string, condition: Rule["condition"]): Rule => ({
      id,
      name: id,
      enabled: true,
      condition,
      actions: ["toast"],
    });
    panel.send({
      type: "alert_rules",
      user_id: "usr_sup",
      rules: [
        rule("angry", { type: "sentiment_below", threshold: -0.6 }),
        rule("risky", { type: "risk_above", threshold: 0.9 }),
        rule("slow", { type: "latency_above", ms: 0 }),
        rule("costly", { type: "cost_above", usd: 0 }),
        rule("errors", { type: "error" }),
      ],
    });
    await until("connected", () => w.core.dump().connection.state === "connected", 10_000);
    const sim = spawnSession(tg);
    sim.start();
    const byRule = (id: string) =>
      w.core.alerts.alerts().filter((a) => a.rule_id === id && a.session_id === sim.id);

    sim.userMessage("Thanks, that sounds great");
    await until("the reply's latency rule", () => byRule("slow").length > 0, 10_000);
    await until("the session cost rule", () => byRule("costly").length > 0, 10_000);
    expect(byRule("slow")[0]?.why).toMatch(/^reply took \d+ ms \(over 0 ms\)$/);
    expect(byRule("costly")[0]?.why).toMatch(/^session cost \$\d+\.\d\d is above \$0\.00$/);
    expect(byRule("angry")).toEqual([]);
    expect(byRule("risky")).toEqual([]);

    sim.userMessage("This is terrible and useless, I will call my lawyer, never again!");
    await until("risk and sentiment", () => byRule("risky").length > 0 && byRule("angry").length > 0, 10_000);
    expect(byRule("risky")[0]?.why).toMatch(/^risk 95% is above 90%: Legal threat$/);
    expect(byRule("angry")[0]?.why).toMatch(/^sentiment -\d(\.\d+)? is below -0\.6$/);
    expect(byRule("costly")).toHaveLength(1); // once per session

    const orgId = tg.gateway.options.users.find((u) => u.token === tg?.tokens.supervisor)?.org_id ?? "";
    tg.gateway.orgs.get(orgId)?.state.emit("error_occurred", sim.id, {
      code: "TOOL_FAILED",
      message: "refund tool failed",
      severity: "error",
    });
    await until("the error rule", () => byRule("errors").length > 0, 10_000);
    expect(byRule("errors")[0]?.why).toBe("error TOOL_FAILED: refund tool failed");
  }, 30_000);

  it("a bad rule set from a panel is refused and counted; the previous rules stay", async () => {
    tg = await startTestGateway({ sessions: 0 });
    const w = await startNodeWorker({ gatewayUrl: tg.url, token: tg.tokens.supervisor });
    workers.push(w);
    const panel = createFakePanel();
    w.core.connectPanel(panel.port);
    panel.send({ type: "alert_rules", user_id: "usr_sup", rules: [LAWYER] });
    const before = w.core.counters.frames_rejected;
    panel.send({
      type: "alert_rules",
      user_id: "usr_sup",
      rules: [{ ...LAWYER, condition: { type: "risk_above", threshold: 5 } }],
    });
    expect(w.core.counters.frames_rejected).toBe(before + 1);
    expect(w.core.alerts.rules).toEqual([LAWYER]);
  }, 30_000);
});
