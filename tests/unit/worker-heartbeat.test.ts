import { afterEach, describe, expect, it, vi } from "vitest";
import { createHeartbeat } from "../../utils/connection/heartbeat";

afterEach(() => vi.useRealTimers());

describe("heartbeat", () => {
  it("pings at once and every heartbeat_ms, keeping the round trip as latency", () => {
    vi.useFakeTimers();
    const pings: string[] = [];
    const latencies: number[] = [];
    const hb = createHeartbeat({
      sendPing: (id) => pings.push(id),
      onLatency: (ms) => latencies.push(ms),
      onDead: () => undefined,
    });
    hb.start(20_000, 30_000);
    expect(pings).toHaveLength(1);
    vi.advanceTimersByTime(42);
    hb.seen();
    hb.pong(pings[0] as string);
    expect(latencies).toEqual([42]);
    hb.pong(pings[0] as string); // a repeated pong is ignored
    expect(latencies).toHaveLength(1);
    vi.advanceTimersByTime(20_000);
    expect(pings).toHaveLength(2);
    hb.stop();
  });

  it("declares the link dead after idle_timeout_ms without a frame, not before", () => {
    vi.useFakeTimers();
    const dead: number[] = [];
    const hb = createHeartbeat({
      sendPing: () => undefined,
      onLatency: () => undefined,
      onDead: (ms) => dead.push(ms),
    });
    hb.start(20_000, 30_000);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(20_000);
      hb.seen();
    }
    expect(dead).toEqual([]);
    vi.advanceTimersByTime(30_000);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toBeGreaterThanOrEqual(30_000);
  });
});
