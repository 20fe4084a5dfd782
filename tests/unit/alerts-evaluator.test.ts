/** Alert rules: each condition fires exactly when it holds, once per rule and message, never when disabled. */
import { describe, expect, it } from "vitest";
import { createEvaluator } from "../../utils/alerts/evaluator";
import { compileKeywords } from "../../utils/alerts/keyword-matcher";
import { type Condition, decodeRule, type Rule, ruleErrors } from "../../utils/alerts/rule-schema";
import type { EventFrame } from "../../utils/protocol";
import { makeEvent, makeMessage, makeSession } from "../fixtures/frames";

let seq = 0;
const rule = (condition: Condition, extra: Partial<Rule> = {}): Rule => ({
  id: `r_${condition.type}`,
  name: `Rule ${condition.type}`,
  enabled: true,
  condition,
  actions: ["toast"],
  ...extra,
});
const userMsg = (text: string, extra: Record<string, unknown> = {}) =>
  makeEvent("message_received", makeMessage({ id: `msg_${++seq}`, text, ...extra }), seq) as EventFrame;
const agentMsg = (extra: Record<string, unknown>) =>
  makeEvent(
    "message_sent",
    makeMessage({ id: `msg_${++seq}`, role: "agent", text: "Sure.", ...extra }),
    seq,
  ) as EventFrame;

function fires(rules: Rule[], event: EventFrame) {
  return createEvaluator(rules).evaluate(event) ?? [];
}

describe("keyword rules", () => {
  const lawyer = rule({ type: "keyword", phrases: ["lawyer", "cancel my account"] }, { name: "Lawyer" });

  it("fires on a phrase in a user message, case-insensitive, saying which rule and why", () => {
    const [f, ...rest] = fires([lawyer], userMsg("I will call my LAWYER tomorrow"));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule_id: "r_keyword",
      rule_name: "Lawyer",
      session_id: "ses_abc123xyz",
      why: "user said “lawyer”",
    });
    expect(fires([lawyer], userMsg("Please   Cancel my\naccount now"))[0]?.why).toBe(
      "user said “cancel my account”",
    );
  });

  it("respects word boundaries and ignores agent messages", () => {
    expect(fires([lawyer], userMsg("the lawyers were kind"))).toEqual([]);
    expect(fires([lawyer], userMsg("mylawyer"))).toEqual([]);
    expect(fires([lawyer], userMsg("lawyer."))).toHaveLength(1);
    expect(fires([lawyer], userMsg("«lawyer»"))).toHaveLength(1);
    expect(fires([lawyer], agentMsg({ text: "you may ask a lawyer" }))).toEqual([]);
  });

  it("matches non-ASCII phrases and phrases with punctuation", () => {
    const r = rule({ type: "keyword", phrases: ["Anwältin", "c++", "$$$"] });
    expect(fires([r], userMsg("Meine ANWÄLTIN ruft an"))).toHaveLength(1);
    expect(fires([r], userMsg("I code in C++ daily"))).toHaveLength(1);
    expect(fires([r], userMsg("this costs $$$"))).toHaveLength(1);
    expect(fires([r], userMsg("Anwältinnen"))).toEqual([]);
  });

  it("fires every rule whose phrase occurs, including overlapping and contained phrases", () => {
    const a = rule({ type: "keyword", phrases: ["cancel"] }, { id: "a", name: "A" });
    const b = rule({ type: "keyword", phrases: ["cancel my account"] }, { id: "b", name: "B" });
    const c = rule({ type: "keyword", phrases: ["my account"] }, { id: "c", name: "C" });
    const d = rule({ type: "keyword", phrases: ["account now"] }, { id: "d", name: "D" });
    const e = rule({ type: "keyword", phrases: ["refund"] }, { id: "e", name: "E" });
    const got = fires([a, b, c, d, e], userMsg("cancel my account now"));
    expect(got.map((f) => f.rule_id).sort()).toEqual(["a", "b", "c", "d"]);
    expect(got.find((f) => f.rule_id === "a")?.why).toBe("user said “cancel”");
  });

  it("a longer phrase failing its boundary leaves a shorter one to match", () => {
    const a = rule({ type: "keyword", phrases: ["cancel"] }, { id: "a", name: "A" });
    const b = rule({ type: "keyword", phrases: ["cancel my account"] }, { id: "b", name: "B" });
    expect(fires([a, b], userMsg("Cancel my accounts please")).map((f) => f.rule_id)).toEqual(["a"]);
    expect(fires([a, b], userMsg("ÇANCEL? no: cancelled")).map((f) => f.rule_id)).toEqual([]);
  });

  it("the same rule on the same message fires once (repeated phrase, re-published message)", () => {
    const ev = createEvaluator([lawyer]);
    const m = userMsg("lawyer, lawyer, LAWYER, cancel my account");
    expect(ev.evaluate(m)).toHaveLength(1);
    expect(ev.evaluate(m)).toBeNull();
    // A voice transcript publishes the same message id again with the final text.
    const final = {
      ...m,
      seq: 999,
      event_id: "evt_final",
      data: { ...m.data, text: "my lawyer" },
    } as EventFrame;
    expect(ev.evaluate(final)).toBeNull();
    expect(ev.evaluate(userMsg("lawyer again"))).toHaveLength(1);
  });

  it("fifty keyword rules are one matcher", () => {
    const rules = Array.from({ length: 50 }, (_, i) =>
      rule({ type: "keyword", phrases: [`word${i}`, `two words ${i}`] }, { id: `k${i}` }),
    );
    const m = compileKeywords(
      rules.map((r, i) => ({ rule: i, phrases: r.condition.type === "keyword" ? r.condition.phrases : [] })),
    );
    expect(m?.phraseCount).toBe(100);
    const got = fires(rules, userMsg("say word7 and two  words 42 and word49"));
    expect(got.map((f) => f.rule_id).sort()).toEqual(["k42", "k49", "k7"]);
  });
});

describe("threshold rules", () => {
  it("sentiment below X: strictly below, equal does not fire", () => {
    const r = rule({ type: "sentiment_below", threshold: -0.5 });
    expect(fires([r], userMsg("bad", { sentiment: -0.51 }))[0]?.why).toBe("sentiment -0.51 is below -0.5");
    expect(fires([r], userMsg("meh", { sentiment: -0.5 }))).toEqual([]);
    expect(fires([r], userMsg("ok", { sentiment: 0.2 }))).toEqual([]);
    expect(fires([r], userMsg("no score"))).toEqual([]);
    expect(fires([r], agentMsg({ sentiment: -0.9 }))).toEqual([]);
  });

  it("risk above X: strictly above, with the reason", () => {
    const r = rule({ type: "risk_above", threshold: 0.7 });
    expect(fires([r], userMsg("x", { risk: { score: 0.71, reason: "legal threat" } }))[0]?.why).toBe(
      "risk 71% is above 70%: legal threat",
    );
    expect(fires([r], userMsg("x", { risk: { score: 0.7, reason: "edge" } }))).toEqual([]);
    expect(fires([r], userMsg("x", { risk: { score: 0.1, reason: "calm" } }))).toEqual([]);
  });

  it("reply latency above N ms: agent replies only, strictly above", () => {
    const r = rule({ type: "latency_above", ms: 3000 });
    expect(fires([r], agentMsg({ latency_ms: 3001 }))[0]?.why).toBe("reply took 3001 ms (over 3000 ms)");
    expect(fires([r], agentMsg({ latency_ms: 3000 }))).toEqual([]);
    expect(fires([r], agentMsg({}))).toEqual([]);
    expect(fires([r], userMsg("hi", { latency_ms: 9000 }))).toEqual([]);
  });

  it("session cost above $X: from session totals, once per session", () => {
    const r = rule({ type: "cost_above", usd: 1 });
    const ev = createEvaluator([r]);
    const totals = (cost_usd: number) => ({ cost_usd, input_tokens: 1, output_tokens: 1, replies: 1 });
    const upd = (cost: number) => makeEvent("session_updated", { totals: totals(cost) }, ++seq) as EventFrame;
    expect(ev.evaluate(upd(1))).toBeNull();
    expect(ev.evaluate(upd(0.5))).toBeNull();
    expect(ev.evaluate(upd(1.2))?.[0]?.why).toBe("session cost $1.20 is above $1.00");
    expect(ev.evaluate(upd(2))).toBeNull();
    // A session that starts over the threshold.
    const started = makeEvent("session_started", makeSession({ id: "ses_rich", totals: totals(3) }), ++seq, {
      session_id: "ses_rich",
    }) as EventFrame;
    expect(createEvaluator([r]).evaluate(started)?.[0]?.session_id).toBe("ses_rich");
    expect(
      createEvaluator([r]).evaluate(agentMsg({ usage: { input_tokens: 1, output_tokens: 1, cost_usd: 9 } })),
    ).toBeNull();
  });

  it("error events fire, each once, with or without a session", () => {
    const r = rule({ type: "error" });
    const ev = createEvaluator([r]);
    const err = makeEvent(
      "error_occurred",
      { code: "TOOL_TIMEOUT", message: "order lookup timed out", severity: "warning" },
      ++seq,
    ) as EventFrame;
    expect(ev.evaluate(err)?.[0]?.why).toBe("warning TOOL_TIMEOUT: order lookup timed out");
    expect(ev.evaluate(err)).toBeNull();
    const global = makeEvent("error_occurred", { code: "X", message: "y", severity: "critical" }, ++seq, {
      session_id: null,
    }) as EventFrame;
    expect(ev.evaluate(global)?.[0]?.session_id).toBeNull();
    expect(fires([r], userMsg("error error"))).toEqual([]);
  });
});

describe("the largest rule set allowed", () => {
  it("200 rules × 50 phrases compile (in several expressions) and still match exactly", () => {
    const rules = Array.from({ length: 200 }, (_, i) =>
      rule(
        { type: "keyword", phrases: Array.from({ length: 50 }, (_, j) => `alpha${i} beta${j} gamma`) },
        { id: `big${i}` },
      ),
    );
    const ev = createEvaluator(rules);
    expect(ev.evaluate(userMsg("say ALPHA123   beta7 gamma now"))?.map((f) => f.rule_id)).toEqual(["big123"]);
    expect(ev.evaluate(userMsg("alpha123 beta7 gammas"))).toBeNull();
    expect(
      ev
        .evaluate(userMsg("alpha1 beta49 gamma and alpha199 beta0 gamma"))
        ?.map((f) => f.rule_id)
        .sort(),
    ).toEqual(["big1", "big199"]);
  });
});

describe("several thresholds of one kind", () => {
  it("each fires exactly when its own threshold holds, whatever the order they were given in", () => {
    const at = (type: "sentiment_below" | "risk_above", threshold: number) =>
      rule({ type, threshold }, { id: `${type}_${threshold}`, name: `${type} ${threshold}` });
    const sent = [at("sentiment_below", -0.8), at("sentiment_below", -0.2), at("sentiment_below", -0.5)];
    const risks = [at("risk_above", 0.9), at("risk_above", 0.3), at("risk_above", 0.6)];
    const got = fires(
      [...sent, ...risks],
      userMsg("x", { sentiment: -0.6, risk: { score: 0.7, reason: "r" } }),
    );
    expect(got.map((f) => f.rule_id).sort()).toEqual([
      "risk_above_0.3",
      "risk_above_0.6",
      "sentiment_below_-0.2",
      "sentiment_below_-0.5",
    ]);
    const lat = [3000, 1000, 2000].map((ms) => rule({ type: "latency_above", ms }, { id: `l${ms}` }));
    expect(
      fires(lat, agentMsg({ latency_ms: 2500 }))
        .map((f) => f.rule_id)
        .sort(),
    ).toEqual(["l1000", "l2000"]);
  });
});

describe("rule set", () => {
  it("disabled rules never fire; the others still do", () => {
    const off = rule({ type: "keyword", phrases: ["lawyer"] }, { id: "off", enabled: false });
    const on = rule({ type: "sentiment_below", threshold: 0 }, { id: "on" });
    const got = fires([off, on], userMsg("lawyer", { sentiment: -0.2 }));
    expect(got.map((f) => f.rule_id)).toEqual(["on"]);
    expect(createEvaluator([off]).ruleCount).toBe(0);
  });

  it("events no rule cares about return null", () => {
    const ev = createEvaluator([rule({ type: "keyword", phrases: ["lawyer"] })]);
    expect(ev.evaluate(makeEvent("agent_thinking", { message_id: "m" }) as EventFrame)).toBeNull();
    expect(ev.evaluate(userMsg("hello"))).toBeNull();
    expect(createEvaluator([]).evaluate(userMsg("lawyer"))).toBeNull();
  });

  it("carries the rule's actions and repeat flag", () => {
    const r = rule(
      { type: "keyword", phrases: ["fire"] },
      { actions: ["sound", "badge"], repeat_until_ack: true },
    );
    expect(fires([r], userMsg("fire!"))[0]).toMatchObject({
      actions: ["sound", "badge"],
      repeat_until_ack: true,
    });
  });
});

describe("rule validation", () => {
  it("accepts a valid rule and normalizes it", () => {
    const d = decodeRule({
      id: "r1",
      name: "  Lawyer  ",
      enabled: true,
      condition: { type: "keyword", phrases: ["  cancel   my account "] },
      actions: ["sound", "toast", "badge"],
    });
    expect(d.ok && d.rule).toMatchObject({
      name: "Lawyer",
      condition: { phrases: ["cancel my account"] },
      actions: ["badge", "toast", "sound"],
    });
  });

  it("names each bad field with a clear message", () => {
    const errors = ruleErrors({
      id: "r1",
      name: " ",
      enabled: true,
      condition: { type: "sentiment_below", threshold: 2 },
      actions: [],
    });
    expect(errors).toEqual({
      name: "the rule needs a name",
      "condition.threshold": "sentiment is at most 1",
      actions: "choose at least one action",
    });
    expect(
      ruleErrors({
        id: "r",
        name: "n",
        enabled: true,
        condition: { type: "keyword", phrases: [""] },
        actions: ["toast"],
      }),
    ).toEqual({
      "condition.phrases": "a phrase must not be empty",
    });
    const bad = decodeRule({
      id: "r",
      name: "n",
      enabled: true,
      condition: { type: "nope" },
      actions: ["toast"],
    });
    expect(bad).toMatchObject({ ok: false, path: "condition.type" });
    expect(
      decodeRule({ id: "r", name: "n", enabled: true, condition: { type: "error" }, actions: ["siren"] }),
    ).toMatchObject({ ok: false, message: "unknown action" });
  });
});
