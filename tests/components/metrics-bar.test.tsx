// @vitest-environment happy-dom
/**
 * The metrics bar: short labels whose accessible name starts with them and
 * says the whole name (also the tooltip); four sparklines of the last hour
 * drawn from the worker's history (init) and grown by each patch's sample,
 * each an image named by its text alternative; none re-drawn by patches
 * without a sample.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MetricsBar } from "@/components/metrics-bar";
import { createPanel, immediately, type Panel } from "@/utils/panel";
import type { MetricsSample } from "@/utils/panel-messages";
import { createFakePanelPort, type FakePanelPort, makePanelState } from "../helpers/fake-panel-port";
import { flushed, mount, unmountAll } from "../helpers/render";

const T0 = Date.parse("2026-06-24T16:30:00.000Z");
const sample = (i: number, active: number, extra: Partial<MetricsSample> = {}): MetricsSample => ({
  t: T0 + i * 5_000,
  active,
  avg_ms: 900 + i * 100,
  rate: 0.02,
  cost: 1.2,
  ...extra,
});

let model: Panel;
let port: FakePanelPort;
afterEach(() => {
  unmountAll();
  model?.[Symbol.dispose]();
});

function bar(history: MetricsSample[]) {
  port = createFakePanelPort();
  model = createPanel(port, { schedule: immediately, tickMs: 0, clock: () => T0 });
  const m = mount(<MetricsBar panel={model} />);
  flushed(() => port.send({ type: "init", state: makePanelState({ metricsHistory: history }) }));
  return m;
}
const send = (patch: Record<string, unknown>) => flushed(() => port.send({ type: "patch", patch }));
const sparkNames = (root: Element) =>
  [...root.querySelectorAll('.sparkline[role="img"]')].map((s) => s.getAttribute("aria-label"));

describe("metrics bar", () => {
  it("shows short labels; each term's accessible text starts with them and is the full name, also the tooltip", () => {
    const m = bar([]);
    const tiles = [...m.root.querySelectorAll(".metric")];
    const visible = tiles.map((t) => t.querySelector("dt")?.firstChild?.textContent);
    expect(visible).toEqual(["Active", "Started", "Avg reply", "p95 reply", "Cost/h", "Interventions"]);
    for (const t of tiles) {
      const dt = t.querySelector("dt");
      const shown = dt?.firstChild?.textContent ?? "";
      const name = dt?.textContent ?? "";
      expect(name.startsWith(shown)).toBe(true);
      expect(name.length).toBeGreaterThan(shown.length - 1);
      expect(t.getAttribute("title")).toBe(name);
      expect(dt?.querySelector(".metric-more")).not.toBeNull();
    }
    expect(tiles[0]?.querySelector("dt")?.textContent).toBe("Active sessions");
  });

  it("draws four sparklines of the last hour with their text alternatives, and adds each new sample", () => {
    const m = bar([sample(0, 12), sample(1, 15), sample(2, 18)]);
    expect(sparkNames(m.root)).toEqual([
      "Active sessions, last hour: 12 → 18, rising",
      "Average reply time, last hour: 900 ms → 1.1 s, rising",
      "Cost per hour, last hour: $1.20 → $1.20, steady",
      "Intervention rate, last hour: 2% → 2%, steady",
    ]);
    const path = () => m.root.querySelector(".sparkline path")?.getAttribute("d");
    expect(path()).toMatch(/^M0,[\d.]+L24,[\d.]+L48,[\d.]+$/);
    send({ metricsSample: sample(3, 6, { avg_ms: 700, rate: 0.05, cost: 0.8 }) });
    expect(sparkNames(m.root)).toEqual([
      "Active sessions, last hour: 12 → 6, falling",
      "Average reply time, last hour: 900 ms → 700 ms, falling",
      "Cost per hour, last hour: $1.20 → $0.80, falling",
      "Intervention rate, last hour: 2% → 5%, rising",
    ]);
    expect(m.root.querySelector(".sparkline")?.getAttribute("data-points")).toBe("4");
  });

  it("says when there is no history yet, and leaves the sparklines alone on patches without a sample", () => {
    const m = bar([]);
    expect(sparkNames(m.root)[0]).toBe("Active sessions, last hour: no data yet");
    expect(m.root.querySelector(".sparkline path")).toBeNull();
    send({ metricsSample: sample(0, 4) });
    expect(sparkNames(m.root)[0]).toBe("Active sessions, last hour: 4 so far");
    const svg = m.root.querySelector(".sparkline path");
    send({ connection: { state: "connected", latency_ms: 7, since: T0 } });
    expect(m.root.querySelector(".sparkline path")).toBe(svg);
    expect(sparkNames(m.root)[0]).toBe("Active sessions, last hour: 4 so far");
  });

  it("refuses a bad sample at the boundary and keeps the history", () => {
    const m = bar([sample(0, 3), sample(1, 4)]);
    send({ metricsSample: { t: T0 + 20_000, active: -1, avg_ms: 1, rate: 0 } });
    expect(sparkNames(m.root)[0]).toBe("Active sessions, last hour: 3 → 4, rising");
  });
});
