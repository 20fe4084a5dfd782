/**
 * `npm run screenshots` end to end: the same scenes (scripts/screenshots/scenes.ts)
 * drive the built extension in real Chromium against the real gateway with
 * simulated traffic, and write every README picture — here into
 * .output/screenshots/, so a test run leaves the committed images in
 * docs/screenshots/ alone (`npm run screenshots` refreshes those).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCREENSHOTS, takeScreenshots } from "../../scripts/screenshots/scenes";
import type { TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession } from "../helpers/panel-session";

const OUT = resolve(import.meta.dirname, "../../.output/screenshots");

describe("npm run screenshots: the README's pictures", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;

  beforeAll(async () => {
    e2e = await startPanelSession({
      simulated: true,
      gateway: { seed: 7, sessions: 8, rate: 30, newPerMinute: 20, tokensPerSecond: 40, heartbeatMs: 2000 },
    });
    ({ tg, page } = e2e);
  }, 60_000);
  afterAll(() => e2e?.close());

  it("writes every picture: list light and dark, 320 px, transcript, intervention, review, alerts", async () => {
    const supervisor = tg.gateway.options.users.find((u) => u.token === tg.tokens.supervisor);
    const agent = tg.gateway.options.users.find(
      (u) => (u.roles as string[]).includes("agent") && u.org_id === supervisor?.org_id,
    );
    const written = await takeScreenshots({
      page,
      gateway: tg.gateway,
      supervisorToken: tg.tokens.supervisor,
      agentToken: agent?.token ?? "",
      outDir: OUT,
    });
    expect(written).toEqual(SCREENSHOTS.map((name) => join(OUT, name)));
    for (const path of written) {
      const png = readFileSync(path);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect(png.length).toBeGreaterThan(5_000);
    }
  }, 120_000);
});
