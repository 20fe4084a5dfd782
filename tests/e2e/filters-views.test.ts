/**
 * Filters and saved views in the real panel, real worker, real gateway and
 * real IndexedDB: apply an example view, save a view, reload the panel (the
 * filter comes back from storage.session, the views from IndexedDB), relaunch
 * the browser on the same profile (the views survive; the active filter, kept
 * only for the browser session, does not). Also: the Interventions tab shows
 * the audit history of an intervention made before the restart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimSession } from "../../gateway/sim/sim-session";
import type { SpawnOptions } from "../../gateway/sim/simulation";
import { spawnSession, type TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession, E2E_TIMEOUT as TIMEOUT } from "../helpers/panel-session";

describe("filters and saved views in Chromium", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;
  const profile = mkdtempSync(join(tmpdir(), "lc-views-profile-"));
  const spawn = (opts: SpawnOptions = {}): SimSession => spawnSession(tg, { maxTurns: 20, ...opts });

  /** Opens the saved-views popover unless it is open. */
  async function openViews(): Promise<void> {
    const toggle = page.locator('.flt-select-button[aria-haspopup="true"]');
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await page.locator(".flt-views-panel").waitFor({ timeout: TIMEOUT });
  }
  const cardIds = async () =>
    page
      .locator(".session-list [data-session-id]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-session-id")));

  beforeAll(async () => {
    e2e = await startPanelSession({ gateway: { tokensPerSecond: 25 }, userDataDir: profile });
    ({ tg, page } = e2e);
  });
  afterAll(async () => {
    await e2e?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it("applies the High Priority example view: a chip, a count, and only matching cards", async () => {
    const urgent = spawn({ priority: "urgent", channel: "whatsapp" });
    const high = spawn({ priority: "high", channel: "web" });
    const low = spawn({ priority: "low", channel: "web" });
    for (const s of [urgent, high, low])
      await page.locator(`[data-session-id="${s.id}"]`).waitFor({ timeout: TIMEOUT });

    await openViews();
    // One icon set that renders here: inline SVG, no emoji glyph (this Chromium has no emoji font).
    expect(await page.getByRole("button", { name: "Delete High Priority" }).locator("svg.icon").count()).toBe(
      1,
    );
    await page.getByRole("button", { name: "Apply view High Priority" }).click();
    // Applying a view closes the menu.
    await page.locator(".flt-views-panel").waitFor({ state: "detached", timeout: TIMEOUT });
    await page.locator('.flt-chip[data-chip="priorities"]').waitFor({ timeout: TIMEOUT });
    await page.locator(`[data-session-id="${low.id}"]`).waitFor({ state: "detached", timeout: TIMEOUT });
    const ids = await cardIds();
    expect(ids).toContain(urgent.id);
    expect(ids).toContain(high.id);
    for (const id of ids) {
      const p = await page.locator(`[data-session-id="${id}"]`).getAttribute("data-priority");
      expect(["high", "urgent"]).toContain(p);
    }
    expect(await page.locator(".flt-count").textContent()).toMatch(/^2 of 3 sessions$/);
  });

  it("saves the current filter as a named view", async () => {
    await openViews();
    await page.getByRole("button", { name: "Save current as…" }).click();
    await page.getByRole("textbox", { name: "Name for the current filters" }).fill("Escalations");
    await page.getByRole("textbox", { name: "Name for the current filters" }).press("Enter");
    await openViews();
    await page.getByRole("button", { name: "Apply view Escalations" }).waitFor({ timeout: TIMEOUT });
  });

  it("finds the filter and the views intact after reloading the panel", async () => {
    await page.reload();
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: TIMEOUT });
    await page.locator('.flt-chip[data-chip="priorities"]').waitFor({ timeout: TIMEOUT });
    expect(await page.locator(".flt-count").textContent()).toMatch(/^2 of 3 sessions$/);
    await page
      .getByRole("button", { name: /^View|^Views/ })
      .first()
      .click();
    await page.getByRole("button", { name: "Apply view Escalations" }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Apply view Errors Only" }).waitFor({ timeout: TIMEOUT });
  });

  it("keeps the views across a browser restart, while the session-scoped filter resets", async () => {
    // An intervention made before the restart: afterwards only the audit history knows it.
    const s = spawn({ priority: "normal" });
    const res = await fetch(`${tg.url}/v1/commands`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tg.tokens.supervisor}`,
        "content-type": "application/json",
        "idempotency-key": "3b8f1c2e-1d4a-4b5c-8d6e-0f1a2b3c4d5f",
      },
      body: JSON.stringify({
        cmd_id: "3b8f1c2e-1d4a-4b5c-8d6e-0f1a2b3c4d5f",
        action: "system_message",
        session_id: s.id,
        reason: "Tell the customer about the outage",
        payload: { text: "We are aware of an outage." },
      }),
    });
    expect(res.status).toBe(200);
    // The same profile, a new browser.
    await e2e.relaunch();
    ({ page } = e2e);
    await page.locator("[data-session-id]").first().waitFor({ timeout: TIMEOUT });
    expect(await page.locator('.flt-chip[data-chip="priorities"]').count()).toBe(0);
    await openViews();
    await page.getByRole("button", { name: "Apply view Escalations" }).click();
    await page.locator('.flt-chip[data-chip="priorities"]').waitFor({ timeout: TIMEOUT });
  });

  it("finds a session by a keyword in an earlier message of a conversation nobody has opened", async () => {
    await page.getByRole("tab", { name: "Sessions" }).click();
    const chip = page.locator(".flt-chip-remove");
    while ((await chip.count()) > 0) await chip.first().click();
    await page.locator(".flt-chip").first().waitFor({ state: "detached", timeout: TIMEOUT });
    const s = spawn({ priority: "normal", channel: "telegram" });
    s.userMessage("My flamingo-shaped lamp arrived broken.");
    s.userMessage("Can you help me with that?");
    const card = page.locator(`[data-session-id="${s.id}"]`);
    await card.waitFor({ timeout: TIMEOUT });
    await page
      .locator(`[data-session-id="${s.id}"] .card-preview`)
      .filter({ hasText: "Can you help" })
      .waitFor({
        timeout: TIMEOUT,
      });
    const toggle = page.locator(".filters-toggle");
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await page.getByRole("searchbox", { name: "Search messages" }).fill("flamingo");
    await page.locator('.flt-chip[data-chip="keyword"]').waitFor({ timeout: TIMEOUT });
    await card.waitFor({ timeout: TIMEOUT });
    expect(await cardIds()).toEqual([s.id]);
    // Why it matched: the earlier message, as a snippet on the card with the match marked.
    const snippet = card.locator(".flt-snippet");
    await snippet.waitFor({ timeout: TIMEOUT });
    expect(await snippet.textContent()).toBe("In the conversation: My flamingo-shaped lamp arrived broken.");
    expect(await snippet.locator("mark.flt-hit").textContent()).toBe("flamingo");
  });

  it("lists the audit history (GET /v1/interventions through the worker) in the Interventions tab", async () => {
    await page.getByRole("tab", { name: "Interventions" }).click();
    await page.getByText("Tell the customer about the outage").waitFor({ timeout: TIMEOUT });
  });
});
