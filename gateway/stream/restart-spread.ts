/**
 * How long the gateway asks its clients to spread their reconnects over when
 * it closes every socket at once (42xx: restarting, state invalidated): sized
 * so that the expected handshake rate is half the gateway's budget
 * (`handshakesPerSecond`) — uniform random moments clump, and half leaves room
 * for the clumps — with a floor so a handful of clients still spread a little
 * and a ceiling so nobody waits for minutes. Sent as `retry_after_ms` in the
 * close reason (docs/protocol.md §6).
 */
import { encodeCloseReason, MAX_RETRY_AFTER_MS } from "../../utils/protocol/index.ts";

export const MIN_SPREAD_MS = 100;

export function restartSpreadMs(sockets: number, handshakesPerSecond: number): number {
  const ms = Math.ceil((sockets * 2 * 1000) / Math.max(1, handshakesPerSecond));
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_SPREAD_MS, ms));
}

/** The close reason of a 42xx sent to `sockets` sockets at once. */
export function restartCloseReason(reason: string, sockets: number, handshakesPerSecond: number): string {
  return encodeCloseReason(reason, restartSpreadMs(sockets, handshakesPerSecond));
}
