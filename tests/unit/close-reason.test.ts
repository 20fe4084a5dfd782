/**
 * The 42xx close reason with the gateway's reconnect spread (issue 19 item 5):
 * encoded under the 123-byte limit, read back, plain text and bad JSON read as
 * text without a hint; the spread sized to the sockets and the budget.
 */
import { describe, expect, it } from "vitest";
import { MIN_SPREAD_MS, restartCloseReason, restartSpreadMs } from "../../gateway/stream/restart-spread.ts";
import { decodeCloseReason, encodeCloseReason, MAX_RETRY_AFTER_MS } from "../../utils/protocol/index.ts";

describe("close reason with retry_after_ms", () => {
  it("round-trips and stays under the WebSocket limit of 123 bytes", () => {
    const long = encodeCloseReason("x".repeat(500), MAX_RETRY_AFTER_MS);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(123);
    expect(decodeCloseReason(encodeCloseReason("server restarting", 812.4))).toEqual({
      text: "server restarting",
      retryAfterMs: 812,
    });
  });

  it("plain text, bad JSON and out-of-range values give no hint (or a clamped one)", () => {
    expect(decodeCloseReason("server restarting")).toEqual({ text: "server restarting", retryAfterMs: null });
    expect(decodeCloseReason("{not json")).toEqual({ text: "{not json", retryAfterMs: null });
    expect(decodeCloseReason('{"reason":"r","retry_after_ms":-5}').retryAfterMs).toBeNull();
    expect(decodeCloseReason('{"reason":"r","retry_after_ms":"5"}').retryAfterMs).toBeNull();
    expect(decodeCloseReason('{"reason":"r","retry_after_ms":99999999}').retryAfterMs).toBe(
      MAX_RETRY_AFTER_MS,
    );
  });

  it("the spread: half the handshake budget, at least MIN_SPREAD_MS, at most MAX_RETRY_AFTER_MS", () => {
    expect(restartSpreadMs(5, 500)).toBe(MIN_SPREAD_MS);
    expect(restartSpreadMs(2000, 400)).toBe(10_000);
    expect(restartSpreadMs(1_000_000, 100)).toBe(MAX_RETRY_AFTER_MS);
    expect(decodeCloseReason(restartCloseReason("server restarting", 2000, 400)).retryAfterMs).toBe(10_000);
  });
});
