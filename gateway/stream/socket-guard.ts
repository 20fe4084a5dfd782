/**
 * What both socket endpoints (/v1/stream and /v1/agent) do with every frame
 * before reading it, written once:
 *
 * - the frame budget: a token bucket of `framesPerSecond` with bursts of
 *   `burst`; a sender over it is closed with `rateLimited` ("back off");
 * - frames after the gateway began closing a socket are counted and not looked at;
 * - a handler's error is counted and logged, never thrown into the socket;
 * - the first frame must be the endpoint's hello in this protocol version:
 *   another version closes with `unsupportedVersion`, anything else with
 *   `unauthenticated`.
 */
import type { Logger } from "pino";
import { CloseCode, type Decoded, PROTOCOL_VERSION, parseJson } from "../../utils/protocol/index.ts";
import type { StreamCounters } from "./connection.ts";

export interface FrameBudget {
  /** Spends one frame; false when the sender is over its budget. */
  take(): boolean;
}

export function createFrameBudget(framesPerSecond: number, burst: number, now = Date.now): FrameBudget {
  let tokens = burst;
  let at = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - at) * framesPerSecond) / 1000);
      at = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

export interface FrameGuard {
  counters: StreamCounters;
  log: Logger;
  budget: FrameBudget;
  /** Who sends, in the log lines: "client", "agent runtime"; and one of its frames: "a client frame". */
  sender: string;
  frameWords: string;
  /** The user, for the log line. */
  user(): { id: string } | null;
  /** Senders without a budget (the gateway's own runtimes). */
  exempt?: () => boolean;
  closing(): boolean;
  close(code: CloseCode, reason: string): void;
}

/** `handle` wrapped in the endpoint's frame rules (above). */
export function guardFrames<T>(g: FrameGuard, handle: (frame: T) => void): (frame: T) => void {
  return (frame) => {
    g.counters.frames_received++;
    if (g.closing()) {
      g.counters.frames_ignored++;
      return;
    }
    if (!g.exempt?.() && !g.budget.take()) {
      g.counters.frames_ignored++;
      g.counters.frame_rate_closes++;
      g.log.warn(
        { user: g.user()?.id ?? null },
        `${g.sender} sends frames too fast: closing with ${CloseCode.rateLimited}`,
      );
      return g.close(CloseCode.rateLimited, "too many frames; back off");
    }
    try {
      handle(frame);
    } catch (e) {
      g.counters.frame_errors++;
      g.log.error(
        { err: (e as Error).message },
        `error handling ${g.sender === "client" ? "a client" : "an agent"} frame`,
      );
    }
  };
}

/** The first frame of a socket: its hello (`helloType`, recognised by `isHello`) decoded, or the close to answer it with. */
export function firstFrame<F extends { type: string }, H extends F>(
  text: string,
  helloType: H["type"],
  decode: (text: string) => Decoded<F>,
  isHello: (frame: F) => frame is H,
): { ok: true; hello: H } | { ok: false; code: CloseCode; reason: string } {
  const parsed = parseJson(text);
  const raw = parsed.ok ? (parsed.value as { type?: unknown; v?: unknown }) : null;
  if (raw && raw.type === helloType && raw.v !== PROTOCOL_VERSION)
    return {
      ok: false,
      code: CloseCode.unsupportedVersion,
      reason: `unsupported protocol version (this server speaks v${PROTOCOL_VERSION})`,
    };
  const f = decode(text);
  if (!f.ok || !isHello(f.value))
    return {
      ok: false,
      code: CloseCode.unauthenticated,
      reason: `the first frame must be a valid ${helloType}`,
    };
  return { ok: true, hello: f.value };
}
