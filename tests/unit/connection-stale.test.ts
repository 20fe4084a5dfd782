/** The connection's stale spell: measured from when the data stopped being live, across every down state after it. */
import { describe, expect, it } from "vitest";
import { createConnectionState } from "../../utils/connection/connection-state";
import { CONNECTION_LOST_TOAST_MS, connectionLostTooLong } from "../../utils/panel/toast-rules";

describe("connection stale_since", () => {
  it("starts when the data stops being live and survives reconnecting → offline → reconnecting", () => {
    let t = 1000;
    const c = createConnectionState(() => t);
    expect(c.info.stale_since).toBe(1000); // nothing live yet
    t = 2000;
    c.set("connected");
    expect(c.info.stale_since).toBeUndefined();
    t = 3000;
    c.set("reconnecting", "closed", 3500);
    expect(c.info.stale_since).toBe(3000);
    t = 10_600;
    c.set("offline", "gateway unreachable");
    expect(c.info.since).toBe(10_600);
    expect(c.info.stale_since).toBe(3000); // still stale since 3000, not "0 ms"
    t = 12_000;
    c.set("reconnecting", "retry", 13_000);
    expect(c.info.stale_since).toBe(3000);
    t = 13_000;
    c.set("polling");
    expect(c.info.stale_since).toBeUndefined();
    t = 14_000;
    c.set("offline");
    expect(c.info.stale_since).toBe(14_000);
  });

  it("the 'connection lost' toast counts the same spell", () => {
    const offlineNow = { state: "offline" as const, latency_ms: null, since: 100_000, stale_since: 10_000 };
    expect(connectionLostTooLong(offlineNow, 10_000 + CONNECTION_LOST_TOAST_MS + 1)).toBe(true);
    expect(
      connectionLostTooLong({ ...offlineNow, stale_since: undefined }, 10_000 + CONNECTION_LOST_TOAST_MS + 1),
    ).toBe(false);
  });
});
