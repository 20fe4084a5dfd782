import { describe, expect, it } from "vitest";
import { createSeqTap } from "../../utils/worker/seq-tap";

describe("worker seq tap (the soak's audit hook)", () => {
  it("records nothing until enabled", () => {
    const tap = createSeqTap();
    tap.snapshot("e1", 5);
    tap.event("e1", 6);
    expect(tap.drain()).toEqual({ records: [], overflowed: false });
  });

  it("run-length encodes contiguous events of one epoch and keeps gaps, repeats and snapshots apart", () => {
    const tap = createSeqTap();
    tap.enable();
    tap.snapshot("e1", 10);
    for (const s of [11, 12, 13, 15, 15, 16]) tap.event("e1", s);
    tap.event("e2", 17);
    expect(tap.drain().records).toEqual([
      { kind: "snapshot", epoch: "e1", seq: 10 },
      { kind: "events", epoch: "e1", from: 11, to: 13 },
      { kind: "events", epoch: "e1", from: 15, to: 15 },
      { kind: "events", epoch: "e1", from: 15, to: 16 },
      { kind: "events", epoch: "e2", from: 17, to: 17 },
    ]);
    expect(tap.drain().records).toEqual([]);
  });

  it("stops at its limit and says so once drained", () => {
    const tap = createSeqTap(2);
    tap.enable();
    for (const s of [1, 3, 5]) tap.event("e", s);
    expect(tap.drain()).toEqual({
      records: [
        { kind: "events", epoch: "e", from: 1, to: 1 },
        { kind: "events", epoch: "e", from: 3, to: 3 },
      ],
      overflowed: true,
    });
    expect(tap.drain().overflowed).toBe(false);
  });
});
