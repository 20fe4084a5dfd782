/**
 * What the simulated agent does before it answers: an order look-up, a
 * knowledge-base search, a refund that may fail, a reasoning summary. Each
 * step is published as `agent_step` twice — `running`, then `ok` or `error`
 * with its duration — under the id of the reply it belongs to. The plan
 * follows the user's words (so a test's text gives known steps); seeded
 * chance adds variety. A step may ask for a human (`handoff_requested`).
 */
import type { AgentStep, StepKind } from "../../utils/protocol/index.ts";
import type { Rng } from "./rng.ts";
import type { SimOutlet } from "./sim-outlet.ts";

/** The most a simulated agent may refund on its own; more asks for a human. */
export const REFUND_LIMIT_EUR = 100;
/** Extra numbered events per reply (two per step, about 1.2 steps, plus the totals' session_updated), for pacing. */
export const INSIGHT_EVENTS_PER_TURN = 3.4;

export interface PlannedStep {
  kind: StepKind;
  name: string;
  input: unknown;
  durationMs: number;
  /** The output when it succeeds. */
  output?: unknown;
  /** Set when the step fails. */
  error?: string;
  /** Set when the outcome means the agent must ask for a human. */
  handoff?: string;
}

export interface StepPlan {
  steps: PlannedStep[];
  /** Why the agent asks for a human after this reply (null: it does not). */
  handoff: string | null;
}

export interface PlanInput {
  userText: string;
  tags: readonly string[];
  rng: Rng;
  /** Random extras (knowledge-base search, reasoning, spontaneous hand-offs); false: the words alone decide. */
  chance: boolean;
}

const ORDER_RE = /#?\b(\d{5})\b/;
const AMOUNT_RE = /(?:€|\$|eur\s?|usd\s?)(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s?(?:€|eur|euros?|dollars?|usd)/i;

export function planSteps({ userText, tags, rng, chance }: PlanInput): StepPlan {
  const text = userText.toLowerCase();
  const steps: PlannedStep[] = [];
  const orderId = ORDER_RE.exec(userText)?.[1] ?? String(rng.int(10000, 99999));
  const wantsOrder = /order|parcel|package|tracking|deliver|arrived/.test(text) || tags.includes("orders");
  const wantsRefund = /refund|money back|charged twice/.test(text);
  const wantsHuman = /\b(human|real person|manager)\b/.test(text);

  if (wantsOrder && (wantsRefund || !chance || rng.chance(0.7))) {
    steps.push({
      kind: "tool_call",
      name: "lookup_order",
      input: { order_id: orderId },
      durationMs: rng.int(120, 600),
      output: {
        order_id: orderId,
        status: rng.pick(["in_transit", "delivered", "delayed"]),
        carrier: rng.pick(["DHL", "UPS", "PostNL"]),
        eta: "2 business days",
      },
    });
  }
  if (!chance || rng.chance(0.6)) {
    const query = userText.slice(0, 80);
    steps.push({
      kind: "retrieval",
      name: "kb_search",
      input: { query, top_k: 3 },
      durationMs: rng.int(60, 400),
      output: {
        hits: [
          { doc: rng.pick(["refund-policy.md", "shipping-times.md", "billing-faq.md"]), score: 0.82 },
          { doc: rng.pick(["returns.md", "pricing.md", "account-help.md"]), score: 0.61 },
        ],
      },
    });
  }
  if (wantsRefund) {
    const amount = Number(
      AMOUNT_RE.exec(userText)
        ?.slice(1)
        .find((x) => x !== undefined) ?? rng.int(20, 130),
    );
    const refund: PlannedStep = {
      kind: "tool_call",
      name: "issue_refund",
      input: { order_id: orderId, amount_eur: amount },
      durationMs: rng.int(200, 900),
    };
    if (amount > REFUND_LIMIT_EUR) {
      refund.error = `Refund of €${amount} is above the agent's limit of €${REFUND_LIMIT_EUR}`;
      refund.handoff = `Refund of €${amount} is above the agent's €${REFUND_LIMIT_EUR} limit`;
    } else if (chance && rng.chance(0.25)) {
      refund.error = "Payment provider timed out (HTTP 504)";
    } else {
      refund.output = { refund_id: `rf_${rng.id(8)}`, amount_eur: amount, status: "issued" };
    }
    steps.push(refund);
  }
  if (steps.length > 0 && (!chance || rng.chance(0.5))) {
    steps.push({
      kind: "reasoning",
      name: "plan_reply",
      input: { steps_done: steps.map((s) => s.name) },
      durationMs: rng.int(50, 300),
      output: {
        summary: steps.some((s) => s.error)
          ? "A tool failed: apologise, explain what happens next."
          : "Tools answered: summarise the result for the user.",
      },
    });
  }
  const handoff =
    steps.find((s) => s.handoff)?.handoff ??
    (wantsHuman
      ? "The user asked to speak to a human"
      : chance && rng.chance(0.01)
        ? "Low confidence in the answer"
        : null);
  return { steps, handoff };
}

/**
 * Runs a plan as `agent_step` events: each step `running`, then `ok`/`error`
 * after its duration (scaled), one after the other; `done` after the last.
 * `later` is the reply's own cancellable timer, so pausing the reply stops it.
 */
export function runSteps(
  plan: readonly PlannedStep[],
  ctx: {
    org: SimOutlet;
    sessionId: string;
    messageId: string;
    now(): number;
    scale: number;
    later(ms: number, fn: () => void): void;
  },
  done: () => void,
): void {
  const next = (i: number) => {
    const p = plan[i];
    if (!p) return done();
    const startedAt = ctx.now();
    const base: AgentStep = {
      step_id: `stp_${ctx.messageId.slice(4)}_${i + 1}`,
      message_id: ctx.messageId,
      kind: p.kind,
      name: p.name,
      input: p.input,
      status: "running",
      started_at: new Date(startedAt).toISOString(),
    };
    ctx.org.emit("agent_step", ctx.sessionId, base);
    ctx.later(Math.max(1, p.durationMs * ctx.scale), () => {
      const duration_ms = ctx.now() - startedAt;
      ctx.org.emit("agent_step", ctx.sessionId, {
        ...base,
        duration_ms,
        ...(p.error ? { status: "error", error: p.error } : { status: "ok", output: p.output }),
      });
      next(i + 1);
    });
  };
  next(0);
}
