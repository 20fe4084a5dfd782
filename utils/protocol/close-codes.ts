/**
 * WebSocket close codes (protocol §6, docs/protocol.md §6) in one place, and
 * what a client does on each: both clients (the worker's connection and the
 * agent client) and both gateway endpoints use these names, never the numbers.
 *
 * - 40xx refusals (token, origin, version) do not fix themselves: stop.
 * - 41xx (over capacity, rate limited): back off.
 * - 42xx (restarting, state invalidated): the server dropped everyone at once —
 *   reconnect without backoff at a random moment within the spread (the close
 *   reason's `retry_after_ms`, see `close-reason.ts`).
 * - Anything else (a normal close, a dropped link): back off.
 */

export const CloseCode = {
  /** Normal closure: the client or the gateway is done with the socket. */
  normal: 1000,
  /** No close frame (the link dropped); a local code, never sent. */
  abnormal: 1006,
  /** A client closing a socket it judged dead (no frame for too long). */
  linkDead: 4000,
  /** Unauthenticated or expired token, no (valid) hello in time. */
  unauthenticated: 4001,
  /** Forbidden: origin not allowed, or the wrong kind of token for the endpoint. */
  forbidden: 4003,
  /** Unsupported protocol version. */
  unsupportedVersion: 4008,
  /** Over capacity (too many sockets, handshake queue full, slow consumer). */
  overCapacity: 4100,
  /** Rate limited (too many connections or frames). */
  rateLimited: 4110,
  /** Server restarting. */
  restarting: 4200,
  /** State invalidated (e.g. no frame from the client for too long): reconnect now. */
  stateInvalidated: 4210,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** What a client does when its socket closes with a code. */
export type CloseAction = "stop" | "backoff" | "spread";

const STOP: ReadonlySet<number> = new Set([
  CloseCode.unauthenticated,
  CloseCode.forbidden,
  CloseCode.unsupportedVersion,
]);

/** 41xx: the gateway asks the client to back off, whether or not its socket ever came up. */
export function isBackoffCode(code: number): boolean {
  return code >= 4100 && code < 4200;
}

/** 42xx: the gateway closed every socket at once; a reconnect spread applies. */
export function isSpreadCode(code: number): boolean {
  return code >= 4200 && code < 4300;
}

/** What a client does on `code`: stop for good, back off, or reconnect within the restart spread. */
export function closeAction(code: number): CloseAction {
  if (STOP.has(code)) return "stop";
  if (isSpreadCode(code)) return "spread";
  return "backoff";
}
