/**
 * The simulated human queue (issue 24): a session transferred to the human
 * queue waits for a person. One of the support team picks it up after a
 * realistic wait (15 s … 6 min, so a share of them waits longer than the
 * queue's give-up time) and says so with `human_queue` `picked_up`, the same
 * event a CRM publishes through the agent API. Nobody in time: the gateway
 * announces `expired` (gateway/org/human-queue.ts) and `onExpired` lets the AI
 * agent carry on.
 */
import type { Clock } from "../clock.ts";
import type { Rng } from "./rng.ts";
import type { SimOutlet } from "./sim-outlet.ts";

export interface HumanQueueOptions {
  /** The queue gives up after this long (the gateway's `--human-queue-timeout-ms`). */
  timeoutMs: number;
  /** Tests: a fixed wait before a person picks the session up; null: nobody does. */
  pickupMs?: number | null | undefined;
}

export const DEFAULT_HUMAN_QUEUE: HumanQueueOptions = { timeoutMs: 300_000 };

/** The simulated support team (people, not agents). */
export const HUMANS = [
  { id: "hum_sam", name: "Sam Lee" },
  { id: "hum_priya", name: "Priya Nair" },
  { id: "hum_tomas", name: "Tomás Ruiz" },
  { id: "hum_grace", name: "Grace Okafor" },
] as const;

export type Human = { id: string; name: string };

export interface HumanDesk {
  /** The session joins the queue now (publishes `waiting`). */
  enqueue(): void;
  /** Waiting for a person now. */
  readonly waiting: boolean;
  stop(): void;
}

export interface HumanDeskDeps {
  sessionId: string;
  org: SimOutlet;
  clock: Clock;
  rng: Rng;
  options: HumanQueueOptions;
  pickedUp(by: Human): void;
  expired(): void;
}

export function createHumanDesk(deps: HumanDeskDeps): HumanDesk {
  const { sessionId, org, clock, rng, options } = deps;
  let cancel: (() => void) | null = null;
  let waiting = false;
  const iso = (ms: number) => new Date(ms).toISOString();

  return {
    enqueue() {
      cancel?.();
      const now = clock.now();
      waiting = true;
      org.emit("human_queue", sessionId, {
        status: "waiting",
        at: iso(now),
        queued_at: iso(now),
        expires_at: iso(now + options.timeoutMs),
      });
      const wait = options.pickupMs === undefined ? rng.int(15_000, 360_000) : options.pickupMs;
      if (wait !== null && wait < options.timeoutMs) {
        cancel = clock.setTimer(wait, () => {
          cancel = null;
          waiting = false;
          const by = { ...rng.pick(HUMANS) };
          org.emit("human_queue", sessionId, { status: "picked_up", at: iso(clock.now()), by });
          deps.pickedUp(by);
        });
        return;
      }
      // Nobody in time: the gateway announces `expired` at the same moment; the AI agent carries on.
      cancel = clock.setTimer(options.timeoutMs, () => {
        cancel = null;
        waiting = false;
        deps.expired();
      });
    },
    get waiting() {
      return waiting;
    },
    stop() {
      cancel?.();
      cancel = null;
    },
  };
}
