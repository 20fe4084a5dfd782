import { describe, expect, it } from "vitest";
import type { EventFrame } from "../../utils/protocol";
import { createCounters } from "../../utils/store/counters";
import { type Cursor, createSequencer, type SnapshotLike } from "../../utils/store/sequencer";
import { EPOCH, makeEvent } from "../fixtures/frames";

function ev(seq: number, epoch = EPOCH): EventFrame {
  return makeEvent("agent_thinking", { message_id: `m${seq}` }, seq, { epoch }) as EventFrame;
}

function setup(cursor: Cursor | null = { epoch: EPOCH, seq: 0 }) {
  const applied: number[] = [];
  const snapshots: SnapshotLike[] = [];
  const replays: Cursor[] = [];
  const snapshotRequests: string[] = [];
  const counters = createCounters();
  const seq = createSequencer<SnapshotLike>({
    counters,
    cursor,
    sink: {
      applyEvent: (e) => applied.push(e.seq),
      applySnapshot: (s) => snapshots.push(s),
      requestReplay: (c) => replays.push(c),
      requestSnapshot: (r) => snapshotRequests.push(r),
    },
  });
  return { seq, applied, snapshots, replays, snapshotRequests, counters };
}

describe("sequencer: epoch/seq rules", () => {
  it("applies contiguous events and drops duplicates, counting them", () => {
    const t = setup();
    for (const s of [1, 2, 2, 3, 1, 4]) t.seq.event(ev(s));
    expect(t.applied).toEqual([1, 2, 3, 4]);
    expect(t.counters.duplicates_dropped).toBe(2);
    expect(t.counters.events_applied).toBe(4);
    expect(t.seq.cursor).toEqual({ epoch: EPOCH, seq: 4 });
  });

  it("on a gap buffers, asks for a replay once, and fills the hole in order", () => {
    const t = setup();
    t.seq.event(ev(1));
    t.seq.event(ev(4));
    t.seq.event(ev(5));
    expect(t.replays).toEqual([{ epoch: EPOCH, seq: 1 }]);
    expect(t.counters.gaps).toBe(1);
    expect(t.seq.phase).toBe("replaying");
    // replay answers 2..5; 4 and 5 were buffered already
    for (const s of [2, 3, 4, 5]) t.seq.event(ev(s));
    t.seq.event(ev(6));
    expect(t.applied).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.seq.phase).toBe("live");
    expect(t.counters.duplicates_dropped).toBe(2);
  });

  it("replay unavailable → snapshot; buffered events at or below the snapshot are dropped, the rest applied", () => {
    const t = setup();
    t.seq.event(ev(1));
    t.seq.event(ev(10));
    t.seq.replayUnavailable();
    expect(t.snapshotRequests).toEqual(["replay unavailable"]);
    t.seq.event(ev(11));
    t.seq.event(ev(13));
    t.seq.event(ev(12));
    expect(t.applied).toEqual([1]);
    expect(t.seq.snapshot({ epoch: EPOCH, seq: 11 })).toBe(true);
    expect(t.applied).toEqual([1, 12, 13]);
    expect(t.seq.cursor).toEqual({ epoch: EPOCH, seq: 13 });
    expect(t.counters.resyncs).toBe(1);
    expect(t.seq.phase).toBe("live");
  });

  it("a snapshot that leaves a hole after it asks for a replay", () => {
    const t = setup();
    t.seq.expectSnapshot();
    t.seq.event(ev(7));
    t.seq.snapshot({ epoch: EPOCH, seq: 5 });
    expect(t.replays).toEqual([{ epoch: EPOCH, seq: 5 }]);
    t.seq.event(ev(6));
    expect(t.applied).toEqual([6, 7]);
  });

  it("another epoch → snapshot; events of the new epoch are kept for after it", () => {
    const t = setup();
    t.seq.event(ev(1));
    t.seq.event(ev(3, "e_new"));
    expect(t.snapshotRequests).toHaveLength(1);
    t.seq.event(ev(4, "e_new"));
    t.seq.snapshot({ epoch: "e_new", seq: 3 });
    expect(t.applied).toEqual([1, 4]);
    expect(t.seq.cursor).toEqual({ epoch: "e_new", seq: 4 });
  });

  it("without a cursor, the first event asks for a snapshot", () => {
    const t = setup(null);
    t.seq.event(ev(3));
    expect(t.snapshotRequests).toEqual(["no cursor"]);
    t.seq.snapshot({ epoch: EPOCH, seq: 2 });
    expect(t.applied).toEqual([3]);
  });

  it("ignores a snapshot older than the cursor of the same epoch", () => {
    const t = setup({ epoch: EPOCH, seq: 10 });
    expect(t.seq.snapshot({ epoch: EPOCH, seq: 8 })).toBe(false);
    expect(t.snapshots).toEqual([]);
    expect(t.seq.cursor?.seq).toBe(10);
  });

  it("a malformed event with a readable envelope fills its slot without a gap", () => {
    const t = setup();
    t.seq.event(ev(1));
    t.seq.skip({ epoch: EPOCH, seq: 2 });
    t.seq.event(ev(3));
    expect(t.applied).toEqual([1, 3]);
    expect(t.counters.gaps).toBe(0);
  });

  it("keeps order under a shuffled burst (property-style)", () => {
    const t = setup();
    const order = Array.from({ length: 500 }, (_, i) => i + 1);
    let x = 7;
    for (let i = order.length - 1; i > 0; i--) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const j = x % (i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const s of [...order, ...order.slice(0, 50)]) t.seq.event(ev(s));
    expect(t.applied).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(t.counters.events_applied).toBe(500);
  });
});
