/**
 * axe-core at zero (issue 23 item 5): every view of the built extension — the
 * session list, an open transcript, each dialog (saved views, an
 * intervention's reason dialog with and without a text field), the alerts
 * screen, the canned replies screen and the options page — in light and in
 * dark at 400 px, against the real gateway with simulated traffic. axe goes in
 * through the DevTools protocol (tests/helpers/axe.ts), since the extension's
 * CSP refuses inline scripts. Every violation of any impact fails the view.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimSession } from "../../gateway/sim/sim-session";
import { describeFindings, runAxe } from "../helpers/axe";
import type { LoadedExtension } from "../helpers/extension";
import { spawnSession } from "../helpers/gateway";
import { type PanelSession, startPanelSession, E2E_TIMEOUT as TIMEOUT } from "../helpers/panel-session";

const WIDTH = 400;

describe("axe finds nothing in any view (400 px)", () => {
  let e2e: PanelSession;
  let ext: LoadedExtension;
  let page: Page;
  /** A voice call that never ends on its own (the test makes its caller speak), so its controls stay live. */
  let call: SimSession;

  beforeAll(async () => {
    e2e = await startPanelSession({
      simulated: true,
      gateway: { seed: 11, sessions: 4, rate: 30, tokensPerSecond: 60, heartbeatMs: 2000 },
      page: { width: WIDTH, height: 760 },
      beforeOpen(tg) {
        // Sessions that show what the list can show: urgent and high priority, a voice call.
        call = spawnSession(tg, {
          channel: "phone",
          priority: "urgent",
          agentId: "agt_voice",
          maxTurns: 1000,
          insight: { chance: false },
        });
        spawnSession(tg, { channel: "web", priority: "high", maxTurns: 40, auto: true });
      },
    });
    ({ ext, page } = e2e);
  });
  afterAll(() => e2e?.close());

  const expectClean = async (target: Page, view: string) => {
    const findings = await runAxe(target);
    expect(findings, `${view}: ${findings.length} violation(s)\n${describeFindings(findings)}`).toEqual([]);
  };
  const backToList = async () => {
    for (const back of [".back-button", ".alerts-view .al-top > button"]) {
      const b = page.locator(back);
      if ((await b.count()) > 0) await b.first().click();
    }
    await page.locator("[data-session-id]").first().waitFor({ timeout: TIMEOUT });
  };

  for (const scheme of ["light", "dark"] as const) {
    describe(scheme, () => {
      beforeAll(async () => {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
      });

      it("the session list", async () => {
        await backToList();
        await expect
          .poll(() => page.locator("[data-session-id]").count(), { timeout: TIMEOUT, interval: 200 })
          .toBeGreaterThanOrEqual(3);
        await expectClean(page, `list (${scheme})`);
      }, 90_000);

      it("the saved views dialog", async () => {
        await page.locator('.flt-select-button[aria-haspopup="true"]').click();
        await page.locator(".flt-views-panel").waitFor({ timeout: TIMEOUT });
        await expectClean(page, `saved views (${scheme})`);
        await page.keyboard.press("Escape");
        await page.locator(".flt-views-panel").waitFor({ state: "detached", timeout: TIMEOUT });
      }, 90_000);

      it("an open transcript", async () => {
        // Speaking makes the call the most recent activity: at the top of the list.
        call.userMessage("My parcel has not arrived yet and I need it for Friday.");
        await page.locator(`.session-list [data-session-id="${call.id}"]`).click({ timeout: TIMEOUT });
        await page.locator(".transcript-loading").waitFor({ state: "detached", timeout: TIMEOUT });
        await page.locator(".iv-toolbar").waitFor({ timeout: TIMEOUT });
        await page.locator(".message").nth(1).waitFor({ timeout: TIMEOUT });
        await expectClean(page, `transcript (${scheme})`);
      }, 90_000);

      it("the reason dialog, with and without a text field", async () => {
        for (const control of [".iv-control-pause", ".iv-control-message"]) {
          await page.locator(control).click();
          const dialog = page.getByRole("dialog");
          await dialog.waitFor({ timeout: TIMEOUT });
          await expectClean(page, `reason dialog ${control} (${scheme})`);
          await page.keyboard.press("Escape");
          await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
        }
      }, 90_000);

      it("the alerts screen", async () => {
        await backToList();
        await page.locator(".alerts-button:not(.canned-button)").click();
        await page.locator(".alerts-view").waitFor({ timeout: TIMEOUT });
        await expectClean(page, `alerts (${scheme})`);
      }, 90_000);

      it("the canned replies screen", async () => {
        await page.getByRole("button", { name: "Canned replies", exact: true }).click();
        await page.locator('.cr-row[data-reply-id="example-refund"]').waitFor({ timeout: TIMEOUT });
        await expectClean(page, `canned replies (${scheme})`);
      }, 90_000);

      it("the options page", async () => {
        const options = await ext.context.newPage();
        try {
          await options.setViewportSize({ width: WIDTH, height: 900 });
          await options.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
          await options.goto(`chrome-extension://${ext.id}/options.html`);
          await options.locator("form").first().waitFor({ timeout: TIMEOUT });
          await options.locator("input").first().waitFor({ timeout: TIMEOUT });
          await expectClean(options, `options (${scheme})`);
        } finally {
          await options.close();
        }
      }, 90_000);
    });
  }
});
