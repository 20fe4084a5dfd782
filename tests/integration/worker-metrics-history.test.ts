/**
 * The metrics history (the metrics bar's sparklines) in the worker, against
 * the real gateway: a sample per `metrics` frame or snapshot, sent whole in a
 * panel's `init` and as `metricsSample` in patches; a panel that reopens gets
 * it again; a restarted worker restores it from storage.session before it
 * connects.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { MetricsSample } from "../../utils/metrics-history/sample-ring";
import type { PanelState } from "../../utils/panel-messages";
import { startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until";
import { createFakePanel, type NodeWorker, startNodeWorker } from "../helpers/worker-node";

let tg: TestGateway | undefined;
let w: NodeWorker | undefined;
afterEach(async () => {
  await w?.core.stop();
  await tg?.stop();
  w = undefined;
  tg = undefined;
});

/** Short buckets so that a test sees several samples within a second or two. */
const RING = { spacingMs: 100 };
const history = (worker: NodeWorker): MetricsSample[] => worker.core.panelState().metricsHistory ?? [];
const initOf = (panel: ReturnType<typeof createFakePanel>): PanelState | undefined =>
  panel.messages.find((m) => m.type === "init")?.state;

describe("metrics history in the worker", () => {
  it("samples the gateway's metrics, sends them in init and patches, and survives a panel reopen and a worker restart", async () => {
    tg = await startTestGateway({ metricsIntervalMs: 150 });
    const gw = tg;
    const worker = await startNodeWorker(
      { gatewayUrl: gw.url, token: gw.tokens.supervisor },
      { metricsHistory: RING },
    );
    w = worker;
    const panel = createFakePanel();
    worker.core.connectPanel(panel.port);
    await until("three samples", () => history(worker).length >= 3, 10_000);
    const samples = history(worker);
    for (let i = 1; i < samples.length; i++)
      expect((samples[i] as MetricsSample).t).toBeGreaterThan((samples[i - 1] as MetricsSample).t);
    expect(samples[0]).toMatchObject({ active: expect.any(Number), avg_ms: expect.any(Number) });

    // Patches carry the newest sample, not the whole history.
    await until(
      "patches with samples",
      () => panel.messages.filter((m) => m.type === "patch" && m.patch.metricsSample).length >= 2,
      10_000,
    );
    for (const m of panel.messages)
      if (m.type === "patch") expect(m.patch).not.toHaveProperty("metricsHistory");

    // A panel opened later (the side panel reopened) gets the history in its init.
    const reopened = createFakePanel();
    worker.core.connectPanel(reopened.port);
    await until("init", () => initOf(reopened) !== undefined, 5_000);
    expect(initOf(reopened)?.metricsHistory?.length).toBeGreaterThanOrEqual(3);

    // A restarted worker has it back before it connects (storage.session), then adds to it.
    const storage = worker.storage;
    await worker.core.stop();
    w = undefined;
    const before = history(worker);
    const restarted = await startNodeWorker(
      { gatewayUrl: gw.url, token: gw.tokens.supervisor },
      { storage, metricsHistory: { ...RING, windowMs: 3_600_000 } },
    );
    w = restarted;
    expect(history(restarted).slice(0, before.length - 1)).toEqual(before.slice(0, before.length - 1));
    await until(
      "a new sample after the restart",
      () => (history(restarted).at(-1)?.t ?? 0) > (before.at(-1)?.t ?? 0),
      10_000,
    );
  }, 30_000);
});
