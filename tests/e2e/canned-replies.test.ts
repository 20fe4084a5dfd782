/**
 * Canned replies in real Chromium with the real worker and gateway: a reply
 * created on the Replies screen survives a panel reload (real IndexedDB), is
 * inserted into a system message with its /shortcut + Tab, and after the
 * reason is given and the dialog submitted, the gateway's transcript holds it.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSession, type TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession } from "../helpers/panel-session";

const TIMEOUT = 20_000;
const TEXT = "Our team answers within 2 hours on working days.";

describe("canned replies in Chromium", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;

  beforeAll(async () => {
    e2e = await startPanelSession({ gateway: { tokensPerSecond: 25 } });
    ({ tg, page } = e2e);
  });
  afterAll(() => e2e?.close());

  it("creates a reply, keeps it across a reload and inserts it by shortcut into a system message that is sent", async () => {
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Canned replies", exact: true }).click();
    // The examples are seeded for a new user.
    await page.locator('.cr-row[data-reply-id="example-refund"]').waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Add canned reply" }).click();
    await page.locator("#cr-title").fill("Response time");
    await page.locator("#cr-text").fill(TEXT);
    await page.locator("#cr-shortcut").fill("/sla");
    await page.getByRole("button", { name: "Save reply" }).click();
    await page.locator(".cr-row", { hasText: "Response time" }).waitFor({ timeout: TIMEOUT });

    await page.reload();
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Canned replies", exact: true }).click();
    await page.locator(".cr-row", { hasText: "Response time" }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "← Back" }).click();

    const s = spawnSession(tg, { maxTurns: 20, agentId: "agt_support", channel: "web" });
    await page.locator(`[data-session-id="${s.id}"]`).click({ timeout: TIMEOUT });
    await page.locator(".iv-toolbar").waitFor({ timeout: TIMEOUT });
    await page.locator(".iv-control-message").click();
    const text = page.locator("#iv-text");
    await text.waitFor({ timeout: TIMEOUT });
    await text.pressSequentially("/sla");
    await text.press("Tab");
    expect(await text.inputValue()).toBe(TEXT);
    // Enter after inserting asks for the reason: nothing is sent without one.
    await text.press("Enter");
    await page.locator("#iv-reason-error").waitFor({ timeout: TIMEOUT });
    await page.locator("#iv-reason").fill("Setting expectations");
    await page.locator("#iv-reason").press("Enter");
    await page.getByRole("dialog").waitFor({ state: "detached", timeout: TIMEOUT });
    const after = await e2e.until("the system message in the transcript", async () => {
      const r = await e2e.sessionOf(s.id);
      return r.messages.some((m) => m.role === "system" && m.text === TEXT) ? r : null;
    });
    expect(after.messages.filter((m) => m.text === TEXT)).toHaveLength(1);
  });
});
