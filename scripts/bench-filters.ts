/**
 * Filter benchmark: time to apply filter combinations to 10,000 sessions and
 * to update the keyword index with a new message. Figures, not assertions.
 *
 *   npx tsx scripts/bench-filters.ts          # a table
 *   npx tsx scripts/bench-filters.ts --json   # one JSON object (for scripts/bench.mjs)
 */
import { loadavg } from "node:os";
import { signal } from "@preact/signals";
import {
  createFilterModel,
  createKeywordIndex,
  EMPTY_FILTER,
  type FilterSpec,
} from "../utils/filters/index.ts";
import { CHANNELS, PRIORITIES, type Session } from "../utils/protocol/index.ts";

const SESSIONS = 10_000;
const MESSAGES_PER_SESSION = 5;
const NOW = Date.parse("2026-06-24T16:30:00.000Z");
const WORDS = (
  "order refund delivery parcel invoice account password login payment card address late broken " +
  "thanks hello please help cancel subscription upgrade plan price discount coupon shipping tracking"
).split(" ");
const STATUSES = ["active", "thinking", "streaming", "paused", "error"] as const;

let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");

function makeSessions(): Session[] {
  return Array.from({ length: SESSIONS }, (_, i) => {
    const agent = i % 25;
    return {
      id: `ses_${i}`,
      agent: { id: `agt_${agent}`, name: `Agent ${agent}`, color: "#2563eb" },
      channel: pick(CHANNELS),
      user: { id: `usr_${i}` },
      priority: pick(PRIORITIES),
      status: pick(STATUSES),
      started_at: new Date(NOW - Math.floor(rand() * 60 * 60_000)).toISOString(),
      last_activity_at: new Date(NOW).toISOString(),
      preview: sentence(8).slice(0, 80),
      message_count: MESSAGES_PER_SESSION,
    };
  });
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { median: q(0.5), p95: q(0.95), max: s.at(-1) ?? 0, runs: s.length };
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const sessions = signal<readonly Session[]>(makeSessions());
const now = signal(NOW);
const keywordIndex = createKeywordIndex();
const tBuild = time(() => {
  for (const s of sessions.value) {
    for (let m = 0; m < MESSAGES_PER_SESSION; m++)
      keywordIndex.addMessage(s.id, { id: `m${m}`, text: sentence(10) });
  }
});
const filters = createFilterModel({ sessions, now, keywordIndex });

const combos: FilterSpec[] = [
  { ...EMPTY_FILTER, priorities: ["urgent", "high"] },
  { ...EMPTY_FILTER, channels: ["whatsapp"], statuses: ["active", "error"] },
  {
    ...EMPTY_FILTER,
    agents: ["agt_1", "agt_2", "agt_3"],
    priorities: ["urgent"],
    duration: { op: "longer", minutes: 10 },
  },
  {
    ...EMPTY_FILTER,
    channels: ["web", "whatsapp", "telegram"],
    priorities: ["normal", "high", "urgent"],
    statuses: ["active", "streaming", "thinking"],
    duration: { op: "shorter", minutes: 45 },
  },
];

const results: Record<string, ReturnType<typeof stats> & { matched?: number }> = {};

// 1. Apply a filter combination (no keyword): set the spec and read the result.
{
  const samples: number[] = [];
  for (let r = 0; r < 200; r++) {
    const spec = combos[r % combos.length] as FilterSpec;
    samples.push(time(() => filters.replace(spec)) + time(() => void filters.filtered.value));
  }
  results["apply combination (no keyword)"] = { ...stats(samples), matched: filters.count.value };
}

// 2. Apply a combination that includes a keyword never searched before (full index scan).
{
  const samples: number[] = [];
  for (let r = 0; r < 60; r++) {
    const word = WORDS[r % WORDS.length] as string;
    const spec = {
      ...(combos[r % combos.length] as FilterSpec),
      keyword: r % 2 ? word : `${word} ${pick(WORDS)}`,
    };
    filters.clear();
    keywordIndex.search("zzz-reset");
    samples.push(time(() => filters.replace(spec)) + time(() => void filters.filtered.value));
  }
  results["apply combination + new keyword"] = { ...stats(samples), matched: filters.count.value };
}

// 3. Typing a keyword letter by letter (each keystroke narrows the previous result).
{
  const samples: number[] = [];
  for (let r = 0; r < 40; r++) {
    filters.clear();
    keywordIndex.search("zzz-reset");
    const word = WORDS[r % WORDS.length] as string;
    for (let n = 1; n <= word.length; n++) {
      samples.push(
        time(() => filters.setKeyword(word.slice(0, n))) + time(() => void filters.filtered.value),
      );
    }
  }
  results["keystroke (typing a keyword)"] = stats(samples);
}

// 3b. The index search alone (a keyword not searched just before).
{
  const samples: number[] = [];
  for (let r = 0; r < 100; r++) {
    keywordIndex.search("zzz-reset");
    const word = WORDS[r % WORDS.length] as string;
    samples.push(time(() => void keywordIndex.search(r % 3 ? word : `${word}x`)));
  }
  results["keyword index search alone"] = stats(samples);
}

// 4. The 1 s clock tick with a duration filter (sessions crossing the threshold).
{
  filters.replace(combos[2] as FilterSpec);
  void filters.filtered.value;
  const samples: number[] = [];
  for (let r = 0; r < 200; r++) {
    samples.push(
      time(() => {
        now.value += 1000;
      }) + time(() => void filters.filtered.value),
    );
  }
  results["clock tick, duration filter"] = { ...stats(samples), matched: filters.count.value };
}

// 5. A new message while a keyword filter is active: index update + re-filter.
{
  filters.replace({ ...EMPTY_FILTER, keyword: "refund", priorities: ["urgent", "high"] });
  void filters.filtered.value;
  const update: number[] = [];
  const refilter: number[] = [];
  for (let r = 0; r < 500; r++) {
    const id = `ses_${Math.floor(rand() * SESSIONS)}`;
    update.push(time(() => keywordIndex.addMessage(id, { id: `new_${r}`, text: sentence(14) })));
    refilter.push(time(() => void filters.filtered.value));
  }
  results["new message: index update"] = stats(update);
  results["new message: re-filter (keyword active)"] = { ...stats(refilter), matched: filters.count.value };
}

const index = keywordIndex.stats();
const summary = {
  sessions: SESSIONS,
  node: process.version,
  load_average: loadavg().map((l) => Number(l.toFixed(2))),
  index: { ...index, build_ms: Number(tBuild.toFixed(1)) },
  results: Object.fromEntries(
    Object.entries(results).map(([k, v]) => [
      k,
      {
        median_ms: Number(v.median.toFixed(3)),
        p95_ms: Number(v.p95.toFixed(3)),
        max_ms: Number(v.max.toFixed(3)),
        runs: v.runs,
        ...(v.matched === undefined ? {} : { matched: v.matched }),
      },
    ]),
  ),
};

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(summary));
} else {
  console.log(
    `Filters at ${SESSIONS.toLocaleString("en")} sessions (node ${process.version}, load average ${summary.load_average.join(" ")})`,
  );
  console.log(
    `keyword index: ${index.messages.toLocaleString("en")} messages, ${index.chars.toLocaleString("en")} chars, built in ${tBuild.toFixed(0)} ms`,
  );
  console.table(
    Object.fromEntries(
      Object.entries(summary.results).map(([k, v]) => [
        k,
        { "median ms": v.median_ms, "p95 ms": v.p95_ms, "max ms": v.max_ms, runs: v.runs },
      ]),
    ),
  );
}
