/**
 * Alert rules end to end in real Chromium, with the real worker, the real
 * gateway and real IndexedDB: five rules created through the editor — one per
 * action — survive a panel reload, reach the worker, and fire on a user's
 * message: badge, desktop notification, toast (acknowledged), highlighted
 * card, and the alert sound played by the offscreen document, repeating until
 * acknowledged.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimSession } from "../../gateway/sim/sim-session";
import { spawnSession, type TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession } from "../helpers/panel-session";
import { until } from "../helpers/until";

const TIMEOUT = 20_000;
type Action = "badge" | "notification" | "toast" | "sound" | "highlight";

interface AlertsHook {
  rules: number;
  fired: number;
  alerts: { rule_name: string; session_id: string | null; why: string }[];
  sound: { enabled: boolean; playing: boolean; muted_until: number | null; detail?: string };
}

describe("alert rules in Chromium", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;
  const spawn = (): SimSession => spawnSession(tg, { maxTurns: 20, priority: "normal" });
  const hook = () =>
    e2e.ext.worker.evaluate(() =>
      (globalThis as unknown as { __lc: { alerts(): unknown } }).__lc.alerts(),
    ) as Promise<AlertsHook | null>;

  async function addRule(name: string, phrase: string, actions: Action[], repeat = false): Promise<void> {
    await page.getByRole("button", { name: "Add rule" }).click();
    const form = page.locator(".al-form");
    await form.locator(".al-name").fill(name);
    await form.locator(".al-phrases").fill(phrase);
    for (const a of ["badge", "notification", "toast", "sound", "highlight"] as const)
      await form.locator(`input[name="action-${a}"]`).setChecked(actions.includes(a));
    if (repeat) await form.locator('input[name="repeat"]').setChecked(true);
    await form.getByRole("button", { name: "Add rule" }).click();
    await page.locator(".al-rule", { hasText: name }).waitFor({ timeout: TIMEOUT });
  }

  beforeAll(async () => {
    e2e = await startPanelSession({ gateway: { tokensPerSecond: 50 } });
    ({ tg, page } = e2e);
  });
  afterAll(() => e2e?.close());

  it("rules made in the editor are kept in IndexedDB across a panel reload and reach the worker", async () => {
    await page.getByRole("button", { name: /^Alerts/ }).click();
    // Inline validation first: an empty rule is refused with reasons.
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.locator(".al-form").getByRole("button", { name: "Add rule" }).click();
    expect(await page.locator(".al-form .al-error").allTextContents()).toEqual([
      "the rule needs a name",
      "list at least one word or phrase",
    ]);
    await page.locator(".al-form").getByRole("button", { name: "Cancel" }).click();

    await addRule("Lawyer", "lawyer", ["badge"]);
    await addRule("Ombudsman", "ombudsman", ["notification"]);
    await addRule("Cancel", "cancel my account", ["toast"]);
    await addRule("Fire alarm", "fire alarm", ["sound", "toast"], true);
    await addRule("Regional manager", "regional manager", ["highlight"]);

    await page.reload();
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: /^Alerts/ }).click();
    await page.locator(".al-rule").nth(4).waitFor({ timeout: TIMEOUT });
    expect(await page.locator(".al-rule-name").allTextContents()).toEqual([
      "Lawyer",
      "Ombudsman",
      "Cancel",
      "Fire alarm",
      "Regional manager",
    ]);
    await until("the worker has the five rules", async () => (await hook())?.rules === 5, TIMEOUT, 50);
    // The worker keeps them in storage.local: they fire after a browser restart before any panel opens.
    await until(
      "the five rules in storage.local",
      async () => {
        const stored = await e2e.ext.worker.evaluate(() => chrome.storage.local.get("lc_alerts"));
        const value = stored.lc_alerts as { rules?: unknown[] } | undefined;
        return value?.rules?.length === 5;
      },
      TIMEOUT,
      50,
    );
  }, 120_000);

  it("badge: the alerted session counts in the toolbar badge", async () => {
    const s = spawn();
    await until(
      "the worker has the session",
      async () =>
        ((await e2e.ext.worker.evaluate(
          (id) =>
            (globalThis as unknown as { __lc: { dump(): { sessions: { id: string }[] } } }).__lc
              .dump()
              .sessions.some((x) => x.id === id),
          s.id,
        )) as boolean) === true,
      TIMEOUT,
      50,
    );
    expect(await e2e.ext.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe("");
    s.userMessage("I am talking to my lawyer tomorrow.");
    await until(
      "badge 1",
      async () => (await e2e.ext.worker.evaluate(() => chrome.action.getBadgeText({}))) === "1",
      TIMEOUT,
      50,
    );
    expect(await e2e.ext.worker.evaluate(() => chrome.action.getTitle({}))).toContain("1 with an alert");
  }, 60_000);

  it("notification: a desktop notification for the alerted session", async () => {
    const s = spawn();
    s.userMessage("I will write to the Ombudsman.");
    await until(
      "alert notification",
      async () =>
        Object.keys(await e2e.ext.worker.evaluate(() => chrome.notifications.getAll())).some(
          (id) => id.startsWith("lc|alert|") && id.includes(s.id),
        ),
      TIMEOUT,
      50,
    );
    const fired = (await hook())?.alerts.find((a) => a.session_id === s.id);
    expect(fired).toMatchObject({ rule_name: "Ombudsman", why: "user said “ombudsman”" });
  }, 60_000);

  it("toast: names the rule and why; Acknowledge removes it", async () => {
    await page.getByRole("button", { name: "Back to sessions" }).click();
    const s = spawn();
    s.userMessage("Please cancel my account today");
    const toast = page.locator(".alert-toast", { hasText: "Rule ‘Cancel’" });
    await toast.waitFor({ timeout: TIMEOUT });
    expect(await toast.locator(".toast-title").textContent()).toBe(
      "Rule ‘Cancel’ — user said “cancel my account”",
    );
    await toast.getByRole("button", { name: /^Acknowledge rule Cancel/ }).click();
    await toast.waitFor({ state: "detached", timeout: TIMEOUT });
    await until(
      "the worker forgot the acknowledged alert",
      async () => !(await hook())?.alerts.some((a) => a.session_id === s.id),
      TIMEOUT,
      50,
    );
  }, 60_000);

  it("highlight: the card is marked and labelled until acknowledged", async () => {
    const s = spawn();
    s.userMessage("Get me your regional manager");
    const card = page.locator(`.session-card[data-session-id="${s.id}"]`);
    await page
      .locator(`.session-card[data-session-id="${s.id}"][data-alerted="true"]`)
      .waitFor({ timeout: TIMEOUT });
    expect(await card.getAttribute("aria-description")).toMatch(
      /^Alert: Rule ‘Regional manager’ — user said “regional manager”\./,
    );
    expect(await card.locator(".alert-marker").textContent()).toContain("Regional manager");
  }, 60_000);

  it("sound: off until enabled; then the offscreen document plays, repeating until acknowledged", async () => {
    const quiet = spawn();
    quiet.userMessage("There is a fire alarm"); // sound not yet enabled: nothing plays
    await until(
      "the first fire alarm alert",
      async () => (await hook())?.alerts.some((a) => a.session_id === quiet.id) ?? false,
      TIMEOUT,
      50,
    );
    expect((await hook())?.sound.playing).toBe(false);
    await page.getByRole("button", { name: /^Alerts/ }).click();
    await page.getByRole("button", { name: "Acknowledge all" }).click();
    await page.getByRole("button", { name: "Turn on alert sound" }).click();
    await until("sound enabled", async () => (await hook())?.sound.enabled === true, TIMEOUT, 50);
    await until(
      "the sound choice kept in storage.local",
      async () => {
        const stored = await e2e.ext.worker.evaluate(() => chrome.storage.local.get("lc_alerts"));
        return (stored.lc_alerts as { sound?: { enabled?: boolean } } | undefined)?.sound?.enabled === true;
      },
      TIMEOUT,
      50,
    );
    await page.getByRole("button", { name: "Back to sessions" }).click();

    const s = spawn();
    s.userMessage("The FIRE ALARM is ringing");
    await until(
      "the offscreen document plays",
      async () => (await hook())?.sound.playing === true,
      TIMEOUT,
      50,
    );
    const contexts = await e2e.ext.worker.evaluate(() =>
      chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] }),
    );
    expect(contexts.map((c) => new URL(c.documentUrl ?? "").pathname)).toEqual(["/offscreen.html"]);
    const toast = page.locator(".alert-toast", { hasText: "Rule ‘Fire alarm’" });
    await toast.getByRole("button", { name: /^Acknowledge rule Fire alarm/ }).click();
    await until("the sound stops on ack", async () => (await hook())?.sound.playing === false, TIMEOUT, 50);
  }, 90_000);
});
