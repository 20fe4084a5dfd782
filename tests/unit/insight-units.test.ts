/**
 * The pure parts of AI insight: the waiting timer's colour over time, the
 * thresholds read from (and following) the settings, the formats, the
 * simulated agent's step plan and scores, the totals and the metrics.
 */
import { describe, expect, it } from "vitest";
import { createMetricsTracker } from "../../gateway/org/metrics";
import { createRng } from "../../gateway/sim/rng";
import { createTotals, scoreUserText, usageFor } from "../../gateway/sim/sim-signals";
import { planSteps, REFUND_LIMIT_EUR } from "../../gateway/sim/sim-steps";
import { percentile } from "../../gateway/stats";
import { formatCost, formatElapsed, formatSentiment, formatTokens, riskLevel } from "../../utils/format";
import { followHandoffThresholds, thresholdsFromSettings, waitTimer } from "../../utils/panel";
import type { EventFrame } from "../../utils/protocol";
import { SETTINGS_KEY } from "../../utils/settings";
import { makeEvent, makeMessage } from "../fixtures/frames";

const T0 = Date.parse("2026-06-24T16:30:00.000Z");

describe("hand-off waiting timer", () => {
  it("counts up and turns amber, then red, as a fake clock passes the thresholds", () => {
    const th = { amberMs: 60_000, redMs: 180_000 };
    const at = new Date(T0).toISOString();
    const seen: string[] = [];
    for (let t = T0; t <= T0 + 240_000; t += 30_000) {
      const w = waitTimer(at, t, th);
      seen.push(`${w.text} ${w.level}`);
    }
    expect(seen).toEqual([
      "waiting 0:00 waiting",
      "waiting 0:30 waiting",
      "waiting 1:00 amber",
      "waiting 1:30 amber",
      "waiting 2:00 amber",
      "waiting 2:30 amber",
      "waiting 3:00 red",
      "waiting 3:30 red",
      "waiting 4:00 red",
    ]);
    // A red threshold below the amber one never makes it skip amber's meaning: red from amber on.
    expect(waitTimer(at, T0 + 70_000, { amberMs: 60_000, redMs: 30_000 }).level).toBe("red");
    // A clock behind the request (skew) shows 0:00, not a negative time.
    expect(waitTimer(at, T0 - 5000, th).text).toBe("waiting 0:00");
  });

  it("takes its thresholds from the settings and follows their changes", async () => {
    expect(thresholdsFromSettings({ handoffAmberSec: 30, handoffRedSec: 90 })).toEqual({
      amberMs: 30_000,
      redMs: 90_000,
    });
    const listeners = new Set<(c: Record<string, { newValue?: unknown }>, area: string) => void>();
    const applied: unknown[] = [];
    const undo = followHandoffThresholds(
      {
        get: async () => ({ [SETTINGS_KEY]: { gatewayUrl: "http://x:1", token: "t", handoffAmberSec: 10 } }),
      },
      { addListener: (fn) => listeners.add(fn), removeListener: (fn) => listeners.delete(fn) },
      (t) => applied.push(t),
    );
    await Promise.resolve();
    await Promise.resolve();
    expect(applied).toEqual([{ amberMs: 10_000, redMs: 180_000 }]);
    for (const fn of listeners)
      fn(
        { [SETTINGS_KEY]: { newValue: { gatewayUrl: "http://x:1", token: "t", handoffRedSec: 600 } } },
        "local",
      );
    expect(applied.at(-1)).toEqual({ amberMs: 60_000, redMs: 600_000 });
    undo();
    expect(listeners.size).toBe(0);
  });

  it("formats", () => {
    expect(formatElapsed(83_000)).toBe("1:23");
    expect(formatElapsed(3_723_000)).toBe("1:02:03");
    expect(formatCost(0.0045)).toBe("$0.0045");
    expect(formatCost(12.3)).toBe("$12.30");
    expect(formatTokens(1234)).toBe("1.2k");
    expect(formatSentiment(-0.6)).toBe("−0.60");
    expect(formatSentiment(0.4)).toBe("+0.40");
    expect([0.1, 0.5, 0.9].map(riskLevel)).toEqual(["low", "medium", "high"]);
  });
});

describe("the simulated agent", () => {
  const rng = () => createRng(1);

  it("plans steps from the user's words: an order look-up, a search, a refund, reasoning", () => {
    const small = planSteps({
      userText: "Refund €40 for order #12345 please",
      tags: [],
      rng: rng(),
      chance: false,
    });
    expect(small.steps.map((s) => s.name)).toEqual([
      "lookup_order",
      "kb_search",
      "issue_refund",
      "plan_reply",
    ]);
    expect(small.steps[2]?.output).toMatchObject({ amount_eur: 40, status: "issued" });
    expect(small.handoff).toBeNull();
    const big = planSteps({
      userText: `I want a refund of €${REFUND_LIMIT_EUR + 1}`,
      tags: [],
      rng: rng(),
      chance: false,
    });
    const refund = big.steps.find((s) => s.name === "issue_refund");
    expect(refund?.error).toMatch(/above the agent's limit/);
    expect(big.handoff).toBe(
      `Refund of €${REFUND_LIMIT_EUR + 1} is above the agent's €${REFUND_LIMIT_EUR} limit`,
    );
    expect(
      planSteps({ userText: "Can I talk to a human?", tags: [], rng: rng(), chance: false }).handoff,
    ).toBe("The user asked to speak to a human");
  });

  it("fails the refund tool now and then in automatic traffic, and decides the same for a seed", () => {
    const outcomes = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 200 }, () =>
        planSteps({ userText: "refund €50", tags: ["orders"], rng: r, chance: true }).steps.find(
          (s) => s.name === "issue_refund",
        )?.error
          ? "error"
          : "ok",
      );
    };
    const a = outcomes(7);
    expect(a).toEqual(outcomes(7));
    const errors = a.filter((x) => x === "error").length;
    expect(errors).toBeGreaterThan(20);
    expect(errors).toBeLessThan(90);
  });

  it("scores sentiment and risk from the words", () => {
    expect(scoreUserText("Thanks, that helps.", rng(), 0)).toEqual({
      sentiment: 0.7,
      risk: { score: 0.05, reason: "Routine" },
    });
    const legal = scoreUserText("This is terrible, I'm calling my lawyer!", rng(), 0);
    expect(legal.sentiment).toBeLessThan(-0.3);
    expect(legal.risk).toEqual({ score: 0.95, reason: "Legal threat" });
  });

  it("adds up totals with average and p95 latency; usage costs follow the prices", () => {
    const u = usageFor(100, 4, 2, rng());
    expect(u.output_tokens).toBe(130 + 50);
    expect(u.cost_usd).toBeCloseTo((u.input_tokens * 0.003 + u.output_tokens * 0.015) / 1000, 6);
    const totals = createTotals();
    totals.add(u, 1000);
    const t = totals.add(u, 3000);
    expect(t).toMatchObject({ replies: 2, avg_latency_ms: 2000, p95_latency_ms: 3000 });
    expect(t.cost_usd).toBeCloseTo(u.cost_usd * 2, 6);
    expect(percentile([5, 1, 4, 2, 3], 0.95)).toBe(5);
    expect(percentile([], 0.95)).toBe(0);
  });

  it("metrics: spend over the last hour and the p95 of recent replies", () => {
    const m = createMetricsTracker();
    const reply = (latency: number, cost: number) =>
      makeEvent(
        "message_sent",
        makeMessage({
          role: "agent",
          latency_ms: latency,
          usage: { input_tokens: 1, output_tokens: 1, cost_usd: cost },
        }),
      ) as EventFrame;
    for (let i = 1; i <= 100; i++) m.observe(reply(i * 10, 0.01), T0);
    const v = m.value(3, T0);
    expect(v.p95_response_ms).toBe(950);
    expect(v.cost_per_hour_usd).toBeCloseTo(1, 6);
    // An hour later, that spend has left the window.
    m.observe(reply(100, 0.5), T0 + 3_600_001);
    expect(m.value(3, T0 + 3_600_001).cost_per_hour_usd).toBeCloseTo(0.5, 6);
  });
});

describe("settings", () => {
  it("a change of the hand-off thresholds alone does not restart the worker; anything else does", async () => {
    const { parseSettings, workerSettingsDiffer } = await import("../../utils/settings");
    const base = parseSettings({ gatewayUrl: "http://gw:1", token: "t" });
    expect(workerSettingsDiffer(base, { ...base, handoffAmberSec: 5, handoffRedSec: 9 })).toBe(false);
    expect(workerSettingsDiffer(base, { ...base, token: "u" })).toBe(true);
    expect(workerSettingsDiffer(base, { ...base, notify: { ...base.notify, handoffRequest: false } })).toBe(
      true,
    );
  });
});

describe("in-panel toast", () => {
  it("a new hand-off request gets a toast with the reason; one already known does not", async () => {
    const { toastForUpsert } = await import("../../utils/attention/session-toasts");
    const { makeSession } = await import("../fixtures/frames");
    const before = makeSession() as never;
    const after = makeSession({
      handoff: { reason: "The user asked to speak to a human", requested_at: "2026-06-24T16:30:00.000Z" },
    }) as never;
    expect(toastForUpsert(before, after)).toMatchObject({
      title: "The AI asks for a human",
      body: "Alex Kim: The user asked to speak to a human",
      session_id: "ses_abc123xyz",
    });
    expect(toastForUpsert(after, after)).toBeNull();
  });
});
