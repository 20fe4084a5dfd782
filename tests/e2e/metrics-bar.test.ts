/**
 * The metrics bar in real Chromium against the real gateway: four sparklines
 * of the last hour fill from the worker's history, each an image named by its
 * text alternative; a reopened panel gets the history back from the worker at
 * once; at 320, 400 and 480 px no label or value is clipped; axe finds nothing
 * in the bar (contrast, names) in light and dark.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeFindings, runAxe } from "../helpers/axe";
import { openPanelPage } from "../helpers/panel-page";
import { type PanelSession, startPanelSession } from "../helpers/panel-session";

const TIMEOUT = 30_000;
const TREND =
  /^(Active sessions|Average reply time|Cost per hour|Intervention rate), last hour: .+ → .+, (rising|falling|steady)$/;

const sparkNames = (page: Page) =>
  page
    .locator('.metrics .sparkline[role="img"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
const points = (page: Page) =>
  page
    .locator(".metrics .sparkline")
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-points"))));

describe("metrics bar: sparklines, labels that fit, axe", () => {
  let e2e: PanelSession;
  let page: Page;

  beforeAll(async () => {
    e2e = await startPanelSession({
      simulated: true,
      gateway: { metricsIntervalMs: 500, heartbeatMs: 2000 },
      page: { width: 320 },
    });
    ({ page } = e2e);
  }, 90_000);
  afterAll(() => e2e?.close());

  it("draws the four trends with their text alternatives as samples arrive (5 s buckets)", async () => {
    await expect
      .poll(async () => (await sparkNames(page)).filter((n) => n && TREND.test(n)).length, {
        timeout: TIMEOUT,
        interval: 250,
      })
      .toBe(4);
    const names = await sparkNames(page);
    expect(names.map((n) => n?.split(",")[0])).toEqual([
      "Active sessions",
      "Average reply time",
      "Cost per hour",
      "Intervention rate",
    ]);
    for (const d of await page
      .locator(".metrics .sparkline path")
      .evaluateAll((els) => els.map((e) => e.getAttribute("d"))))
      expect(d).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
  });

  it("a reopened panel shows the history the worker kept, at once", async () => {
    // Three samples (two bucket changes): more than a fresh panel could gather before its first check.
    await expect
      .poll(async () => Math.min(...(await points(page))), { timeout: TIMEOUT, interval: 250 })
      .toBeGreaterThanOrEqual(3);
    const before = Math.min(...(await points(page)));
    await page.close();
    page = await openPanelPage(e2e.ext, { url: e2e.tg.url, token: e2e.tg.tokens.supervisor }, { width: 320 });
    // The first render after init: no new sample has had to arrive.
    expect(Math.min(...(await points(page)))).toBeGreaterThanOrEqual(before);
    expect((await sparkNames(page)).every((n) => n && TREND.test(n))).toBe(true);
  });

  it("clips no label or value from 320 to 480 px, and axe finds nothing in the bar, light and dark", async () => {
    for (const width of [320, 400, 480]) {
      await page.setViewportSize({ width, height: 760 });
      const clipped = await page
        .locator(".metrics dt, .metrics .metric-value")
        .evaluateAll((els) =>
          els
            .filter((e) => e.scrollWidth > e.clientWidth + 0.5 || e.getBoundingClientRect().width === 0)
            .map((e) => e.textContent),
        );
      expect(clipped, `clipped at ${width} px`).toEqual([]);
      const narrow = await page
        .locator(".metrics .sparkline")
        .evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().width < 16).length);
      expect(narrow, `sparklines narrower than 16 px at ${width} px`).toBe(0);
    }
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const findings = await runAxe(page, ".metrics");
      expect(findings, `${scheme}: ${describeFindings(findings)}`).toEqual([]);
    }
  });
});
