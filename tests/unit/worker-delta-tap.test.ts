import { describe, expect, it } from "vitest";
import { createDeltaTap } from "../../utils/worker/delta-tap";

describe("worker delta tap (the bench's token stamps)", () => {
  it("records nothing until enabled, and nothing once disabled", () => {
    const tap = createDeltaTap(10, () => 1);
    tap.delta("m1", 0);
    tap.enable();
    tap.delta("m1", 1);
    tap.disable();
    tap.delta("m1", 2);
    expect(tap.drain()).toEqual({
      records: [{ message_id: "m1", from: 1, to: 1, at: 1 }],
      overflowed: false,
    });
  });

  it("joins consecutive deltas of one reply applied in the same millisecond, and keeps the rest apart", () => {
    let t = 100;
    const tap = createDeltaTap(10, () => t);
    tap.enable();
    for (const i of [0, 1, 2]) tap.delta("m1", i);
    t = 101;
    tap.delta("m1", 3);
    tap.delta("m1", 5);
    tap.delta("m2", 0);
    expect(tap.drain().records).toEqual([
      { message_id: "m1", from: 0, to: 2, at: 100 },
      { message_id: "m1", from: 3, to: 3, at: 101 },
      { message_id: "m1", from: 5, to: 5, at: 101 },
      { message_id: "m2", from: 0, to: 0, at: 101 },
    ]);
    expect(tap.drain().records).toEqual([]);
  });

  it("stops at its limit and says so once drained", () => {
    let t = 0;
    const tap = createDeltaTap(2, () => t++);
    tap.enable();
    for (const i of [0, 1, 2]) tap.delta("m", i);
    expect(tap.drain()).toEqual({
      records: [
        { message_id: "m", from: 0, to: 0, at: 0 },
        { message_id: "m", from: 1, to: 1, at: 1 },
      ],
      overflowed: true,
    });
    expect(tap.drain().overflowed).toBe(false);
  });
});
