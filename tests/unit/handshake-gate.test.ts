import { describe, expect, it } from "vitest";
import { createHandshakeGate } from "../../gateway/stream/handshake-gate.ts";

/** A gate on a manual clock: `advance` moves time and fires the timers that come due, in order. */
function manualGate(perSecond: number, maxWaitMs: number) {
  let t = 1_000_000;
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  const gate = createHandshakeGate({
    perSecond,
    maxWaitMs,
    now: () => t,
    setTimer: (fn, ms) => {
      const timer = { at: t + ms, fn, live: true };
      timers.push(timer);
      return () => {
        timer.live = false;
      };
    },
  });
  return {
    gate,
    now: () => t,
    advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const next = timers.filter((x) => x.live && x.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        next.live = false;
        t = Math.max(t, next.at);
        next.fn();
      }
      t = end;
    },
  };
}

describe("handshake gate", () => {
  it("admits at most perSecond in any second and the rest in arrival order as slots free", () => {
    const m = manualGate(10, 5000);
    const admitted: { i: number; at: number }[] = [];
    for (let i = 0; i < 35; i++) expect(m.gate.enter(() => admitted.push({ i, at: m.now() }))).not.toBeNull();
    expect(admitted).toHaveLength(10);
    m.advance(999);
    expect(admitted).toHaveLength(10);
    m.advance(1);
    expect(admitted).toHaveLength(20);
    m.advance(2000);
    expect(admitted.map((a) => a.i)).toEqual(Array.from({ length: 35 }, (_, i) => i));
    // In any window of 1,000 ms, never more than the budget.
    for (const a of admitted)
      expect(admitted.filter((b) => b.at >= a.at && b.at < a.at + 1000).length).toBeLessThanOrEqual(10);
    const s = m.gate.stats();
    expect(s).toMatchObject({ peakPerSecond: 10, waiting: 0, queued: 25, refused: 0, longestWaitMs: 3000 });
  });

  it("a steady stream under the budget never waits", () => {
    const m = manualGate(10, 5000);
    let n = 0;
    for (let i = 0; i < 50; i++) {
      m.gate.enter(() => n++);
      m.advance(150);
    }
    expect(n).toBe(50);
    expect(m.gate.stats()).toMatchObject({ queued: 0, peakPerSecond: 7 });
  });

  it("refuses beyond maxWaitMs worth of queue, and a cancelled wait frees its place", () => {
    const m = manualGate(2, 2000);
    const ran: number[] = [];
    const cancels = Array.from({ length: 8 }, (_, i) => m.gate.enter(() => ran.push(i)));
    // 2 at once, 4 waiting (2 s × 2/s), 2 refused.
    expect(ran).toEqual([0, 1]);
    expect(cancels.map((c) => c === null)).toEqual([false, false, false, false, false, false, true, true]);
    cancels[2]?.();
    expect(m.gate.stats()).toMatchObject({ waiting: 3, refused: 2 });
    expect(m.gate.enter(() => ran.push(8))).not.toBeNull();
    m.advance(5000);
    expect(ran).toEqual([0, 1, 3, 4, 5, 8]);
    expect(m.gate.stats().waiting).toBe(0);
  });
});

describe("handshake gate figures", () => {
  it("a reset peak counts only what is admitted after it", () => {
    const m = manualGate(10, 5000);
    for (let i = 0; i < 8; i++) m.gate.enter(() => {});
    expect(m.gate.stats(true).peakPerSecond).toBe(8);
    m.advance(100);
    for (let i = 0; i < 2; i++) m.gate.enter(() => {});
    expect(m.gate.stats().peakPerSecond).toBe(2);
  });
});
