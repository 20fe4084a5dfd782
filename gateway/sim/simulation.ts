/**
 * The simulated traffic of one org: keeps about `sessions` conversations
 * going, paced so the org's numbered stream runs at about `rate` events/s.
 * Deterministic per seed: each session draws from its own forked RNG.
 */
import { CHANNELS, type Channel, type Priority } from "../../utils/protocol/index.ts";
import type { Clock } from "../clock.ts";
import { createRng } from "./rng.ts";
import { AGENTS, PRIORITY_WEIGHTS, SYSTEM_ERRORS, topicFor } from "./sim-content.ts";
import { DEFAULT_HUMAN_QUEUE, type HumanQueueOptions } from "./sim-human-queue.ts";
import type { InsightOptions } from "./sim-insight.ts";
import type { SimOutlet } from "./sim-outlet.ts";
import type { ReviewOptions } from "./sim-review.ts";
import { createSimSession, type SimPace, type SimSession } from "./sim-session.ts";
import { INSIGHT_EVENTS_PER_TURN } from "./sim-steps.ts";

export interface SimulationOptions {
  seed: number;
  sessions: number;
  rate: number;
  newPerMinute: number;
  tokensPerSecond: number;
  onEscalation?: ((sessionId: string) => void) | undefined;
  /** Review mode: how long a draft waits for approval and what happens then (issue 12). */
  review?: ReviewOptions | undefined;
  /** The human queue: how long a transferred session waits before the queue gives up (issue 24). */
  humanQueue?: HumanQueueOptions | undefined;
  /** Whether the history already holds a session id: a new session never reuses one (issue 19). */
  known?: ((sessionId: string) => boolean) | undefined;
}

export interface SpawnOptions {
  channel?: Channel;
  priority?: Priority;
  agentId?: string;
  /** false: the user only speaks when a test calls `userMessage` (default true). */
  auto?: boolean;
  maxTurns?: number;
  /** AI insight: `{chance: false}` makes steps, scores and hand-offs follow the user's words alone (tests). */
  insight?: InsightOptions;
  /** Tests: a person picks the session up this long after a transfer to the human queue; null: nobody does. */
  humanPickupMs?: number | null;
}

export interface Simulation {
  /** Starts automatic traffic (spawning up to the concurrency target). */
  start(): void;
  stop(): void;
  /** True once stop() was called: nothing more happens on its own. */
  readonly halted: boolean;
  spawn(opts?: SpawnOptions): SimSession;
  get(sessionId: string): SimSession | undefined;
  active(): SimSession[];
  /** Review mode for every session of an agent, the open ones and those it starts later (an admin's choice). */
  reviewAgent(agentId: string, enabled: boolean): void;
}

const EVENTS_PER_TURN = 5.7 + INSIGHT_EVENTS_PER_TURN;

export function createSimulation(org: SimOutlet, clock: Clock, opts: SimulationOptions): Simulation {
  const rng = createRng(opts.seed).fork(hash(org.id));
  const live = new Map<string, SimSession>();
  /** Agents whose sessions start in review mode. */
  const reviewAgents = new Set<string>();
  /** Sessions waiting in the human queue: silent meanwhile, so others keep the traffic going (issue 24). */
  const queued = new Set<string>();
  const busy = () => live.size - queued.size;
  let spawned = 0;
  let running = false;
  let halted = false;
  let cancelSpawn: (() => void) | null = null;
  const cancels = new Set<() => void>();

  // Time one session may spend on a turn so that all of them together make `rate` events/s.
  const periodMs = ((Math.max(1, opts.sessions) * EVENTS_PER_TURN) / opts.rate) * 1000;
  const scale = Math.min(1, periodMs / 4000);
  const pace: SimPace = {
    tokensPerSecond: opts.tokensPerSecond,
    scale,
    userGapMs() {
      const replyMs = 750 * scale + (35 / opts.tokensPerSecond) * 1000;
      return Math.max(10, (periodMs - replyMs) * (0.5 + rng.next()));
    },
  };

  const later = (ms: number, fn: () => void) => {
    const cancel = clock.setTimer(ms, () => {
      cancels.delete(cancel);
      fn();
    });
    cancels.add(cancel);
  };

  function spawn(o: SpawnOptions = {}): SimSession {
    const n = ++spawned;
    const srng = rng.fork(n);
    const channel = o.channel ?? CHANNELS[(n - 1) % CHANNELS.length] ?? "web";
    const voice = channel === "phone" || channel === "sip";
    const topic = topicFor(srng, voice);
    const agent = AGENTS.find((a) => a.id === (o.agentId ?? topic.agent)) ?? AGENTS[0];
    if (!agent) throw new Error("no agents");
    let id = `ses_${srng.id(10)}${n.toString(36)}`;
    // After a restart on the same history the same seed draws the same ids again: draw until unseen.
    while (opts.known?.(id)) id = `ses_${srng.id(10)}${n.toString(36)}`;
    const s = createSimSession({
      id,
      org,
      clock,
      rng: srng,
      pace,
      agent: { id: agent.id, name: agent.name, color: agent.color },
      colleagues: AGENTS.filter((a) => a.id !== "agt_voice").map((a) => ({
        id: a.id,
        name: a.name,
        color: a.color,
      })),
      channel,
      priority: o.priority ?? srng.pick(PRIORITY_WEIGHTS),
      topic,
      auto: o.auto ?? true,
      maxTurns: o.maxTurns ?? srng.int(2, 7),
      onEscalation: opts.onEscalation,
      insight: o.insight,
      review: opts.review,
      reviewing: reviewAgents.has(agent.id),
      humanQueue:
        o.humanPickupMs === undefined
          ? opts.humanQueue
          : { ...DEFAULT_HUMAN_QUEUE, ...opts.humanQueue, pickupMs: o.humanPickupMs },
      onEnd() {
        live.delete(id);
        queued.delete(id);
        if (running && busy() < opts.sessions) later(srng.int(300, 2500) * scale, fill);
      },
      onQueue(waiting) {
        if (!waiting) return void queued.delete(id);
        queued.add(id);
        if (running && busy() < opts.sessions) later(srng.int(300, 2500) * scale, fill);
      },
    });
    live.set(id, s);
    s.start();
    if (running && srng.chance(0.03)) org.emit("error_occurred", null, { ...srng.pick(SYSTEM_ERRORS) });
    return s;
  }

  function fill(): void {
    if (running && busy() < opts.sessions) spawn();
  }

  function arrivals(): void {
    if (!running || opts.newPerMinute <= 0) return;
    cancelSpawn = clock.setTimer(60_000 / opts.newPerMinute, () => {
      fill();
      arrivals();
    });
  }

  return {
    start() {
      if (running) return;
      running = true;
      halted = false;
      for (let i = live.size; i < opts.sessions; i++)
        later(rng.int(0, Math.min(3000, 200 * i)) * scale, fill);
      arrivals();
    },
    get halted() {
      return halted;
    },
    stop() {
      running = false;
      halted = true;
      cancelSpawn?.();
      for (const c of cancels) c();
      cancels.clear();
      for (const s of live.values()) s.stop();
    },
    spawn,
    get: (sid) => live.get(sid),
    active: () => [...live.values()],
    reviewAgent(agentId, enabled) {
      if (enabled) reviewAgents.add(agentId);
      else reviewAgents.delete(agentId);
      for (const s of live.values()) if (s.agentId === agentId) s.reviewMode(enabled);
    },
  };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
