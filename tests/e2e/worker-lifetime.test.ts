/**
 * The built extension in real headless Chromium against the real gateway:
 * the badge and notifications match the sessions, and a worker stopped by
 * Chrome (CDP ServiceWorker.stopAllWorkers) comes back with the same state,
 * resuming from the cursor it persisted in storage.session.
 */
import type { Worker } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badgeFor } from "../../utils/attention/badge";
import { PANEL_PORT } from "../../utils/panel-messages";
import type { Session } from "../../utils/protocol";
import type { WorkerDump } from "../../utils/worker/worker-core";
import { type LoadedExtension, launchExtension } from "../helpers/extension";
import { simOf, startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until";
import { comparable } from "../helpers/worker-node";

let tg: TestGateway;
let ext: LoadedExtension;
let orgId = "";

const dumpOf = (w: Worker) =>
  w.evaluate(
    () => (globalThis as unknown as { __lc?: { dump(): unknown } }).__lc?.dump() ?? null,
  ) as Promise<WorkerDump | null>;

const startedAt = (w: Worker) =>
  w.evaluate(() => (globalThis as unknown as { __lc?: { startedAt: number } }).__lc?.startedAt ?? 0);

function attention(sessions: Session[]) {
  const active = sessions.filter((s) => s.status !== "ended");
  return {
    urgent: active.filter((s) => s.priority === "urgent").length,
    high: active.filter((s) => s.priority === "high").length,
  };
}

/**
 * The badge the gateway's sessions call for, by the badge's own rule (urgent, high, waiting for a human,
 * drafts waiting for review): read afresh on every poll, since the gateway's timers (the human queue's
 * give-up) may still change a session after the simulation stops.
 */
const badgeOfGateway = () =>
  badgeFor(tg.gateway.snapshot(orgId).sessions, { state: "connected", latency_ms: null, since: 0 });

const badgeOfWorker = (w: Worker) =>
  w.evaluate(async () => ({
    text: await chrome.action.getBadgeText({}),
    title: await chrome.action.getTitle({}),
  }));

beforeAll(async () => {
  tg = await startTestGateway({ sessions: 6, rate: 20, newPerMinute: 0 });
  orgId = tg.gateway.options.users.find((u) => u.token === tg.tokens.supervisor)?.org_id ?? "";
  ext = await launchExtension();
  const settings = { gatewayUrl: tg.url, token: tg.tokens.supervisor, pollIntervalMs: 5000 };
  await ext.worker.evaluate((s) => chrome.storage.local.set({ settings: s }), settings);
});

afterAll(async () => {
  await ext?.close();
  await tg?.stop();
});

describe("the worker in Chromium", () => {
  it("connects, and its badge and notifications match the sessions", async () => {
    await until(
      "connected",
      async () => (await dumpOf(ext.worker))?.connection.state === "connected",
      15_000,
      50,
    );
    const sim = simOf(tg.gateway, orgId);
    sim.stop(); // no spontaneous escalations while we count
    const notificationsBefore = Object.keys(await ext.worker.evaluate(() => chrome.notifications.getAll()));
    for (let i = 0; i < 3; i++) sim.spawn({ priority: "urgent", auto: false });
    sim.spawn({ priority: "high", auto: false });
    const expected = attention(tg.gateway.snapshot(orgId).sessions);
    expect(expected.urgent).toBeGreaterThanOrEqual(3);
    expect(expected.high).toBeGreaterThanOrEqual(1);
    type Badge = { text: string; title: string };
    let last = null as { shown: Badge; wanted: Badge } | null;
    await until(
      "the badge the gateway's sessions call for",
      async () => {
        const shown = await badgeOfWorker(ext.worker);
        const { text, title } = badgeOfGateway();
        last = { shown, wanted: { text, title } };
        return shown.text === text && shown.title === title;
      },
      5000,
      50,
    ).catch((e) => {
      throw new Error(`${(e as Error).message}: ${JSON.stringify(last)}`);
    });
    // The three urgent and the high one at least.
    expect(Number(last?.shown.text)).toBeGreaterThanOrEqual(4);
    // One coalesced notification for the burst of urgent sessions, not one each.
    await until(
      "urgent notification",
      async () =>
        Object.keys(await ext.worker.evaluate(() => chrome.notifications.getAll())).some((id) =>
          id.startsWith("lc|urgent|"),
        ),
      5000,
      50,
    );
    const ids = Object.keys(await ext.worker.evaluate(() => chrome.notifications.getAll()));
    const fresh = ids.filter((id) => id.startsWith("lc|urgent|") && !notificationsBefore.includes(id));
    expect(fresh).toHaveLength(1);
  }, 60_000);

  it("comes back with the same state after ServiceWorker.stopAllWorkers", async () => {
    const before = await dumpOf(ext.worker);
    expect(before?.cursor).not.toBeNull();
    const startedBefore = await startedAt(ext.worker);
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.id}/options.html`);
    const cdp = await ext.context.newCDPSession(page);
    const status: string[] = [];
    cdp.on("ServiceWorker.workerVersionUpdated", (e) => {
      for (const v of e.versions) status.push(v.runningStatus);
    });
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.stopAllWorkers");
    await until("worker stopped", async () => status.at(-1) === "stopped", 10_000, 50);

    // Traffic goes on while the worker is dead.
    const org = tg.gateway.orgs.get(orgId);
    if (!org) throw new Error("no org");
    simOf(tg.gateway, orgId).spawn({ priority: "urgent" });
    simOf(tg.gateway, orgId).spawn({ priority: "normal" });
    const log = org.state.log;
    const deadSeq = log.lastSeq();
    await until("events while stopped", async () => log.lastSeq() > deadSeq + 5, 15_000, 50);

    // A panel opening a port wakes it (Playwright's Worker handle follows the new instance).
    const t0 = Date.now();
    await page.evaluate((name) => {
      (globalThis as unknown as { port: chrome.runtime.Port }).port = chrome.runtime.connect({ name });
    }, PANEL_PORT);
    await until("worker running again", async () => status.at(-1) === "running", 10_000, 50);
    const worker = ext.worker;
    await until("a new worker instance", async () => (await startedAt(worker)) !== startedBefore, 10_000, 50);
    for (const sim of tg.gateway.sims.values()) sim.stop();
    const end = log.lastSeq();
    await until(
      "caught up after restart",
      async () => (await dumpOf(worker))?.cursor?.seq === end,
      15_000,
      50,
    );
    const recoveryMs = Date.now() - t0;
    const after = await dumpOf(worker);
    expect(comparable(after?.sessions ?? [])).toEqual(comparable(tg.gateway.snapshot(orgId).sessions));
    expect(after?.counters.resyncs).toBe(0); // resumed from the cursor, no snapshot needed
    await until(
      "badge after restart",
      async () => (await badgeOfWorker(worker)).text === badgeOfGateway().text,
      5000,
      50,
    );
    console.log(
      `[worker-lifetime] stopped at seq ${before?.cursor?.seq}, gateway at ${end}; recovered in ${recoveryMs} ms`,
    );
    await page.close();
  }, 60_000);

  it("options page: labelled fields, a connection test that names the failure, and the worker follows saved settings", async () => {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.id}/options.html`);
    await expectValue(page.getByLabel("Gateway URL"), tg.url);
    const result = page.getByRole("status", { name: "Connection test result" });

    await page.getByRole("button", { name: "Test connection" }).click();
    await result.filter({ hasText: "Connected" }).waitFor({ timeout: 10_000 });

    await page.getByLabel("Token").fill("lc_wrong_token");
    await page.getByRole("button", { name: "Test connection" }).click();
    await result.filter({ hasText: "401" }).waitFor({ timeout: 10_000 });
    expect(await result.textContent()).not.toContain("lc_wrong_token");

    await page.getByLabel("Gateway URL").fill("not a url");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("alert").filter({ hasText: "gateway URL" }).waitFor({ timeout: 5000 });

    // Saved settings reach the worker: the wrong token makes it unauthorized, with its badge.
    await page.getByLabel("Gateway URL").fill(tg.url);
    await page.getByRole("button", { name: "Save" }).click();
    await until(
      "unauthorized",
      async () => (await dumpOf(ext.worker))?.connection.state === "unauthorized",
      10_000,
      50,
    );
    await until(
      "badge !",
      async () => (await ext.worker.evaluate(() => chrome.action.getBadgeText({}))) === "!",
      5000,
      50,
    );
    await page.close();
  }, 60_000);
});

async function expectValue(locator: import("playwright-core").Locator, value: string) {
  await until(`field value ${value}`, async () => (await locator.inputValue()) === value, 5000, 50);
}
