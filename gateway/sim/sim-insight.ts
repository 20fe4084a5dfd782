/**
 * The AI insight of one simulated conversation, kept beside it so the
 * conversation itself only calls a few hooks: scores for each user message
 * (the session's sentiment and risk follow from them: `insightAfterMessage`), agent steps before
 * each reply, usage on each reply, running totals after it, and the hand-off
 * request a reply may end with.
 */
import type { Message } from "../../utils/protocol/index.ts";
import type { Clock } from "../clock.ts";
import type { Rng } from "./rng.ts";
import type { SimOutlet } from "./sim-outlet.ts";
import type { Reply } from "./sim-reply.ts";
import { createTotals, scoreUserText, usageFor } from "./sim-signals.ts";
import { planSteps, runSteps } from "./sim-steps.ts";

export interface InsightOptions {
  /** false: steps, scores and hand-offs follow the words alone, without chance (tests). Default true. */
  chance?: boolean;
}

export interface SessionInsight {
  /** Fields to put on a user message. */
  scoreUser(text: string): Pick<Message, "sentiment" | "risk">;
  steps(r: Reply, later: (ms: number, fn: () => void) => void, go: () => void): void;
  usage(r: Reply): Message["usage"];
  /** After a reply was sent: totals, then the hand-off request if the reply's steps asked for one. */
  afterReply(r: Reply, latencyMs: number): string | null;
  /** A supervisor answered the request (transfer, resume, override): the agent may ask again later. */
  handoffAnswered(): void;
}

export function createSessionInsight(init: {
  id: string;
  org: SimOutlet;
  clock: Clock;
  rng: Rng;
  scale: number;
  tags: readonly string[];
  contextSize(): number;
  options?: InsightOptions;
}): SessionInsight {
  const { id, org, clock, rng } = init;
  const chance = init.options?.chance ?? true;
  const totals = createTotals();
  let lastUserText = "";
  /** Hand-off reasons by reply id, decided when its steps were planned. */
  const handoffs = new Map<string, string>();
  const stepCounts = new Map<string, number>();
  const usages = new Map<string, NonNullable<Message["usage"]>>();
  /** The agent's own memory of its open request (a runtime does not read the gateway's state). */
  let handoffOpen = false;

  return {
    scoreUser(text) {
      lastUserText = text;
      const s = scoreUserText(text, rng, chance ? 0.15 : 0);
      return { sentiment: s.sentiment, risk: s.risk };
    },
    steps(r, later, go) {
      const plan = planSteps({ userText: lastUserText, tags: init.tags, rng, chance });
      if (plan.handoff) handoffs.set(r.id, plan.handoff);
      stepCounts.set(r.id, plan.steps.length);
      runSteps(
        plan.steps,
        { org, sessionId: id, messageId: r.id, now: () => clock.now(), scale: init.scale, later },
        go,
      );
    },
    usage(r) {
      const u = usageFor(r.tokens.length, init.contextSize(), stepCounts.get(r.id) ?? 0, rng);
      usages.set(r.id, u);
      return u;
    },
    afterReply(r, latencyMs) {
      org.emit("session_updated", id, { totals: totals.add(usages.get(r.id), latencyMs) });
      usages.delete(r.id);
      stepCounts.delete(r.id);
      const reason = handoffs.get(r.id) ?? null;
      handoffs.delete(r.id);
      // One open request at a time: asking again while a supervisor has not answered adds nothing.
      if (!reason || handoffOpen) return null;
      handoffOpen = true;
      org.emit("handoff_requested", id, { reason, requested_at: new Date(clock.now()).toISOString() });
      return reason;
    },
    handoffAnswered() {
      handoffOpen = false;
    },
  };
}
