import { describe, expect, it } from "vitest";
import { createBackoff, fullJitterDelay } from "../../utils/protocol";

describe("full-jitter backoff", () => {
  it("stays within 0.5–20 s whatever the random draw", () => {
    for (const r of [0, 0.001, 0.5, 0.999, 1]) {
      for (let attempt = 0; attempt < 40; attempt++) {
        const d = fullJitterDelay(attempt, 500, 20_000, () => r);
        expect(d).toBeGreaterThanOrEqual(500);
        expect(d).toBeLessThanOrEqual(20_000);
      }
    }
  });

  it("doubles its ceiling per attempt until the cap, and resets", () => {
    const b = createBackoff({ random: () => 1 });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([1000, 2000, 4000, 8000]);
    for (let i = 0; i < 10; i++) b.next();
    expect(b.next()).toBe(20_000);
    b.reset();
    expect(b.attempt).toBe(0);
    expect(b.next()).toBe(1000);
  });

  it("is spread out (jitter), not a fixed sequence", () => {
    const b = createBackoff();
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      b.reset();
      for (let k = 0; k < 5; k++) b.next();
      seen.add(b.next());
    }
    expect(seen.size).toBeGreaterThan(10);
  });
});
