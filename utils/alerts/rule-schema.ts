/**
 * What an alert rule is: a condition over one incoming event (or the session
 * it changes) and the actions to take when it holds. Validated wherever a
 * rule crosses a boundary: IndexedDB, the panel → worker message, the editor.
 *
 *   { id, name, enabled, condition, actions: ["toast", "sound"], repeat_until_ack? }
 */
import * as v from "valibot";
import { formatPercent } from "../format";

export const RULE_NAME_MAX = 60;
export const PHRASE_MAX = 100;
export const PHRASES_MAX = 50;
/** The worker accepts at most this many rules (a panel sending more is refused). */
export const RULES_MAX = 200;

export const ALERT_ACTIONS = ["badge", "notification", "toast", "sound", "highlight"] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

export const CONDITION_TYPES = [
  "keyword",
  "sentiment_below",
  "risk_above",
  "latency_above",
  "error",
  "cost_above",
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

const Phrase = v.pipe(
  v.string(),
  v.transform((s) => s.replace(/\s+/g, " ").trim()),
  v.minLength(1, "a phrase must not be empty"),
  v.maxLength(PHRASE_MAX, `a phrase is at most ${PHRASE_MAX} characters`),
);

const finite = (msg: string) => v.pipe(v.number(msg), v.finite(msg));
/** A number between two bounds, each given as [value, words]: "risk is at least 0 %". */
const threshold = (what: string, [min, minText]: [number, string], [max, maxText]: [number, string]) =>
  v.pipe(
    finite(`${what} must be a number`),
    v.minValue(min, `${what} is at least ${minText}`),
    v.maxValue(max, `${what} is at most ${maxText}`),
  );

export const ConditionSchema = v.variant(
  "type",
  [
    v.object({
      type: v.literal("keyword"),
      phrases: v.pipe(
        v.array(Phrase),
        v.minLength(1, "list at least one word or phrase"),
        v.maxLength(PHRASES_MAX, `at most ${PHRASES_MAX} phrases`),
      ),
    }),
    v.object({
      type: v.literal("sentiment_below"),
      threshold: threshold("sentiment", [-1, "−1"], [1, "1"]),
    }),
    v.object({
      type: v.literal("risk_above"),
      threshold: threshold("risk", [0, "0 %"], [1, "100 %"]),
    }),
    v.object({
      type: v.literal("latency_above"),
      ms: v.pipe(
        finite("latency must be a number of milliseconds"),
        v.integer("latency must be a whole number of milliseconds"),
        v.minValue(0, "latency must not be negative"),
        v.maxValue(3_600_000, "latency is at most an hour"),
      ),
    }),
    v.object({ type: v.literal("error") }),
    v.object({
      type: v.literal("cost_above"),
      usd: v.pipe(
        finite("cost must be a number of dollars"),
        v.minValue(0, "cost must not be negative"),
        v.maxValue(1_000_000, "cost is at most $1,000,000"),
      ),
    }),
  ],
  "unknown condition type",
);

export const RuleSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1, "must not be empty"), v.maxLength(200, "is too long")),
  name: v.pipe(
    v.string(),
    v.transform((s) => s.replace(/\s+/g, " ").trim()),
    v.minLength(1, "the rule needs a name"),
    v.maxLength(RULE_NAME_MAX, `a name is at most ${RULE_NAME_MAX} characters`),
  ),
  enabled: v.boolean(),
  condition: ConditionSchema,
  actions: v.pipe(
    v.array(v.picklist(ALERT_ACTIONS, "unknown action")),
    v.minLength(1, "choose at least one action"),
    v.transform((list) => ALERT_ACTIONS.filter((a) => list.includes(a))),
  ),
  repeat_until_ack: v.optional(v.boolean()),
});

export const RulesSchema = v.pipe(v.array(RuleSchema), v.maxLength(RULES_MAX, `at most ${RULES_MAX} rules`));

export type Condition = v.InferOutput<typeof ConditionSchema>;
export type Rule = v.InferOutput<typeof RuleSchema>;

export type RuleDecode = { ok: true; rule: Rule } | { ok: false; path: string; message: string };

/** Validates one rule; on failure names the field and says what is wrong. */
export function decodeRule(input: unknown): RuleDecode {
  const r = v.safeParse(RuleSchema, input);
  if (r.success) return { ok: true, rule: r.output };
  const issue = r.issues[0];
  return { ok: false, path: v.getDotPath(issue) ?? "", message: issue.message };
}

/** Every problem of a draft rule by field path (`name`, `condition.threshold`, `actions`…), for inline errors. */
export function ruleErrors(input: unknown): Record<string, string> {
  const r = v.safeParse(RuleSchema, input, { abortEarly: false });
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const issue of r.issues) {
    const path = (v.getDotPath(issue) ?? "").replace(/\.\d+$/, "");
    out[path] ??= issue.message;
  }
  return out;
}

export const CONDITION_LABEL: Record<ConditionType, string> = {
  keyword: "User says a word or phrase",
  sentiment_below: "Sentiment below",
  risk_above: "Risk above",
  latency_above: "Reply latency above",
  error: "An error occurs",
  cost_above: "Session cost above",
};

export const ACTION_LABEL: Record<AlertAction, string> = {
  badge: "Badge",
  notification: "Desktop notification",
  toast: "Toast",
  sound: "Sound",
  highlight: "Highlight card",
};

/** The condition in words, for the rules list. */
export function describeCondition(c: Condition): string {
  switch (c.type) {
    case "keyword":
      return `User says ${c.phrases.map((p) => `“${p}”`).join(" or ")}`;
    case "sentiment_below":
      return `Sentiment below ${c.threshold}`;
    case "risk_above":
      return `Risk above ${formatPercent(c.threshold)}`;
    case "latency_above":
      return `Reply latency above ${c.ms} ms`;
    case "error":
      return "An error occurs";
    case "cost_above":
      return `Session cost above $${c.usd}`;
  }
}
