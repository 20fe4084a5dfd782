/**
 * Alert-rule benchmark: the worker's ingest path in Node — decode each frame
 * (JSON + protocol schema), sequence it, apply it to the stores, evaluate the
 * alert rules — over the same recorded stream with no rules and with 50
 * active rules (35 keyword rules of two phrases each, and sentiment, risk,
 * latency, cost and error rules). Runs alternate; each is timed in CPU time of
 * this process (user + system, all threads: GC included), so other work on
 * the shared machine does not count; the fastest and the median run are
 * compared.
 * Figures, not assertions; the target is issue 11's: within 10 %.
 *
 *   npx tsx scripts/bench-alerts.ts          # a table
 *   npx tsx scripts/bench-alerts.ts --json   # one JSON object (for scripts/bench.mjs)
 */
import { loadavg } from "node:os";
import { createAlertEngine } from "../utils/alerts/alert-engine.ts";
import type { Rule } from "../utils/alerts/rule-schema.ts";
import { createMemoryStorage } from "../utils/platform/kv-storage.ts";
import { decodeServerFrames, type SingleServerFrame } from "../utils/protocol/index.ts";
import { createChangeSet } from "../utils/store/change-set.ts";
import { createCounters } from "../utils/store/counters.ts";
import { createStreamSync } from "../utils/worker/stream-sync.ts";

const args = process.argv.slice(2);
const JSON_OUT = args.includes("--json");
const num = (name: string, d: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const RUNS = num("runs", 11);
const SESSIONS = num("sessions", 500);
const EVENTS = num("events", 100_000);

let seed = 7;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const WORDS = (
  "my order refund delivery parcel invoice account password login payment card address late broken " +
  "thanks hello please help subscription upgrade plan price discount coupon shipping tracking where is " +
  "the it has not arrived yet can you check why was I charged twice this week"
).split(" ");
const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");

/** 50 active rules of every condition type. */
export function fiftyRules(): Rule[] {
  const LEXICON = [
    "lawyer",
    "attorney",
    "sue you",
    "legal action",
    "cancel my account",
    "close my account",
    "chargeback",
    "fraud",
    "scam",
    "ombudsman",
    "regulator",
    "complaint",
    "terrible service",
    "worst company",
    "never again",
    "speak to a human",
    "real person",
    "manager",
    "supervisor please",
    "unacceptable",
    "disgusting",
    "furious",
    "threaten",
    "police",
    "court",
    "small claims",
    "press",
    "journalist",
    "social media",
    "trustpilot",
    "bbb",
    "data breach",
    "gdpr",
    "delete my data",
    "stolen",
    "hacked",
    "identity theft",
    "self harm",
    "suicide",
    "emergency",
    "ambulance",
    "refund immediately",
    "money back",
    "dispute",
    "bank reversal",
    "pay nothing",
    "boycott",
    "competitor",
    "switching provider",
    "cancel everything",
    "final warning",
    "last chance",
    "report you",
    "consumer rights",
    "class action",
    "defamation",
    "harassment",
    "discrimination",
    "accessibility",
    "wheelchair",
    "hearing impaired",
    "blind",
    "vulnerable",
    "elderly",
    "bereavement",
    "deceased",
    "funeral",
    "hospital",
    "pregnant",
    "baby",
  ];
  const rules: Rule[] = [];
  for (let i = 0; i < 35; i++)
    rules.push({
      id: `kw_${i}`,
      name: `Keyword ${i}`,
      enabled: true,
      condition: { type: "keyword", phrases: [LEXICON[2 * i] ?? "x", LEXICON[2 * i + 1] ?? "y"] },
      actions: ["toast", "highlight"],
    });
  for (let i = 0; i < 5; i++)
    rules.push({
      id: `se_${i}`,
      name: `Sentiment ${i}`,
      enabled: true,
      condition: { type: "sentiment_below", threshold: -0.99 + i * 0.002 },
      actions: ["toast"],
    });
  for (let i = 0; i < 4; i++)
    rules.push({
      id: `ri_${i}`,
      name: `Risk ${i}`,
      enabled: true,
      condition: { type: "risk_above", threshold: 0.985 + i * 0.003 },
      actions: ["badge"],
    });
  for (let i = 0; i < 3; i++)
    rules.push({
      id: `la_${i}`,
      name: `Latency ${i}`,
      enabled: true,
      condition: { type: "latency_above", ms: 9200 + i * 40 },
      actions: ["toast"],
    });
  for (let i = 0; i < 2; i++)
    rules.push({
      id: `co_${i}`,
      name: `Cost ${i}`,
      enabled: true,
      condition: { type: "cost_above", usd: 5 + i },
      actions: ["badge"],
    });
  rules.push({ id: "er_0", name: "Errors", enabled: true, condition: { type: "error" }, actions: ["toast"] });
  return rules;
}

/** A recorded stream: sessions start, users write (0.5 % say "lawyer"), agents reply with latency and usage. */
export function recordStreamForTest(): string[] {
  return recordStream();
}

function recordStream(): string[] {
  const out: string[] = [];
  const ts = "2026-06-24T16:30:00.000Z";
  let seq = 0;
  const ev = (kind: string, session_id: string | null, data: unknown) =>
    JSON.stringify({
      type: "event",
      epoch: "e_bench",
      seq: ++seq,
      event_id: `evt_${seq}`,
      ts,
      kind,
      session_id,
      data,
    });
  const cost = new Map<string, number>();
  for (let i = 0; i < SESSIONS; i++)
    out.push(
      ev("session_started", `ses_${i}`, {
        id: `ses_${i}`,
        agent: { id: "agt_support", name: "Support Bot", color: "#2563eb" },
        channel: "web",
        user: { id: `usr_${i}`, name: `User ${i}` },
        priority: "normal",
        status: "active",
        started_at: ts,
        last_activity_at: ts,
        preview: "",
        message_count: 0,
      }),
    );
  let m = 0;
  while (out.length < EVENTS) {
    const sid = `ses_${Math.floor(rand() * SESSIONS)}`;
    const words = sentence(6 + Math.floor(rand() * 14));
    const text = rand() < 0.005 ? `${words} I will call my lawyer` : words;
    out.push(
      ev("message_received", sid, {
        id: `msg_${++m}`,
        role: "user",
        format: "text",
        text,
        ts,
        // Skewed like real traffic: most users calm, a few angry or risky.
        sentiment: Math.round((1 - 2 * rand() ** 3) * 100) / 100,
        risk: { score: Math.round(rand() ** 4 * 100) / 100, reason: "model estimate" },
      }),
    );
    out.push(ev("agent_thinking", sid, { message_id: `msg_${++m}` }));
    const usd = rand() * 0.01;
    const total = (cost.get(sid) ?? 0) + usd;
    cost.set(sid, total);
    out.push(
      ev("message_sent", sid, {
        id: `msg_${m}`,
        role: "agent",
        format: "markdown",
        text: sentence(20),
        ts,
        latency_ms: Math.floor(300 + rand() ** 2 * 9000),
        usage: { input_tokens: 400, output_tokens: 80, cost_usd: usd },
      }),
    );
    out.push(
      ev("session_updated", sid, {
        preview: text.slice(0, 80),
        totals: { cost_usd: total, input_tokens: 400, output_tokens: 80, replies: 1 },
      }),
    );
    if (rand() < 0.01)
      out.push(
        ev("error_occurred", sid, {
          code: "TOOL_TIMEOUT",
          message: "order lookup timed out",
          severity: "warning",
        }),
      );
  }
  return out;
}

type Frame = SingleServerFrame;

function pipeline(rules: Rule[]) {
  const changes = createChangeSet();
  const counters = createCounters();
  const link = { requestSnapshot() {}, requestReplay() {}, fetchSession: async () => ({ messages: [] }) };
  let alerts: ReturnType<typeof createAlertEngine> | null = null;
  const sync = createStreamSync({
    changes,
    counters,
    link,
    onEvent: (e) => alerts?.event(e),
  });
  alerts = createAlertEngine({
    storage: createMemoryStorage(),
    changes,
    notify: () => undefined,
  });
  if (rules.length > 0) alerts.message({ type: "alert_rules", user_id: "usr_bench", rules });
  sync.frame({
    type: "snapshot",
    epoch: "e_bench",
    seq: 0,
    sessions: [],
    agents: [],
    metrics: { active_sessions: 0, started_last_hour: 0, avg_response_ms: 0, intervention_rate: 0 },
  } as unknown as Frame);
  return { sync, changes, alerts };
}

/** Events per second through decode + apply + rules; `decoded` skips the decode (apply + rules only). */
export function run(
  stream: string[],
  decoded: Frame[] | null,
  rules: Rule[],
): { eps: number; fired: number } {
  const p = pipeline(rules);
  // CPU time of this process, not wall time: the machine is shared, and waiting for a core is not ingest work.
  const t = process.cpuUsage();
  if (decoded) {
    for (let i = 0; i < decoded.length; i++) {
      p.sync.frame(decoded[i] as Frame);
      if ((i & 1023) === 0) p.changes.take();
    }
  } else {
    for (let i = 0; i < stream.length; i++) {
      for (const d of decodeServerFrames(stream[i])) if (d.ok) p.sync.frame(d.value);
      if ((i & 1023) === 0) p.changes.take();
    }
  }
  const used = process.cpuUsage(t);
  const ms = (used.user + used.system) / 1000;
  return { eps: (stream.length / ms) * 1000, fired: p.alerts.fired };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

const MAIN = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("bench-alerts.ts");
if (MAIN) main();

interface Figure {
  /** Events per second, fastest run (the least disturbed: the machine is shared). */
  none_best_eps: number;
  fifty_best_eps: number;
  /** Slower with 50 rules, in %, fastest runs compared (negative: faster). */
  diff_best_pct: number;
  none_median_eps: number;
  fifty_median_eps: number;
  diff_median_pct: number;
  fired: number;
}

function main(): void {
  const stream = recordStream();
  const decoded = stream.flatMap((s) => decodeServerFrames(s).flatMap((d) => (d.ok ? [d.value] : [])));
  const rules = fiftyRules();
  const results: Record<string, Figure> = {};
  const pct = (a: number, b: number) => ((a - b) / a) * 100;
  for (const [label, pre] of [
    ["ingest (decode + apply + rules)", null],
    ["apply + rules (pre-decoded)", decoded],
  ] as const) {
    // Warm up both paths, then alternate which goes first, so drift and interference hit both alike.
    run(stream, pre, []);
    run(stream, pre, rules);
    const none: number[] = [];
    const fifty: number[] = [];
    let fired = 0;
    for (let r = 0; r < RUNS; r++) {
      const order = r % 2 === 0 ? [false, true] : [true, false];
      for (const withRules of order) {
        const f = run(stream, pre, withRules ? rules : []);
        if (withRules) {
          fifty.push(f.eps);
          fired = f.fired;
        } else none.push(f.eps);
      }
    }
    const best = (xs: number[]) => Math.max(...xs);
    results[label] = {
      none_best_eps: best(none),
      fifty_best_eps: best(fifty),
      diff_best_pct: pct(best(none), best(fifty)),
      none_median_eps: median(none),
      fifty_median_eps: median(fifty),
      diff_median_pct: pct(median(none), median(fifty)),
      fired,
    };
  }

  if (JSON_OUT) {
    console.log(
      JSON.stringify({
        config: { runs: RUNS, sessions: SESSIONS, events: stream.length, rules: rules.length },
        results,
      }),
    );
    return;
  }
  const k = (x: number) => `${Math.round(x / 1000).toLocaleString("en")}k ev/s`;
  const d = (x: number) => `${x >= 0 ? "−" : "+"}${Math.abs(x).toFixed(1)} %`;
  console.log(
    `Alert rules benchmark — ${stream.length} events, ${SESSIONS} sessions, ${rules.length} rules, ${RUNS} runs each, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  for (const [label, r] of Object.entries(results))
    console.log(
      `${label.padEnd(32)} | no rules ${k(r.none_best_eps)} | 50 rules ${k(r.fifty_best_eps)} | ${d(r.diff_best_pct)} (median ${d(r.diff_median_pct)}) | ${r.fired} firings | target within 10 %: ${r.diff_best_pct <= 10 ? "meets" : "misses"}`,
    );
}
