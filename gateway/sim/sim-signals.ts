/**
 * The simulated AI's scores: sentiment (−1…1) and risk (0…1, with the reason)
 * of each user message, token usage and cost of each agent reply, and the
 * session's running totals. Words decide the scores (so a test's text gives a
 * known result); a little seeded noise keeps automatic traffic varied.
 */
import type { Risk, SessionTotals, Usage } from "../../utils/protocol/index.ts";
import { percentile } from "../stats.ts";
import type { Rng } from "./rng.ts";

const NEGATIVE = [
  "not",
  "never",
  "damaged",
  "broken",
  "twice",
  "late",
  "week",
  "angry",
  "terrible",
  "worst",
  "refund",
  "cancel",
  "lawyer",
  "complaint",
  "ridiculous",
  "useless",
];
const POSITIVE = ["thanks", "thank", "great", "good", "helps", "perfect", "love", "sounds", "please", "yes"];

/** Phrases that make a message risky, with the reason a supervisor reads. Highest match wins. */
const RISKS: readonly { pattern: RegExp; score: number; reason: string }[] = [
  { pattern: /\blawyer|legal action|sue\b/i, score: 0.95, reason: "Legal threat" },
  {
    pattern: /cancel my (account|subscription)|close my account/i,
    score: 0.85,
    reason: "Churn: wants to cancel",
  },
  { pattern: /chargeback|charged twice|fraud/i, score: 0.75, reason: "Payment dispute" },
  { pattern: /\b(human|real person|manager)\b/i, score: 0.6, reason: "Asks for a human" },
  { pattern: /\brefund\b/i, score: 0.55, reason: "Refund request" },
  {
    pattern: /damaged|broken|not arrived|has not arrived/i,
    score: 0.4,
    reason: "Product or delivery problem",
  },
];

/** Rounded, and never −0 (JSON has no −0: the gateway's copy and a client's must be equal). */
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits + 0;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export interface UserSignals {
  sentiment: number;
  risk: Risk;
}

/** Sentiment and risk of one user message. `noise` 0 gives the words' score alone (tests). */
export function scoreUserText(text: string, rng: Rng, noise = 0.15): UserSignals {
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  let score = 0;
  for (const w of words) {
    if (NEGATIVE.includes(w)) score -= 0.35;
    else if (POSITIVE.includes(w)) score += 0.35;
  }
  if (text.includes("!")) score -= 0.1;
  const sentiment = round(clamp(score + (rng.next() * 2 - 1) * noise, -1, 1), 2);
  let risk: Risk = { score: round(clamp(0.05 + rng.next() * noise * 0.5, 0, 1), 2), reason: "Routine" };
  for (const r of RISKS) {
    if (r.pattern.test(text) && r.score > risk.score) risk = { score: r.score, reason: r.reason };
  }
  if (sentiment <= -0.6 && risk.score < 0.5) risk = { score: 0.5, reason: "Very negative sentiment" };
  return { sentiment, risk };
}

/** Model prices (USD per 1000 tokens), about a mid-size hosted model. */
export const PRICE_PER_1K = { input: 0.003, output: 0.015 };

/** Token usage of one reply: the prompt grows with the conversation, the output is the reply's words. */
export function usageFor(replyTokens: number, contextMessages: number, stepCount: number, rng: Rng): Usage {
  const input_tokens = 600 + contextMessages * 45 + stepCount * 180 + rng.int(0, 120);
  const output_tokens = Math.max(1, Math.round(replyTokens * 1.3)) + stepCount * 25;
  const cost_usd = round((input_tokens * PRICE_PER_1K.input + output_tokens * PRICE_PER_1K.output) / 1000, 6);
  return { input_tokens, output_tokens, cost_usd };
}

/** Running totals of one session; `add` returns the new totals to publish with session_updated. */
export interface TotalsTracker {
  add(usage: Usage | undefined, latencyMs: number | undefined): SessionTotals;
  readonly value: SessionTotals;
}

export function createTotals(): TotalsTracker {
  const t: SessionTotals = { cost_usd: 0, input_tokens: 0, output_tokens: 0, replies: 0 };
  const latencies: number[] = [];
  return {
    add(usage, latency) {
      t.replies += 1;
      if (usage) {
        t.cost_usd = round(t.cost_usd + usage.cost_usd, 6);
        t.input_tokens += usage.input_tokens;
        t.output_tokens += usage.output_tokens;
      }
      if (latency !== undefined) {
        latencies.push(latency);
        if (latencies.length > 200) latencies.shift();
        t.avg_latency_ms = Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length);
        t.p95_latency_ms = percentile(latencies, 0.95);
      }
      return { ...t };
    },
    get value() {
      return { ...t };
    },
  };
}
