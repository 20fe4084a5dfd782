/**
 * Filter benchmark: the worker's view query (`utils/query/`: query service,
 * view engine, keyword index) over 10,000 and 100,000 sessions, as a panel's
 * view is answered — a filter spec change, a new keyword, each keystroke of a
 * keyword, the 1 s clock tick under a duration filter, a changed session and
 * a new message while a filter is on, and a scroll (range move). Each figure
 * is the worker's CPU work up to the window a panel receives (one screen plus
 * overscan), in Node: wall-clock median / p95 / max, and the median CPU time
 * (steadier on a shared machine; the load average is printed beside them).
 * Figures, not assertions.
 *
 *   npx tsx scripts/bench-filters.ts                    # tables, 10,000 and 100,000 sessions
 *   npx tsx scripts/bench-filters.ts --sessions 100000  # one size
 *   npx tsx scripts/bench-filters.ts --json             # one JSON object (for scripts/bench.mjs):
 *                                                       # `results` is the first size, `sizes` every size
 */
import { loadavg } from "node:os";
import { EMPTY_FILTER, type FilterSpec } from "../utils/filters/index.ts";
import { CHANNELS, PRIORITIES, type Session } from "../utils/protocol/index.ts";
import { createQueryService, type ViewSpec, type ViewWindow } from "../utils/query/index.ts";

const MESSAGES_PER_SESSION = 5;
/** The rows a panel asks for: a screen of cards plus overscan. */
const RANGE = 60;
const NOW = Date.parse("2026-06-24T16:30:00.000Z");
const WORDS = (
  "order refund delivery parcel invoice account password login payment card address late broken " +
  "thanks hello please help cancel subscription upgrade plan price discount coupon shipping tracking"
).split(" ");
const STATUSES = ["active", "thinking", "streaming", "paused", "error"] as const;

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const sizes = arg("--sessions") ? [Number(arg("--sessions"))] : [10_000, 100_000];
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error("--sessions takes a positive whole number");
  process.exit(2);
}

let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");

function makeSession(i: number): Session {
  const agent = i % 25;
  return {
    id: `ses_${i}`,
    agent: { id: `agt_${agent}`, name: `Agent ${agent}`, color: "#2563eb" },
    channel: pick(CHANNELS),
    user: { id: `usr_${i}` },
    priority: pick(PRIORITIES),
    status: pick(STATUSES),
    started_at: new Date(NOW - Math.floor(rand() * 60 * 60_000)).toISOString(),
    last_activity_at: new Date(NOW - Math.floor(rand() * 10 * 60_000)).toISOString(),
    preview: sentence(8).slice(0, 80),
    message_count: MESSAGES_PER_SESSION,
  };
}

/** Wall-clock and CPU time (this process, every thread) of one operation, ms. */
interface Sample {
  wall: number;
  cpu: number;
}

interface Figure {
  /** Median CPU time: what the operation costs when the shared machine is busy. */
  cpu: number;
  median: number;
  p95: number;
  max: number;
  runs: number;
  matched?: number;
}

function stats(samples: Sample[], matched?: number): Figure {
  const s = samples.map((x) => x.wall).sort((a, b) => a - b);
  const cpu = samples.map((x) => x.cpu).sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return {
    cpu: cpu[Math.floor(cpu.length / 2)] ?? 0,
    median: q(0.5),
    p95: q(0.95),
    max: s.at(-1) ?? 0,
    runs: s.length,
    ...(matched === undefined ? {} : { matched }),
  };
}

function time(fn: () => void): Sample {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const wall = performance.now() - t;
  const used = process.cpuUsage(c);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

const COMBOS: FilterSpec[] = [
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

function measure(n: number) {
  const sessions = new Map<string, Session>();
  let now = NOW;
  const query = createQueryService({ sessions, clock: () => now });
  for (let i = 0; i < n; i++) {
    const s = makeSession(i);
    sessions.set(s.id, s);
  }
  const messages = Array.from(sessions.keys()).flatMap((session_id) =>
    Array.from({ length: MESSAGES_PER_SESSION }, (_, m) => ({ session_id, id: `m${m}`, text: sentence(10) })),
  );
  const tBuild = time(() => query.apply({ sessions: sessions.keys(), removed: [], messages }));
  const base: ViewSpec = {
    seq: 0,
    filter: EMPTY_FILTER,
    sort: "recent",
    grouping: "unified",
    range: { start: 0, end: RANGE },
  };
  const view = query.view(base);
  let last: ViewWindow = view.window();
  /** The view answered as it is now. */
  const answer = () => {
    last = view.window();
  };
  /** A new spec from the panel, answered: what the worker does before it posts the rows. */
  const ask = (filter: FilterSpec, range = base.range) => {
    view.setSpec({ ...view.spec, seq: view.spec.seq + 1, filter, range });
    last = view.window();
  };
  const results: Record<string, Figure> = {};
  /** Fewer repetitions of the O(n) figures past 20,000 sessions (at least 8): the run stays in minutes. */
  const reps = (r: number) => Math.max(8, Math.round(r * Math.min(1, 20_000 / n)));
  const searchReset = () => void query.keywordIndex.search("zzz-reset");

  // 1. A filter combination (no keyword).
  {
    const samples: Sample[] = [];
    for (let r = 0; r < reps(200); r++)
      samples.push(time(() => ask(COMBOS[r % COMBOS.length] as FilterSpec)));
    results["apply combination (no keyword)"] = stats(samples, last.count);
  }

  // 2. A combination with a keyword not searched just before (a full index scan).
  {
    const samples: Sample[] = [];
    for (let r = 0; r < reps(60); r++) {
      const word = WORDS[r % WORDS.length] as string;
      const filter = {
        ...(COMBOS[r % COMBOS.length] as FilterSpec),
        keyword: r % 2 ? word : `${word} ${pick(WORDS)}`,
      };
      ask(EMPTY_FILTER);
      searchReset();
      samples.push(time(() => ask(filter)));
    }
    results["apply combination + new keyword"] = stats(samples, last.count);
  }

  // 3. Typing a keyword letter by letter (each keystroke a new spec).
  {
    const samples: Sample[] = [];
    for (let r = 0; r < reps(40); r++) {
      ask(EMPTY_FILTER);
      searchReset();
      const word = WORDS[r % WORDS.length] as string;
      for (let k = 1; k <= word.length; k++)
        samples.push(time(() => ask({ ...EMPTY_FILTER, keyword: word.slice(0, k) })));
    }
    results["keystroke (typing a keyword)"] = stats(samples);
  }

  // 3b. The index search alone (a keyword not searched just before).
  {
    const samples: Sample[] = [];
    for (let r = 0; r < 100; r++) {
      searchReset();
      const word = WORDS[r % WORDS.length] as string;
      samples.push(time(() => void query.keywordIndex.search(r % 3 ? word : `${word}x`)));
    }
    results["keyword index search alone"] = stats(samples);
  }

  // 4. The hub's 1 s tick under a duration filter: every session judged again, the view answered.
  {
    ask(COMBOS[2] as FilterSpec);
    const samples: Sample[] = [];
    for (let r = 0; r < reps(200); r++) {
      now += 1000;
      samples.push(time(answer));
    }
    results["clock tick, duration filter"] = stats(samples, last.count);
  }

  // 5. A session changes while a filter is on: the query takes it, the view answers.
  {
    ask(COMBOS[3] as FilterSpec);
    const samples: Sample[] = [];
    for (let r = 0; r < reps(500); r++) {
      const id = `ses_${Math.floor(rand() * n)}`;
      const s = sessions.get(id) as Session;
      sessions.set(id, {
        ...s,
        priority: pick(PRIORITIES),
        status: pick(STATUSES),
        last_activity_at: new Date(now).toISOString(),
      });
      samples.push(
        time(() => {
          query.apply({ sessions: [id], removed: [] });
          answer();
        }),
      );
    }
    results["changed session, filter on"] = stats(samples, last.count);
  }

  // 6. A new message while a keyword filter is on: index update, then the view answered.
  {
    ask({ ...EMPTY_FILTER, keyword: "refund", priorities: ["urgent", "high"] });
    const update: Sample[] = [];
    const answered: Sample[] = [];
    for (let r = 0; r < reps(500); r++) {
      const session_id = `ses_${Math.floor(rand() * n)}`;
      const m = { session_id, id: `new_${r}`, text: sentence(14) };
      update.push(time(() => query.apply({ sessions: [], removed: [], messages: [m] })));
      answered.push(time(answer));
    }
    results["new message: index update"] = stats(update);
    results["new message: view answer (keyword on)"] = stats(answered, last.count);
  }

  // 7. Scrolling: the range moves, the filter stays.
  {
    const filter = COMBOS[0] as FilterSpec;
    ask(filter);
    const rows = last.rowCount;
    const samples: Sample[] = [];
    for (let r = 0; r < 500; r++) {
      const start = Math.floor(rand() * Math.max(1, rows - RANGE));
      samples.push(time(() => ask(filter, { start, end: start + RANGE })));
    }
    results["range move (scroll), filter on"] = stats(samples, last.count);
  }

  query.close(view);
  return {
    sessions: n,
    index: {
      ...query.keywordIndex.stats(),
      build_ms: Number(tBuild.wall.toFixed(1)),
      build_cpu_ms: Number(tBuild.cpu.toFixed(1)),
    },
    results,
  };
}

const round = (x: number) => Number(x.toFixed(3));
const runs = sizes.map((n) => {
  const r = measure(n);
  return {
    ...r,
    results: Object.fromEntries(
      Object.entries(r.results).map(([k, v]) => [
        k,
        {
          cpu_median_ms: round(v.cpu),
          median_ms: round(v.median),
          p95_ms: round(v.p95),
          max_ms: round(v.max),
          runs: v.runs,
          ...(v.matched === undefined ? {} : { matched: v.matched }),
        },
      ]),
    ),
  };
});
const first = runs[0] as (typeof runs)[number];
const summary = {
  sessions: first.sessions,
  node: process.version,
  load_average: loadavg().map((l) => Number(l.toFixed(2))),
  index: first.index,
  results: first.results,
  sizes: runs,
};

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(summary));
} else {
  console.log(
    `The worker's view query (node ${process.version}, load average ${summary.load_average.join(" ")}); a window of ${RANGE} rows`,
  );
  for (const r of runs) {
    console.log(
      `\n${r.sessions.toLocaleString("en")} sessions — keyword index: ${r.index.messages.toLocaleString("en")} messages, ${r.index.chars.toLocaleString("en")} chars; sessions and messages applied in ${r.index.build_ms.toFixed(0)} ms (CPU ${r.index.build_cpu_ms.toFixed(0)} ms)`,
    );
    console.table(
      Object.fromEntries(
        Object.entries(r.results).map(([k, v]) => [
          k,
          {
            "cpu median ms": v.cpu_median_ms,
            "median ms": v.median_ms,
            "p95 ms": v.p95_ms,
            "max ms": v.max_ms,
            runs: v.runs,
            matched: "matched" in v ? v.matched : "",
          },
        ]),
      ),
    );
  }
}
