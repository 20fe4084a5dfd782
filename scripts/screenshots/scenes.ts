/**
 * The README's pictures, taken from the built extension's panel page in real
 * Chromium against a real gateway with simulated traffic: the session list
 * (light and dark), the narrow 320 px panel, a transcript with a table and
 * code, an intervention with its log, review mode with a draft waiting, and the
 * alerts screen with a fired alert. Every step waits for what it shows (no
 * sleeps). Used by `npm run screenshots` (scripts/screenshots.ts) and by
 * tests/e2e/panel-screenshots.test.ts.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { Gateway } from "../../gateway/gateway.ts";
import type { SimSession } from "../../gateway/sim/sim-session.ts";
import { publishRichConversation } from "./rich-conversation.ts";

export interface ScreenshotOptions {
  /** The panel page, pointed at `gateway` and connected. */
  page: Page;
  gateway: Gateway;
  supervisorToken: string;
  /** An agent token of the supervisor's org (publishes the transcript's conversation). */
  agentToken: string;
  outDir: string;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export const WIDTH = 400;
export const HEIGHT = 760;
export const NARROW = 320;

/** Every file `takeScreenshots` writes, in order. */
export const SCREENSHOTS = [
  "panel-list-light.png",
  "panel-list-dark.png",
  "panel-narrow-320.png",
  "panel-transcript-light.png",
  "panel-transcript-dark.png",
  "panel-intervention.png",
  "panel-review.png",
  "panel-alerts.png",
] as const;

export async function takeScreenshots(o: ScreenshotOptions): Promise<string[]> {
  const { page } = o;
  const timeout = o.timeoutMs ?? 30_000;
  const log = o.log ?? (() => undefined);
  mkdirSync(o.outDir, { recursive: true });
  const written: string[] = [];
  const shoot = async (name: (typeof SCREENSHOTS)[number]) => {
    const path = join(o.outDir, name);
    await page.screenshot({ path, animations: "disabled", caret: "hide" });
    written.push(path);
    log(`  ${name}`);
  };
  const scheme = (colorScheme: "light" | "dark") =>
    page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
  const sim = simOf(o.gateway, o.supervisorToken);
  const spawn = (priority: "normal" | "high"): SimSession =>
    sim.spawn({ auto: false, channel: "web", priority, maxTurns: 40, insight: { chance: false } });

  await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  await scheme("light");
  await page.locator('.connection[data-state="connected"]').waitFor({ timeout });
  // In-app toasts of the simulated errors and hand-offs would cover the bottom of every picture: muted
  // (the panel's own switch), and those already shown dismissed. Alert toasts are not muted.
  const mute = page.getByRole("switch", { name: "Mute in-app notifications" });
  if ((await mute.getAttribute("aria-checked")) !== "true") await mute.click();
  await page.locator('.mute-switch[aria-checked="true"]').waitFor({ timeout });
  const dismissToasts = async () => {
    for (const close of await page.locator(".toasts .toast-close").all())
      await close.click().catch(() => undefined);
    await until(timeout, "no toasts", async () => (await page.locator(".toasts .toast").count()) === 0);
  };

  // The sessions the later pictures need, started now so that the list shows them too.
  const rich = await publishRichConversation(o.gateway.url, o.agentToken);
  await untilMessages(
    o.gateway,
    o.supervisorToken,
    rich.sessionId,
    "the published conversation",
    (ms) => ms.length >= 4,
    timeout,
  );
  const steered = spawn("high");
  steered.userMessage("Hi, my order has not arrived yet.");
  const reviewed = spawn("normal");
  reviewed.userMessage("Can you check the tracking?");

  try {
    // 1. The list: enough cards, and three samples in every sparkline (two 5 s buckets crossed).
    await until(
      timeout,
      "six session cards",
      async () => (await page.locator("[data-session-id]").count()) >= 6,
    );
    await until(timeout, "three samples in each sparkline", async () => {
      const pts = await page
        .locator(".metrics .sparkline")
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-points"))));
      return pts.length === 4 && Math.min(...pts) >= 3;
    });
    await dismissToasts();
    await shoot("panel-list-light.png");
    await scheme("dark");
    await shoot("panel-list-dark.png");
    await scheme("light");
    await page.setViewportSize({ width: NARROW, height: 680 });
    await shoot("panel-narrow-320.png");
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });

    // 2. A transcript with a table and code.
    await openConversation(page, rich.sessionId, timeout);
    await until(
      timeout,
      "the four messages",
      async () => (await page.locator(".messages .message").count()) >= 4,
    );
    await page.locator(".messages").getByText("Perfect, Pro it is").waitFor({ timeout });
    await dismissToasts();
    await shoot("panel-transcript-light.png");
    await scheme("dark");
    await shoot("panel-transcript-dark.png");
    await scheme("light");

    // 3. An intervention and its log: a pause, then a message to the user, each with its reason.
    await untilMessages(
      o.gateway,
      o.supervisorToken,
      steered.id,
      "the agent's first reply",
      (ms) => ms.some((m) => m.role === "agent"),
      timeout,
    );
    await openConversation(page, steered.id, timeout);
    await intervene(page, "pause", { reason: "Checking the order history first" }, timeout);
    await intervene(
      page,
      "message",
      { text: "A supervisor is looking at your order now.", reason: "Setting expectations" },
      timeout,
    );
    await page.locator(".iv-log-toggle").click();
    await until(
      timeout,
      "two log entries",
      async () => (await page.locator("#iv-session-log .iv-log-item").count()) >= 2,
    );
    await shoot("panel-intervention.png");

    // 4. Review mode: the agent's next reply waits as a draft.
    await openConversation(page, reviewed.id, timeout);
    await page.locator(".iv-control-review").click();
    await submitDialog(page, { reason: "New refund policy this week" }, timeout);
    await page.locator('.iv-control-review[data-pressed="true"]').waitFor({ timeout });
    reviewed.userMessage("It was supposed to come on Monday.");
    await until(timeout, "a draft awaiting approval", async () => {
      const text = await page
        .locator(".draft .draft-text")
        .first()
        .textContent({ timeout: 500 })
        .catch(() => "");
      return (text ?? "").length > 20;
    });
    await shoot("panel-review.png");

    // 5. Alerts: two rules, one of which fires on what a user says.
    await page.locator(".back-button").click();
    await page.getByRole("button", { name: /^Alerts/ }).click();
    await addRule(page, "Cancellation", "cancel my account", ["toast", "highlight", "badge"], timeout);
    await addRule(page, "Legal threat", "lawyer,ombudsman", ["notification", "sound"], timeout);
    const alerted = spawn("normal");
    alerted.userMessage("I want to cancel my account today.");
    await page.locator(".al-active-item").first().waitFor({ timeout });
    await shoot("panel-alerts.png");
    await page.getByRole("button", { name: "Back to sessions" }).click();
  } finally {
    rich.close();
  }
  return written;
}

function simOf(gateway: Gateway, token: string) {
  const orgId = gateway.options.users.find((u) => u.token === token)?.org_id;
  const sim = orgId ? gateway.sims.get(orgId) : undefined;
  if (!sim) throw new Error("screenshots: the supervisor token's organisation is not on this gateway");
  return sim;
}

async function until(timeoutMs: number, what: string, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`screenshots: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the gateway holds the session with messages that pass `check`. */
async function untilMessages(
  gateway: Gateway,
  token: string,
  sessionId: string,
  what: string,
  check: (messages: { role: string }[]) => boolean,
  timeoutMs: number,
) {
  const messages = async () => {
    const res = await fetch(`${gateway.url}/v1/sessions/${sessionId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return res.ok ? (((await res.json()) as { messages?: { role: string }[] }).messages ?? []) : [];
  };
  await until(timeoutMs, what, async () => check(await messages()));
}

/**
 * Opens a session from the list. The list is virtualised (only visible cards exist) and sorted by recent
 * activity, so the window is made tall enough for every card while clicking, then put back.
 */
async function openConversation(page: Page, id: string, timeout: number): Promise<void> {
  if ((await page.locator(".conversation").count()) > 0) await page.locator(".back-button").click();
  const size = page.viewportSize() ?? { width: WIDTH, height: HEIGHT };
  await page.setViewportSize({ width: size.width, height: 3000 });
  await page
    .locator(`[data-session-id="${id}"]`)
    .click({ timeout })
    .catch(async (e: unknown) => {
      const shown = await page
        .locator("[data-session-id]")
        .evaluateAll((els) => els.map((el) => el.getAttribute("data-session-id")));
      throw new Error(`session ${id} not in the list (${shown.join(", ")}): ${String(e).split("\n")[0]}`);
    });
  await page.locator(`.conversation[data-session-id="${id}"]`).waitFor({ timeout });
  await page.setViewportSize(size);
  await page.locator(".transcript-loading").waitFor({ state: "detached", timeout });
}

async function submitDialog(page: Page, fields: { text?: string; reason: string }, timeout: number) {
  const dialog = page.getByRole("dialog");
  await dialog.waitFor({ timeout });
  if (fields.text !== undefined) await page.locator("#iv-text").fill(fields.text);
  await page.locator("#iv-reason").fill(fields.reason);
  await page.locator("#iv-reason").press("Enter");
  await dialog.waitFor({ state: "detached", timeout });
}

/** Clicks the control, fills its dialog and waits until the gateway acknowledged the command. */
async function intervene(
  page: Page,
  kind: string,
  fields: { text?: string; reason: string },
  timeout: number,
) {
  await page.locator(`.iv-control-${kind}`).click();
  await submitDialog(page, fields, timeout);
  const item = page.locator(".iv-status-item").first();
  await until(timeout, `the gateway's answer to ${kind}`, async () => {
    const phase = await item.getAttribute("data-phase");
    return phase !== null && phase !== "pending";
  });
}

type AlertAction = "badge" | "notification" | "toast" | "sound" | "highlight";

async function addRule(page: Page, name: string, phrases: string, actions: AlertAction[], timeout: number) {
  await page.getByRole("button", { name: "Add rule" }).click();
  const form = page.locator(".al-form");
  await form.locator(".al-name").fill(name);
  await form.locator(".al-phrases").fill(phrases);
  for (const a of ["badge", "notification", "toast", "sound", "highlight"] as const)
    await form.locator(`input[name="action-${a}"]`).setChecked(actions.includes(a));
  await form.getByRole("button", { name: "Add rule" }).click();
  await page.locator(".al-rule", { hasText: name }).waitFor({ timeout });
}
