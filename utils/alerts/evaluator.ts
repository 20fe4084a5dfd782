/**
 * Which rules fire for one applied event. Rules are compiled once per rule
 * set: indexed by the event kinds they care about, every keyword rule folded
 * into one matcher; a cost rule reads the session totals the gateway sends
 * (`session_started`, `session_updated`: totals are replaced, never summed
 * client-side), so no rule needs a session lookup. An event
 * no rule cares about returns at the first switch; one that matches nothing
 * returns null without allocating.
 *
 * Every firing says which rule and why, and carries a key (rule + message,
 * error event or session) — the same rule on the same message fires once,
 * even when the message is published again (voice transcripts, updates).
 */
import { formatPercent } from "../format";
import type { EventFrame, Message } from "../protocol";
import { compileKeywords, type KeywordMatcher } from "./keyword-matcher";
import type { AlertAction, Rule } from "./rule-schema";

export interface Firing {
  /** Unique per rule and occasion (message, error event, session): also the alert's id. */
  key: string;
  rule_id: string;
  rule_name: string;
  session_id: string | null;
  why: string;
  actions: readonly AlertAction[];
  repeat_until_ack: boolean;
  /** The message the rule fired on, when there is one. */
  message_id?: string;
}

/** Remembers which (rule, occasion) pairs already fired; bounded, oldest forgotten first. */
export interface Dedupe {
  /** True the first time a key is seen. */
  first(key: string): boolean;
  /** The newest `n` keys, oldest first (kept across a worker restart). */
  recent(n: number): string[];
  readonly size: number;
}

export function createDedupe(limit = 20_000): Dedupe {
  const keys = new Set<string>();
  return {
    first(key) {
      if (keys.has(key)) return false;
      keys.add(key);
      if (keys.size > limit) {
        const oldest = keys.values().next().value;
        if (oldest !== undefined) keys.delete(oldest);
      }
      return true;
    },
    recent(n) {
      const all = [...keys];
      return all.slice(Math.max(0, all.length - n));
    },
    get size() {
      return keys.size;
    },
  };
}

export interface Evaluator {
  /** Enabled rules taking part. */
  readonly ruleCount: number;
  evaluate(event: EventFrame): Firing[] | null;
}

type Threshold = { rule: Rule; value: number };

const num = (x: number) => String(Math.round(x * 1000) / 1000);
const usd = (x: number) => `$${x.toFixed(2)}`;
const cut = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function createEvaluator(rules: readonly Rule[], dedupe: Dedupe = createDedupe()): Evaluator {
  const live = rules.filter((r) => r.enabled && r.actions.length > 0);
  const keywordRules: Rule[] = [];
  const sentiment: Threshold[] = [];
  const risk: Threshold[] = [];
  const latency: Threshold[] = [];
  const cost: Threshold[] = [];
  const errors: Rule[] = [];
  for (const r of live) {
    const c = r.condition;
    if (c.type === "keyword") keywordRules.push(r);
    else if (c.type === "sentiment_below") sentiment.push({ rule: r, value: c.threshold });
    else if (c.type === "risk_above") risk.push({ rule: r, value: c.threshold });
    else if (c.type === "latency_above") latency.push({ rule: r, value: c.ms });
    else if (c.type === "cost_above") cost.push({ rule: r, value: c.usd });
    else errors.push(r);
  }
  // Sorted so a loop stops at the first threshold that does not hold (the rest cannot either):
  // "below" from the highest threshold down, "above" from the lowest up.
  sentiment.sort((a, b) => b.value - a.value);
  for (const list of [risk, latency, cost]) list.sort((a, b) => a.value - b.value);
  const matcher: KeywordMatcher | null = compileKeywords(
    keywordRules.map((r, i) => ({
      rule: i,
      phrases: r.condition.type === "keyword" ? r.condition.phrases : [],
    })),
  );
  const userRules = matcher !== null || sentiment.length > 0 || risk.length > 0;
  const agentRules = latency.length > 0;

  let out: Firing[] | null = null;
  function fire(rule: Rule, scope: string, sessionId: string | null, why: string, messageId?: string): void {
    const key = `${rule.id}|${scope}`;
    if (!dedupe.first(key)) return;
    if (out === null) out = [];
    out.push({
      key,
      rule_id: rule.id,
      rule_name: rule.name,
      session_id: sessionId,
      why,
      actions: rule.actions,
      repeat_until_ack: rule.repeat_until_ack === true,
      ...(messageId === undefined ? {} : { message_id: messageId }),
    });
  }

  // The message being matched, for the keyword callback (hoisted: no closure per event).
  let kwMessage = "";
  let kwSession = "";
  const onKeyword = (i: number, phrase: string) => {
    const rule = keywordRules[i];
    if (rule) fire(rule, kwMessage, kwSession, `user said “${phrase}”`, kwMessage);
  };

  function userMessage(m: Message, sid: string): void {
    if (matcher !== null) {
      const text = m.text;
      if (text.length > 0) {
        kwMessage = m.id;
        kwSession = sid;
        matcher.match(text, onKeyword);
      }
    }
    if (sentiment.length > 0) {
      const s = m.sentiment;
      if (s !== undefined)
        for (let i = 0; i < sentiment.length; i++) {
          const t = sentiment[i] as Threshold;
          if (!(s < t.value)) break;
          fire(t.rule, m.id, sid, `sentiment ${num(s)} is below ${num(t.value)}`, m.id);
        }
    }
    if (risk.length > 0) {
      const r = m.risk;
      if (r !== undefined)
        for (let i = 0; i < risk.length; i++) {
          const t = risk[i] as Threshold;
          const score = r.score;
          if (!(score > t.value)) break;
          fire(
            t.rule,
            m.id,
            sid,
            `risk ${formatPercent(score)} is above ${formatPercent(t.value)}${r.reason ? `: ${cut(r.reason)}` : ""}`,
            m.id,
          );
        }
    }
  }

  function checkCost(total: number | undefined, sid: string): void {
    if (total === undefined) return;
    for (const t of cost) {
      if (!(total > t.value)) break;
      fire(t.rule, `session:${sid}`, sid, `session cost ${usd(total)} is above ${usd(t.value)}`);
    }
  }

  return {
    ruleCount: live.length,
    evaluate(e) {
      out = null;
      const sid = e.session_id;
      switch (e.kind) {
        case "message_received":
        case "message_sent": {
          if (sid === null) break;
          const m = e.data;
          if (m.role === "user") {
            if (userRules) userMessage(m, sid);
          } else if (agentRules && m.role === "agent") {
            const ms = m.latency_ms;
            if (ms !== undefined)
              for (const t of latency) {
                if (!(ms > t.value)) break;
                fire(t.rule, m.id, sid, `reply took ${Math.round(ms)} ms (over ${t.value} ms)`, m.id);
              }
          }
          break;
        }
        case "session_updated":
          if (cost.length > 0 && sid !== null) checkCost(e.data.totals?.cost_usd, sid);
          break;
        case "session_started":
          if (cost.length > 0 && sid !== null) checkCost(e.data.totals?.cost_usd, sid);
          break;
        case "error_occurred":
          for (const r of errors)
            fire(r, `event:${e.event_id}`, sid, cut(`${e.data.severity} ${e.data.code}: ${e.data.message}`));
          break;
        default:
          break;
      }
      return out;
    },
  };
}
