/**
 * The human queue's outcome, kept by the gateway for every session of an org
 * (issue 24). A session enters the queue with `human_queue` `waiting` — from
 * the runtime that moved it there, or from the gateway itself once a
 * `transfer {queue: "human"}` was applied without a `waiting` from the
 * runtime. Whoever picks it up says so (`picked_up`, a runtime or a CRM
 * through the agent API); nobody by its `expires_at` (`--human-queue-timeout-ms`
 * after it joined, unless the runtime gave another) → the gateway announces
 * `expired`. Events it emits in answer to an event go out after that event.
 */
import { type EventFrame, type HumanQueueState, toHumanQueue } from "../../utils/protocol/index.ts";
import type { Clock } from "../clock.ts";
import type { OrgState } from "./org-state.ts";

export interface HumanQueueWatch {
  /** The gateway applied a transfer to the human queue itself (no runtime): the session waits from now. */
  enqueue(sessionId: string): void;
  stop(): void;
}

export interface HumanQueueDeps {
  state: OrgState;
  clock: Clock;
  timeoutMs: number;
}

export function createHumanQueueWatch({ state, clock, timeoutMs }: HumanQueueDeps): HumanQueueWatch {
  /** Give-up timers of the sessions waiting now. */
  const timers = new Map<string, () => void>();
  /** Transfers to the human queue forwarded to a runtime, by intervention id, until it answers. */
  const forwarded = new Map<string, string>();
  const iso = (ms: number) => new Date(ms).toISOString();

  const clear = (sid: string) => {
    timers.get(sid)?.();
    timers.delete(sid);
  };
  const waitingOf = (sid: string): HumanQueueState | null => {
    const q = state.session(sid)?.session.human_queue;
    return q?.status === "waiting" ? q : null;
  };
  const open = (sid: string) => {
    const s = state.session(sid)?.session;
    return s !== undefined && s.status !== "ended";
  };

  function enqueue(sid: string): void {
    if (!open(sid) || waitingOf(sid)) return;
    const now = clock.now();
    state.emit("human_queue", sid, {
      status: "waiting",
      at: iso(now),
      queued_at: iso(now),
      expires_at: iso(now + timeoutMs),
    });
  }

  function schedule(sid: string, q: HumanQueueState): void {
    clear(sid);
    const at = Date.parse(q.expires_at ?? "") || Date.parse(q.at) + timeoutMs;
    const cancel = clock.setTimer(Math.max(0, at - clock.now()), () => {
      timers.delete(sid);
      if (!open(sid) || !waitingOf(sid)) return;
      state.emit("human_queue", sid, { status: "expired", at: iso(clock.now()) });
    });
    timers.set(sid, cancel);
  }

  function observe(ev: EventFrame): void {
    const sid = ev.session_id;
    if (!sid) return;
    switch (ev.kind) {
      case "human_queue":
        if (ev.data.status === "waiting") {
          const q = waitingOf(sid);
          if (q) schedule(sid, q);
        } else clear(sid);
        break;
      case "session_updated":
        if (ev.data.human_queue === null) clear(sid);
        break;
      case "session_ended":
        clear(sid);
        for (const [id, s] of forwarded) if (s === sid) forwarded.delete(id);
        break;
      case "intervention_triggered": {
        if (toHumanQueue(ev.data)) forwarded.set(ev.data.intervention_id, sid);
        break;
      }
      case "intervention_result": {
        const target = forwarded.get(ev.data.intervention_id);
        if (target === undefined) break;
        forwarded.delete(ev.data.intervention_id);
        // The runtime moved it without saying it waits: the gateway says so (after this event went out).
        if (ev.data.outcome === "applied") queueMicrotask(() => enqueue(target));
        break;
      }
      default:
        break;
    }
  }

  const off = state.onEvent(observe);
  // Sessions already waiting (rebuilt from history) keep their deadline.
  for (const [sid, e] of state.sessions)
    if (e.session.status !== "ended" && e.session.human_queue?.status === "waiting")
      schedule(sid, e.session.human_queue);

  return {
    enqueue,
    stop() {
      off();
      for (const c of timers.values()) c();
      timers.clear();
      forwarded.clear();
    },
  };
}
