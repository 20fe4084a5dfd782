/**
 * One simulated agent reply: agent_thinking → (maybe an error and a retry)
 * → stream_started → token deltas (idx contiguous) → message_sent whose text
 * is exactly the concatenated deltas. Cancellable (pause, transfer) and
 * replaceable mid-flight (override).
 */
import type { DeltaFrame, Usage } from "../../utils/protocol/index.ts";
import type { Clock } from "../clock.ts";
import type { Rng } from "./rng.ts";
import { ERRORS, tokenize } from "./sim-content.ts";
import type { SimOutlet } from "./sim-outlet.ts";

export interface ReplyPace {
  tokensPerSecond: number;
  /** Factor (0–1] applied to thinking and recovery times, so high rates are reachable. */
  scale: number;
}

export interface Reply {
  id: string;
  text: string;
  tokens: string[];
  idx: number;
  startedAt: number;
  /** From the start to the finished message, as the message says (set when it is sent). */
  latencyMs: number;
  overridden: boolean;
}

export interface ReplyRunner {
  readonly current: Reply | null;
  start(id: string, text: string, overridden: boolean): void;
  /** Stops the reply in flight without sending it; returns it (or null). */
  cancel(): Reply | null;
  /** Sends `text` now in place of the reply in flight, marked overridden. */
  replace(text: string): void;
  /** Sends a finished reply held as a draft (review mode), as written or edited. */
  deliver(r: Reply, text: string, edited: boolean): void;
}

export function createReplyRunner(
  sessionId: string,
  deps: {
    org: SimOutlet;
    clock: Clock;
    rng: Rng;
    pace: ReplyPace;
    /** Voice sessions: replies carry a speaker label (the agent's name). */
    speaker?: () => string | null;
    onSent(r: Reply): void;
    /** AI insight: runs the reply's agent steps (with the reply's cancellable timer), then `go`. */
    steps?(r: Reply, later: (ms: number, fn: () => void) => void, go: () => void): void;
    /** AI insight: the token usage and cost of a finished reply. */
    usage?(r: Reply): Usage | undefined;
    /** Review mode: true when the finished reply is held as a draft instead of sent. */
    hold?(r: Reply): boolean;
  },
): ReplyRunner {
  const { org, clock, rng, pace } = deps;
  let current: Reply | null = null;
  let cancelTimer: (() => void) | null = null;
  const later = (ms: number, fn: () => void) => {
    cancelTimer = clock.setTimer(ms, fn);
  };

  function stream(r: Reply): void {
    org.emit("stream_started", sessionId, { message_id: r.id });
    const tickMs = Math.max(20, 1000 / pace.tokensPerSecond);
    let last = clock.now();
    const tick = () => {
      const now = clock.now();
      const n = Math.max(1, Math.round(((now - last) * pace.tokensPerSecond) / 1000));
      last = now;
      for (let i = 0; i < n && r.idx < r.tokens.length; i++) {
        const frame: DeltaFrame = {
          type: "delta",
          session_id: sessionId,
          message_id: r.id,
          idx: r.idx,
          text: r.tokens[r.idx] ?? "",
        };
        r.idx += 1;
        org.delta(frame);
      }
      if (r.idx >= r.tokens.length) finish(r);
      else later(tickMs, tick);
    };
    later(tickMs, tick);
  }

  function finish(r: Reply): void {
    cancelTimer = null;
    current = null;
    r.latencyMs = clock.now() - r.startedAt;
    // Review mode: the reply waits for a supervisor as a draft (an override is a supervisor's own text).
    if (!r.overridden && deps.hold?.(r)) return;
    deliver(r, r.text, false);
  }

  function deliver(r: Reply, text: string, edited: boolean): void {
    const speaker = deps.speaker?.() ?? null;
    const usage = r.overridden ? undefined : deps.usage?.(r);
    org.emit("message_sent", sessionId, {
      id: r.id,
      ts: new Date(clock.now()).toISOString(),
      role: "agent",
      format: r.overridden || edited ? "text" : "markdown",
      text,
      latency_ms: r.latencyMs,
      ...(r.overridden ? { overridden: true as const } : {}),
      ...(usage ? { usage } : {}),
      ...(speaker ? { voice: { speaker, confidence: 1, is_final: true } } : {}),
    });
    deps.onSent(r);
  }

  return {
    get current() {
      return current;
    },
    start(id, text, overridden) {
      const r: Reply = {
        id,
        text,
        tokens: tokenize(text),
        idx: 0,
        startedAt: clock.now(),
        latencyMs: 0,
        overridden,
      };
      current = r;
      org.emit("agent_thinking", sessionId, { message_id: r.id });
      const go = () => {
        if (r.overridden) return finish(r);
        if (rng.chance(0.04)) {
          org.emit("error_occurred", sessionId, { ...rng.pick(ERRORS) });
          org.emit("session_updated", sessionId, { status: "error" });
          return later(800 * pace.scale, () => stream(r));
        }
        stream(r);
      };
      later(rng.int(300, 1200) * pace.scale, () =>
        deps.steps && !r.overridden ? deps.steps(r, later, go) : go(),
      );
    },
    cancel() {
      cancelTimer?.();
      cancelTimer = null;
      const r = current;
      current = null;
      return r;
    },
    deliver,
    replace(text) {
      const r = current;
      if (!r) return;
      cancelTimer?.();
      finish({ ...r, text, tokens: tokenize(text), overridden: true });
    },
  };
}
