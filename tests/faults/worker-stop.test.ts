/**
 * Item 5: the extension's service worker stopped by Chrome (CDP
 * `ServiceWorker.stopAllWorkers`) again and again under load, with a side
 * panel open. The panel's port drops, the panel reconnects it, which wakes
 * the worker; the worker restores its persisted cursor and resumes. Each time
 * it must be live and caught up within 3 s, and then — with the gateway's
 * (manual) clock held for a moment — its sessions must equal the gateway's:
 * nothing lost across the restart. Sessions churn fast, so the comparison is
 * made after every stop, not only at the end.
 */
import type { Worker } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkerDump } from "../../utils/worker/worker-core";
import { type LoadedExtension, launchExtension } from "../helpers/extension";
import { spawnSession, startTestGateway, type TestGateway } from "../helpers/gateway";
import { openPanelPage } from "../helpers/panel-page";
import { until } from "../helpers/until";
import { comparable } from "../helpers/worker-node";
import { FULL, recordFigure, scale } from "./figures";
import { haltTraffic, orgOf } from "./kit";

const STOPS = scale(20, 3);
let tg: TestGateway;
let ext: LoadedExtension;
let paused = false;
let pump: ReturnType<typeof setInterval> | undefined;

beforeAll(async () => {
  // Time moves only when the test pumps it, held still for each comparison. 20 long conversations
  // (~10 events/s each): a loss stays visible instead of leaving with a session that ended.
  tg = await startTestGateway({ manualClock: true, sessions: 0, rate: 10, newPerMinute: 0 });
  for (let i = 0; i < 20; i++) spawnSession(tg, { auto: true, maxTurns: 100_000 });
  pump = setInterval(() => {
    if (!paused) tg.gateway.clock.advance(10);
  }, 10);
  ext = await launchExtension();
});
afterAll(async () => {
  clearInterval(pump);
  await ext?.close();
  await tg?.stop();
});

type Stats = { cursor: { seq: number } | null; phase: string; connection: { state: string } } | null;
const statsOf = (w: Worker) =>
  w.evaluate(
    () => (globalThis as unknown as { __lc?: { stats(): unknown } }).__lc?.stats() ?? null,
  ) as Promise<Stats>;
const startedAt = (w: Worker) =>
  w.evaluate(() => (globalThis as unknown as { __lc?: { startedAt: number } }).__lc?.startedAt ?? 0);

describe(`worker stopped by Chrome ${STOPS} times under load (item 5)`, () => {
  it("is back, live and caught up within 3 s each time, and loses nothing", async () => {
    const { orgId, org } = orgOf(tg);
    const page = await openPanelPage(ext, { url: tg.url, token: tg.tokens.supervisor });
    const cdp = await ext.context.newCDPSession(page);
    const status: string[] = [];
    cdp.on("ServiceWorker.workerVersionUpdated", (e) => {
      for (const v of e.versions) status.push(v.runningStatus);
    });
    await cdp.send("ServiceWorker.enable");
    const firstSeq = org.state.log.lastSeq();
    const backMs: number[] = [];
    let equalAfter = 0;
    let mark = firstSeq;
    for (let i = 0; i < STOPS; i++) {
      // Each stop happens under load: the stream has moved on by more than 20 events since the last one
      // (waited for, not hoped for — a slow machine pumps the clock more slowly).
      await until(
        `20 events of load before stop ${i + 1}`,
        async () => org.state.log.lastSeq() > mark + 20,
        15_000,
        50,
      );
      const startedBefore = await startedAt(ext.worker);
      const seqBefore = org.state.log.lastSeq();
      const t0 = Date.now();
      await cdp.send("ServiceWorker.stopAllWorkers");
      // Load goes on; the open panel's port reconnect wakes the worker; Playwright's handle follows the new instance.
      await until(
        `a new worker instance (stop ${i + 1})`,
        async () => (await startedAt(ext.worker)) !== startedBefore,
        15_000,
        50,
      );
      await until(
        `the worker live again past seq ${seqBefore} (stop ${i + 1})`,
        async () => {
          const s = await statsOf(ext.worker);
          return (
            !!s &&
            s.phase === "live" &&
            s.connection.state === "connected" &&
            (s.cursor?.seq ?? 0) >= seqBefore
          );
        },
        15_000,
        50,
      );
      backMs.push(Date.now() - t0);
      // Hold the clock, let the worker reach the last event, compare.
      paused = true;
      const last = org.state.log.lastSeq();
      await until("the held seq", async () => (await statsOf(ext.worker))?.cursor?.seq === last, 15_000, 50);
      const d = (await ext.worker.evaluate(() =>
        (globalThis as unknown as { __lc: { dump(): unknown } }).__lc.dump(),
      )) as WorkerDump;
      if (
        JSON.stringify(comparable(d.sessions)) ===
        JSON.stringify(comparable(tg.gateway.snapshot(orgId).sessions))
      )
        equalAfter++;
      paused = false;
      mark = org.state.log.lastSeq();
    }
    haltTraffic(tg);
    const end = org.state.log.lastSeq();
    await until("the final seq", async () => (await statsOf(ext.worker))?.cursor?.seq === end, 15_000, 50);
    const dump = (await ext.worker.evaluate(() =>
      (globalThis as unknown as { __lc: { dump(): unknown } }).__lc.dump(),
    )) as WorkerDump;
    const same =
      JSON.stringify(comparable(dump.sessions)) ===
      JSON.stringify(comparable(tg.gateway.snapshot(orgId).sessions));
    const worst = Math.max(...backMs);
    recordFigure({
      item: 5,
      what: `worker stopped by CDP ServiceWorker.stopAllWorkers ${STOPS}× under load (panel open)`,
      value: `back live and caught up in ${Math.min(...backMs)}–${worst} ms; state = gateway's after ${equalAfter}/${STOPS} stops and at the end: ${same ? "yes" : "NO"}`,
      target: "≤ 3000 ms each, 0 lost",
      ok: worst <= 3000 && same && equalAfter === STOPS,
    });
    expect(equalAfter).toBe(STOPS);
    expect(dump.sessions.length).toBeGreaterThan(10);
    // There was load: the gateway's stream moved on by more than 20 events before every stop.
    expect(end - firstSeq).toBeGreaterThan(20 * STOPS);
    expect(comparable(dump.sessions)).toEqual(comparable(tg.gateway.snapshot(orgId).sessions));
    // The 3 s guarantee is held at full size; inside a busy `npm test` only a gross regression fails it.
    expect(worst).toBeLessThanOrEqual(FULL ? 3000 : 10_000);
    expect(status).toContain("stopped");
    await page.close();
  }, 300_000);
});
