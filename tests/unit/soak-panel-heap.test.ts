/**
 * The soak's panel heap reading (tests/faults/soak-figures.ts `sample`) must be
 * the panel's, not the bench probe's: the probe keeps every mark it sees
 * painted (`marks`, and the set of marks seen) until it is reset, ~10,000 a
 * minute at 1,000 events/s — in the 30-minute soak that alone was a steady
 * +0.25 MB/min of "panel" heap. Here the page is a fake CDP target whose heap
 * is a fixed base plus what its probe holds, and the probe keeps recording
 * between readings, as in the soak.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Bench, Page } from "../../scripts/bench/browser.ts";
import type { CdpSession } from "../../scripts/bench/cdp.ts";
import { heaps } from "../../scripts/bench/phases.ts";
import { sample } from "../faults/soak-figures.ts";
import type { GatewayChild } from "../faults/soak-kit.ts";
import { until } from "../helpers/until";

const MB = 1024 * 1024;
const BASE_MB = 40;
/** Marks the probe records every 50 ms (a mark and its paint time: 16 bytes each). */
const MARKS_PER_TICK = 2_000;

type Probe = { marks: number[]; reset(): void };
const timers: NodeJS.Timeout[] = [];

/**
 * A page target with the probe installed, painting marks all along; its
 * expressions see that probe as `globalThis.__bench`.
 */
function probedPage(): { page: Page; probe: Probe } {
  const probe: Probe = {
    marks: [],
    reset() {
      probe.marks = [];
    },
  };
  timers.push(
    setInterval(() => {
      for (let i = 0; i < MARKS_PER_TICK; i++) probe.marks.push(i, Date.now());
    }, 50),
  );
  const session: CdpSession = {
    id: "panel",
    async send<T>(method: string) {
      const usedSize = BASE_MB * MB + probe.marks.length * 8;
      return (method === "Runtime.getHeapUsage" ? { usedSize } : {}) as T;
    },
    async evaluate<T>(expression: string) {
      // The page's global, as far as the probe goes: its `__bench`.
      return new Function("globalThis", `return (${expression});`)({ __bench: probe }) as T;
    },
    on: () => () => undefined,
  };
  return { page: { session, targetId: "panel", close: async () => undefined }, probe };
}

/** The probe has been recording for a while: five ticks' marks. */
const recordedAWhile = (probe: Probe) =>
  until("the probe to record five ticks of marks", () => probe.marks.length >= 5 * 2 * MARKS_PER_TICK, 5_000);

const flatTarget = (mb: number): CdpSession => ({
  id: "worker",
  async send<T>(method: string) {
    return (method === "Runtime.getHeapUsage" ? { usedSize: mb * MB } : {}) as T;
  },
  evaluate: async <T>() => undefined as T,
  on: () => () => undefined,
});

const gateway: GatewayChild = {
  url: "ws://127.0.0.1:1",
  port: 1,
  pid: 1,
  ask: async <T extends { type: string }>(msg: object) =>
    ({
      ...(msg as { type: string }),
      rss: 100 * MB,
      lagP99Ms: 1,
      lagMaxMs: 3,
      heapUsed: 50 * MB,
    }) as unknown as T,
  fds: () => 30,
  end: async () => undefined,
};

const bench = { worker: flatTarget(12) } as unknown as Bench;

afterEach(() => {
  for (const t of timers.splice(0)) clearInterval(t);
});

describe("panel heap readings leave out the bench probe's recordings", () => {
  it("the soak's sample reads the panel's own heap, however long the probe has been recording", async () => {
    const { page, probe } = probedPage();
    await recordedAWhile(probe);
    const s = await sample(gateway, bench, page, Date.now(), 0);
    expect(s.panelMb).toBe(BASE_MB);
    expect(s.workerMb).toBe(12);
  });

  it("the bench's heap figure too", async () => {
    const { page, probe } = probedPage();
    await recordedAWhile(probe);
    expect(await heaps(bench, page)).toEqual({ worker: 12, panel: BASE_MB });
  });
});
