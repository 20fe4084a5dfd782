// @vitest-environment happy-dom
/**
 * The alert rules screen in happy-dom: rules created through the form land in
 * IndexedDB (fake-indexeddb) and go to the worker; bad fields get inline
 * errors; enable switch, delete with confirmation; alert toasts acknowledge;
 * an alerted card is marked and labelled.
 */
import "fake-indexeddb/auto";
import { signal } from "@preact/signals";
import { IDBFactory } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import { AlertToasts } from "@/components/alerts/alert-toasts";
import { AlertsView } from "@/components/alerts/alerts-view";
import { SessionAlerts } from "@/components/alerts/session-alerts";
import { App } from "@/components/app";
import { SessionCard } from "@/components/session-card";
import { createRulesModel } from "@/utils/alerts/rules-model";
import { openRulesStore } from "@/utils/alerts/rules-store";
import { createPanel } from "@/utils/panel";
import type { Alert, PanelToWorker } from "@/utils/panel-messages";
import type { Session } from "@/utils/protocol";
import { makeSession } from "../fixtures/frames";
import { createFakePanelPort, makePanelState } from "../helpers/fake-panel-port";
import { flushed, mount, rendered, unmountAll } from "../helpers/render";

afterEach(() => unmountAll());

/** Applies worker patches at once (no animation frame in happy-dom tests). */
function immediately(cb: () => void): () => void {
  cb();
  return () => undefined;
}

const click = (el: Element | null) => flushed(() => (el as HTMLElement).click());
const type = (el: Element | null, value: string) =>
  flushed(() => {
    const input = el as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
const choose = (el: Element | null, value: string) =>
  flushed(() => {
    const select = el as HTMLSelectElement;
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
const check = (el: Element | null, on: boolean) =>
  flushed(() => {
    const box = el as HTMLInputElement;
    box.checked = on;
    box.dispatchEvent(new Event("change", { bubbles: true }));
  });
const submit = (el: Element | null) =>
  flushed(() =>
    (el as HTMLFormElement).dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })),
  );

function setup(factory = new IDBFactory()) {
  const port = createFakePanelPort();
  const model = createPanel(port, { tickMs: 0, schedule: immediately });
  port.send({ type: "init", state: makePanelState() });
  const sent: PanelToWorker[] = [];
  const rules = createRulesModel({
    userId: signal<string | null>("u1"),
    send: (uid, list) => sent.push({ type: "alert_rules", user_id: uid, rules: [...list] }),
    open: (id) => openRulesStore(id, { idbFactory: factory }),
  });
  const m = mount(<AlertsView panel={model} rules={rules} onBack={() => undefined} />);
  const $ = <T extends HTMLElement = HTMLElement>(sel: string) => m.root.querySelector<T>(sel);
  return { port, model, rules, sent, m, $, factory };
}

describe("alert rules editor", () => {
  it("adds a keyword rule through the form: stored, listed, sent to the worker", async () => {
    const { rules, sent, $, factory } = setup();
    await rendered('rules.status.value === "ready"', () => rules.status.value === "ready");
    expect(sent).toEqual([{ type: "alert_rules", user_id: "u1", rules: [] }]);
    click($(".al-add"));
    type($(".al-name"), "Lawyer");
    type($(".al-phrases"), "lawyer, cancel my account");
    check($('input[name="action-sound"]'), true);
    check($('input[name="repeat"]'), true);
    submit($(".al-form"));
    await rendered("rules.rules.value.length === 1", () => rules.rules.value.length === 1);
    expect(rules.rules.value[0]).toMatchObject({
      name: "Lawyer",
      enabled: true,
      condition: { type: "keyword", phrases: ["lawyer", "cancel my account"] },
      actions: ["toast", "sound", "highlight"],
      repeat_until_ack: true,
    });
    expect(sent.at(-1)).toMatchObject({ rules: [{ name: "Lawyer" }] });
    await rendered('$(".al-form") === null', () => $(".al-form") === null);
    expect($(".al-rule .al-rule-desc")?.textContent).toContain("User says “lawyer” or “cancel my account”");
    const stored = await (await openRulesStore("u1", { idbFactory: factory })).list();
    expect(stored.rules.map((r) => r.name)).toEqual(["Lawyer"]);
  });

  it("shows each bad field's error inline and saves nothing", async () => {
    const { rules, $ } = setup();
    await rendered('rules.status.value === "ready"', () => rules.status.value === "ready");
    click($(".al-add"));
    choose($(".al-type"), "risk_above");
    type($('.al-form input[type="number"]'), "150");
    for (const a of ["toast", "highlight"]) check($(`input[name="action-${a}"]`), false);
    submit($(".al-form"));
    const errors = [...document.querySelectorAll(".al-error")].map((e) => e.textContent);
    expect(errors).toEqual(["the rule needs a name", "risk is at most 100 %", "choose at least one action"]);
    expect($(".al-name")?.getAttribute("aria-invalid")).toBe("true");
    const described = $(".al-name")?.getAttribute("aria-describedby") ?? "";
    expect(document.getElementById(described)?.textContent).toBe("the rule needs a name");
    expect(rules.rules.value).toEqual([]);
  });

  it("takes and shows a risk threshold in percent: 70 means 70 % (stored as the 0…1 score)", async () => {
    const { rules, $ } = setup();
    await rendered('rules.status.value === "ready"', () => rules.status.value === "ready");
    click($(".al-add"));
    type($(".al-name"), "Risky");
    choose($(".al-type"), "risk_above");
    expect($<HTMLInputElement>('.al-form input[type="number"]')?.value).toBe("70");
    expect($('.al-form input[type="number"]')?.closest("label")?.textContent).toBe("Risk above (%, 0 … 100)");
    type($('.al-form input[type="number"]'), "85");
    submit($(".al-form"));
    await rendered("rules.rules.value.length === 1", () => rules.rules.value.length === 1);
    expect(rules.rules.value[0]?.condition).toEqual({ type: "risk_above", threshold: 0.85 });
    await rendered('$(".al-form") === null', () => $(".al-form") === null);
    expect($(".al-rule .al-rule-desc")?.textContent).toContain("Risk above 85%");
    click($(".al-edit"));
    expect($<HTMLInputElement>('.al-form input[type="number"]')?.value).toBe("85");
  });

  it("toggles, edits and deletes (with confirmation)", async () => {
    const { rules, sent, $ } = setup();
    await rendered('rules.status.value === "ready"', () => rules.status.value === "ready");
    await rules.save({
      id: "r1",
      name: "Angry",
      enabled: true,
      condition: { type: "sentiment_below", threshold: -0.5 },
      actions: ["badge"],
    });
    await rendered('$(".al-rule") !== null', () => $(".al-rule") !== null);
    check($('.al-rule input[role="switch"]'), false);
    await rendered("rules.rules.value[0]?.enabled === false", () => rules.rules.value[0]?.enabled === false);
    expect(sent.at(-1)).toMatchObject({ rules: [{ id: "r1", enabled: false }] });
    click($(".al-edit"));
    type($(".al-name"), "Very angry");
    submit($(".al-form"));
    await rendered(
      'rules.rules.value[0]?.name === "Very angry"',
      () => rules.rules.value[0]?.name === "Very angry",
    );
    click($(".al-delete"));
    expect(rules.rules.value).toHaveLength(1); // asks first
    click($(".al-confirm .al-danger"));
    await rendered("rules.rules.value.length === 0", () => rules.rules.value.length === 0);
  });

  it("sound: off until turned on; mute for a chosen time", async () => {
    const { port, model, $ } = setup();
    expect($(".al-sound-state")?.textContent).toBe("Alert sound is off.");
    click($(".al-sound-toggle"));
    expect(port.posted.at(-1)).toEqual({ type: "sound_prefs", enabled: true, muted_until: null });
    flushed(() =>
      port.send({ type: "patch", patch: { sound: { enabled: true, muted_until: null, playing: false } } }),
    );
    expect(model.alerts.sound.value?.enabled).toBe(true);
    const before = Date.now();
    choose($(".al-mute-select"), "0");
    const m = port.posted.at(-1) as { muted_until: number };
    expect(m.muted_until - before).toBeGreaterThanOrEqual(15 * 60_000);
    expect(m.muted_until - before).toBeLessThan(16 * 60_000);
  });
});

describe("alerts screen from the header", () => {
  it("opens from the header button, focuses Back, and Escape returns focus to the button", async () => {
    const port = createFakePanelPort();
    const model = createPanel(port, { tickMs: 0, schedule: immediately });
    port.send({ type: "init", state: makePanelState() });
    const rules = createRulesModel({
      userId: signal<string | null>("u1"),
      send: () => undefined,
      open: (id) => openRulesStore(id, { idbFactory: new IDBFactory() }),
    });
    const m = mount(<App panel={model} openOptions={() => undefined} alertRules={rules} />);
    const button = m.root.querySelector<HTMLButtonElement>(".alerts-button");
    expect(button?.getAttribute("aria-expanded")).toBe("false");
    click(button);
    expect(button?.getAttribute("aria-expanded")).toBe("true");
    expect(document.activeElement?.classList.contains("al-back")).toBe(true);
    flushed(() =>
      m.root
        .querySelector(".alerts-view")
        ?.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true })),
    );
    expect(m.root.querySelector(".alerts-view")).toBeNull();
    await rendered("document.activeElement === button", () => document.activeElement === button);
  });
});

describe("alerts in the panel", () => {
  const alert: Alert = {
    id: "rule_lawyer|msg_1",
    rule_id: "rule_lawyer",
    rule_name: "Lawyer",
    session_id: "ses_abc123xyz",
    why: "user said “lawyer”",
    actions: ["toast", "highlight"],
    repeat_until_ack: false,
    at: 1,
  };

  it("a toast names the rule and why, and Acknowledge tells the worker", () => {
    const port = createFakePanelPort();
    const model = createPanel(port, { tickMs: 0, schedule: immediately });
    port.send({
      type: "init",
      state: makePanelState({ sessions: [makeSession() as Session], alerts: [alert] }),
    });
    const m = mount(<AlertToasts panel={model} />);
    expect(m.root.querySelector(".alert-toast .toast-title")?.textContent).toBe(
      "Rule ‘Lawyer’ — user said “lawyer”",
    );
    click(m.root.querySelector(".alert-ack"));
    expect(port.posted.at(-1)).toEqual({ type: "alert_ack", alert_ids: ["rule_lawyer|msg_1"] });
    expect(m.root.querySelector(".alert-toast")).toBeNull();
    expect(model.alerts.alertedSessions.value.size).toBe(0);
  });

  it("a session's alerts show above its conversation and on the alerts screen, each acknowledgeable", async () => {
    const port = createFakePanelPort();
    const model = createPanel(port, { tickMs: 0, schedule: immediately });
    const other = { ...alert, id: "rule_lawyer|msg_9", session_id: "ses_other" };
    port.send({
      type: "init",
      state: makePanelState({ sessions: [makeSession() as Session], alerts: [alert, other] }),
    });
    const m = mount(<SessionAlerts panel={model} sessionId="ses_abc123xyz" />);
    expect(
      [...m.root.querySelectorAll(".session-alert")].map((e) => e.getAttribute("data-alert-id")),
    ).toEqual(["rule_lawyer|msg_1"]);
    const rules = createRulesModel({
      userId: signal<string | null>(null),
      send: () => undefined,
      open: () => Promise.reject(new Error("unused")),
    });
    const view = mount(<AlertsView panel={model} rules={rules} onBack={() => undefined} />);
    expect(view.root.querySelectorAll(".al-active-item")).toHaveLength(2);
    click(m.root.querySelector(".session-alert button"));
    expect(port.posted.at(-1)).toEqual({ type: "alert_ack", alert_ids: ["rule_lawyer|msg_1"] });
    flushed(() => {});
    expect(m.root.querySelector(".session-alert")).toBeNull();
    expect(view.root.querySelectorAll(".al-active-item")).toHaveLength(1);
  });

  it("an alerted card shows a marker and says so in its label", () => {
    const m = mount(<SessionCard session={makeSession() as Session} now={signal(0)} alert={alert} />);
    const card = m.root.querySelector(".session-card");
    expect(card?.classList.contains("alerted")).toBe(true);
    expect(card?.getAttribute("aria-description")).toMatch(/^Alert: Rule ‘Lawyer’ — user said “lawyer”\. /);
    expect(m.root.querySelector(".alert-marker")?.textContent).toContain("Lawyer");
  });
});
