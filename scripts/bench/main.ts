/**
 * `npm run bench` (after the production build): issue 8's figures, measured
 * side by side in one run on this machine, median and spread over `--runs`.
 *
 *   npx tsx scripts/bench/main.ts [--runs 3] [--quick] [--json]
 *
 * Each run: (1) the raw limit, a bare page doing only JSON.parse on the
 * gateway's one-event-per-frame stream; then the real extension in headless
 * Chromium against a load-mode gateway with 10,000 sessions: (2) open time,
 * (3) event-to-paint at 1,000 events/s, (4) frame health while scrolling,
 * (5) token streaming, (6) sustained ingest, (7) resync (replay and snapshot),
 * (8) heap of worker and panel after at least 5 minutes of load, (9) the
 * activity feed open at 1,000 events/s (`--activity-only` runs just this
 * one, against a smaller org: `--sessions 2000 --phase-seconds 10`; `--ui-only` runs just (2), (3) and
 * (5), the figures a panel change moves: open, event-to-paint and markdown token streaming). Filter apply
 * comes from scripts/bench-filters.ts (the worker's view query in Node).
 *
 * Chromium is driven over a bare CDP socket that never enables the Network
 * domain (Playwright's default network monitoring copies every WebSocket frame
 * to the driver and slows a WebSocket page ~2.5×); every time is read from
 * the page's own clock or the worker's own counters.
 */
import { resolve } from "node:path";
import { createGateway, type Gateway } from "../../gateway/gateway.ts";
import type { LoadGenerator } from "../../gateway/load/load.ts";
import { EXTENSION_ID, EXTENSION_ORIGIN } from "../../utils/extension-id.ts";
import { type Bench, launchBench, openPage, waitFor } from "./browser.ts";
import {
  type ActivityFigures,
  activityFeed,
  caughtUp,
  eventToPaint,
  framesWhileScrolling,
  heaps,
  openPanel,
  probeOf,
  resyncAfterDrop,
  stateMatches,
  type TokenFigures,
  tokenStreaming,
  workerStats,
} from "./phases.ts";
import { type RampResult, ramp } from "./ramp.ts";
import { startRawPageServer } from "./raw-page.ts";
import { formatTable, tableRows } from "./report.ts";
import { createGatewayTap, formatHops, type GatewayTap } from "./token-hops.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const num = (name: string, d: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const QUICK = flag("quick");
export const CONFIG = {
  runs: num("runs", QUICK ? 1 : 3),
  sessions: num("sessions", 10_000),
  paintRate: 1000,
  tokenRate: 5000,
  phaseSec: num("phase-seconds", QUICK ? 5 : 20),
  stepSec: num("step-seconds", QUICK ? 4 : 10),
  holdSec: num("hold-seconds", QUICK ? 6 : 30),
  memoryMinutes: num("memory-minutes", QUICK ? 0.5 : 5),
  historyLimit: 50_000,
};
/** Waits that grow with the org (the first snapshot, the first list paint): 60 s, or 5 ms a session. */
const BIG_WAIT_MS = Math.max(60_000, CONFIG.sessions * 5);
const EXT_DIR = resolve(import.meta.dirname, "../../.output/chrome-mv3");
const ORG = "org_bench";
const TOKEN = "lc_bench_supervisor_token";
const users = [
  { token: TOKEN, id: "sup_bench", name: "Bench Supervisor", org_id: ORG, roles: ["supervisor" as const] },
];
const T0 = Date.now();
/** Each line with the time since the start (m:ss), to see which phase takes the time. */
const log = (msg: string) => {
  const s = Math.round((Date.now() - T0) / 1000);
  process.stderr.write(`[${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}] ${msg}\n`);
};
/** Stamps each token delta as it leaves the gateway, while the token phase measures (off otherwise). */
const tokenTap = createGatewayTap();

async function startGateway(extra: {
  batchMs?: number;
  allowOrigins?: string[];
  rate: number;
}): Promise<{ g: Gateway; load: LoadGenerator }> {
  const g = createGateway({
    port: 0,
    host: "127.0.0.1",
    users,
    load: true,
    sessions: CONFIG.sessions,
    rate: extra.rate,
    tokensPerSecond: 0,
    historyLimit: CONFIG.historyLimit,
    allowOrigins: extra.allowOrigins ?? [EXTENSION_ORIGIN],
    logLevel: "silent",
    connectsPerMinute: 1_000_000,
    onWrite: tokenTap.onWrite,
    ...(extra.batchMs !== undefined ? { batchMs: extra.batchMs } : {}),
  });
  await g.listen();
  const load = g.loads.get(ORG);
  if (!load) throw new Error("no load generator");
  return { g, load };
}

export interface RunFigures {
  rawLimit: number;
  /** How the raw-limit ramp went (steps held, resets), in words. */
  rawNote: string;
  sustained: number;
  /** How the sustained-ingest ramp went, in words. */
  sustainedNote: string;
  sustainedCorrect: string;
  openMs: number;
  paint: { p50: number; p95: number; p99: number; painted: number; emitted: number };
  frames: { avgMs: number; p99Ms: number; droppedPct: number; longTasks: number; longestTaskMs: number };
  /** The frame health while tokens stream (less the frame count), and token-to-paint. */
  tokens: Omit<TokenFigures, "frames">;
  activity: ActivityFigures;
  resyncReplayMs: number;
  resyncSnapshotMs: number;
  heapWorkerMb: number;
  heapPanelMb: number;
  loadMinutes: number;
}

async function rawLimit(): Promise<RampResult> {
  const server = await startRawPageServer();
  const { g, load } = await startGateway({ batchMs: 0, allowOrigins: [server.origin], rate: 0 });
  const b = await launchBench(EXT_DIR);
  try {
    const url = server.url(`ws://127.0.0.1:${g.port}/v1/stream`, TOKEN);
    const page = await openPage(b, url);
    // A page started afresh says hello without a cursor and gets a snapshot: its seq is the gateway's newest.
    const welcomed = () =>
      waitFor("the raw page's welcome", () =>
        page.session.evaluate<true | undefined>(
          "!globalThis.__stale && globalThis.__raw?.welcome && globalThis.__raw.seq > 0 ? true : undefined",
        ),
      );
    await welcomed();
    const r = await ramp({
      load,
      emittedSeq: () => g.orgs.get(ORG)?.state.log.lastSeq() ?? 0,
      received: () => page.session.evaluate<number>("globalThis.__raw?.seq ?? 0"),
      // A page that fell hopelessly behind is closed by the gateway (slow consumer): reload it.
      alive: () => page.session.evaluate<boolean>("globalThis.__raw?.closed === null"),
      reset: async () => {
        await page.session.evaluate("(globalThis.__stale = true), 0");
        await page.session.send("Page.navigate", { url });
        await welcomed();
      },
      startRate: 8000,
      factor: 1.25,
      maxRate: 200_000,
      stepSec: CONFIG.stepSec,
      holdSec: CONFIG.holdSec,
      label: "raw page",
    });
    return r;
  } finally {
    await b.close();
    await g.stop();
    await server.close();
  }
}

/** Opens the panel three times; the median open → first list paint. */
async function medianOpen(b: Bench): Promise<number> {
  const opens: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { page, openMs } = await openPanel(b, EXTENSION_ID, BIG_WAIT_MS);
    opens.push(openMs);
    await page.close();
  }
  opens.sort((a, b2) => a - b2);
  log(`  open → first list paint: ${opens.map((x) => x.toFixed(0)).join(", ")} ms`);
  return opens[1] as number;
}

async function pipeline(): Promise<Omit<RunFigures, "rawLimit" | "rawNote">> {
  const { g, load } = await startGateway({ rate: CONFIG.paintRate });
  const b = await launchBench(EXT_DIR);
  const started = Date.now();
  try {
    await b.worker.evaluate(
      `chrome.storage.local.set({ settings: { gatewayUrl: ${JSON.stringify(g.url)}, token: ${JSON.stringify(TOKEN)} } })`,
    );
    let seen: unknown = null;
    await waitFor(
      "the worker to hold every session",
      async () => {
        const s = await workerStats(b.worker);
        seen = s;
        return (s?.sessionCount ?? 0) >= CONFIG.sessions ? true : undefined;
      },
      60_000,
    ).catch((e) => {
      throw new Error(`${(e as Error).message}; the worker said ${JSON.stringify(seen)}`);
    });
    await caughtUp(g, ORG, b.worker);
    log(`  worker holds ${CONFIG.sessions} sessions`);

    const openMs = await medianOpen(b);

    const { page } = await openPanel(b, EXTENSION_ID);
    const paint = await eventToPaint(load, page, CONFIG.paintRate, CONFIG.phaseSec);
    log(
      `  event-to-paint p50 ${paint.p50.toFixed(1)} p95 ${paint.p95.toFixed(1)} p99 ${paint.p99.toFixed(1)} ms (${paint.painted} painted of ${paint.emitted})`,
    );
    const frames = await framesWhileScrolling(load, page, CONFIG.paintRate, CONFIG.phaseSec);
    log(
      `  frames while scrolling: avg ${frames.avgMs.toFixed(1)} p99 ${frames.p99Ms.toFixed(1)} ms, dropped ${frames.droppedPct.toFixed(2)} %, long tasks ${frames.longTasks} (max ${frames.longestTaskMs.toFixed(0)} ms)`,
    );
    const activity = await activityFeed(load, page, CONFIG.paintRate, CONFIG.phaseSec);
    logActivity(activity);
    await page.close();

    const tokens = await tokenStreaming(b, EXTENSION_ID, load, CONFIG.tokenRate, CONFIG.phaseSec, tokenTap);
    log(
      `  tokens: frame avg ${tokens.avgMs.toFixed(1)} p99 ${tokens.p99Ms.toFixed(1)} ms, dropped ${tokens.dropped}, long tasks ${tokens.longTasks}, token-to-paint p99 ${tokens.tokenP99.toFixed(1)} ms`,
    );
    log(`  ${formatHops(tokens.hops)}`);

    const { page: listPage } = await openPanel(b, EXTENSION_ID);
    const r = await ramp({
      load,
      emittedSeq: () => g.orgs.get(ORG)?.state.log.lastSeq() ?? 0,
      received: async () => (await workerStats(b.worker))?.cursor?.seq ?? 0,
      // The panel's backlog: probe marks emitted but not yet on screen (the newest is always at the top).
      extraLag: async () => load.emitted - 1 - (await probeOf<number>(listPage, "P.maxMark")),
      startRate: 8000,
      factor: 1.25,
      maxRate: 200_000,
      stepSec: CONFIG.stepSec,
      holdSec: CONFIG.holdSec,
      label: "extension",
    });
    const correct = await stateMatches(g, ORG, b.worker);
    const topMark = await probeOf<number>(listPage, "P.maxMark");
    const sustainedCorrect = `${correct.detail}; panel shows mark ${topMark} of ${load.emitted - 1}`;
    log(`  sustained ${r.sustained.toFixed(0)}/s; ${sustainedCorrect}`);

    load.setRate(CONFIG.paintRate);
    await sleep(2000);
    const replay = await resyncAfterDrop(g, ORG, load, b.worker, "replay", CONFIG.historyLimit);
    await sleep(2000);
    const snap = await resyncAfterDrop(g, ORG, load, b.worker, "snapshot", CONFIG.historyLimit);
    log(
      `  resync: replay ${replay.ms} ms (${replay.resyncs} snapshots), snapshot ${snap.ms} ms (${snap.resyncs} snapshots)`,
    );

    const left = started + CONFIG.memoryMinutes * 60_000 - Date.now();
    if (left > 0) {
      log(
        `  load at ${CONFIG.paintRate}/s until ${CONFIG.memoryMinutes} min have passed (${(left / 1000).toFixed(0)} s more)`,
      );
      await sleep(left);
    }
    const heap = await heaps(b, listPage);
    log(`  heap: worker ${heap.worker.toFixed(1)} MB, panel ${heap.panel.toFixed(1)} MB`);
    await listPage.close();
    return {
      sustained: r.sustained,
      sustainedNote: r.note,
      sustainedCorrect,
      openMs,
      paint,
      frames,
      tokens,
      activity,
      resyncReplayMs: replay.resyncs === 0 ? replay.ms : Number.NaN,
      resyncSnapshotMs: snap.ms,
      heapWorkerMb: heap.worker,
      heapPanelMb: heap.panel,
      loadMinutes: (Date.now() - started) / 60_000,
    };
  } finally {
    await b.close();
    await g.stop();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function logActivity(a: ActivityFigures): void {
  log(
    `  activity feed at ${CONFIG.paintRate}/s: frame avg ${a.avgMs.toFixed(1)} p99 ${a.p99Ms.toFixed(1)} ms, dropped ${a.droppedPct.toFixed(2)} %, long tasks ${a.longTasks} (max ${a.longestTaskMs.toFixed(0)} ms); ${a.maxRows} rows in the DOM at most, ${a.entries} entries kept, ${a.rowsPerSecond.toFixed(0)} rows/s created; the list alone under the same load: frame avg ${a.listBaseline.avgMs.toFixed(1)} p99 ${a.listBaseline.p99Ms.toFixed(1)} ms, dropped ${a.listBaseline.droppedPct.toFixed(2)} %, long tasks ${a.listBaseline.longTasks}`,
  );
}

/** For a single phase: a load-mode gateway at `rate`, and the extension holding every session. */
export async function startFocused(
  rate: number,
): Promise<{ g: Gateway; load: LoadGenerator; b: Bench; tap: GatewayTap }> {
  const { g, load } = await startGateway({ rate });
  const b = await launchBench(EXT_DIR);
  try {
    await b.worker.evaluate(
      `chrome.storage.local.set({ settings: { gatewayUrl: ${JSON.stringify(g.url)}, token: ${JSON.stringify(TOKEN)} } })`,
    );
    await waitFor(
      "the worker to hold every session",
      async () => ((await workerStats(b.worker))?.sessionCount ?? 0) >= CONFIG.sessions || undefined,
      BIG_WAIT_MS,
    );
  } catch (e) {
    await b.close();
    await g.stop();
    throw e;
  }
  return { g, load, b, tap: tokenTap };
}

/** Just the activity-feed phase (for trying changes on a shared machine). */
export async function activityOnly(): Promise<ActivityFigures> {
  const { g, load, b } = await startFocused(0);
  try {
    const { page } = await openPanel(b, EXTENSION_ID);
    const a = await activityFeed(load, page, CONFIG.paintRate, CONFIG.phaseSec);
    logActivity(a);
    return a;
  } finally {
    await b.close();
    await g.stop();
  }
}

export async function runAll(): Promise<RunFigures[]> {
  const runs: RunFigures[] = [];
  for (let i = 1; i <= CONFIG.runs; i++) {
    if (flag("skip-raw")) {
      runs.push({ rawLimit: Number.NaN, rawNote: "skipped", ...(await pipeline()) });
      continue;
    }
    log(`run ${i}/${CONFIG.runs}: raw limit`);
    const raw = await rawLimit();
    log(
      `  raw limit ${Number.isFinite(raw.sustained) ? raw.sustained.toFixed(0) : "n/a"} events/s (${raw.note})`,
    );
    log(`run ${i}/${CONFIG.runs}: extension`);
    runs.push({ rawLimit: raw.sustained, rawNote: raw.note, ...(await pipeline()) });
  }
  return runs;
}

/** Just open time, event-to-paint and token streaming (the panel's own figures, without the long phases). */
export async function uiOnly(): Promise<Pick<RunFigures, "openMs" | "paint" | "tokens">> {
  const { g, load, b } = await startFocused(CONFIG.paintRate);
  try {
    await caughtUp(g, ORG, b.worker);
    const openMs = await medianOpen(b);
    const { page } = await openPanel(b, EXTENSION_ID);
    const paint = await eventToPaint(load, page, CONFIG.paintRate, CONFIG.phaseSec);
    log(
      `  event-to-paint p50 ${paint.p50.toFixed(1)} p95 ${paint.p95.toFixed(1)} p99 ${paint.p99.toFixed(1)} ms (${paint.painted} painted of ${paint.emitted})`,
    );
    await page.close();
    const tokens = await tokenStreaming(b, EXTENSION_ID, load, CONFIG.tokenRate, CONFIG.phaseSec, tokenTap);
    log(
      `  tokens (markdown): frame avg ${tokens.avgMs.toFixed(1)} p99 ${tokens.p99Ms.toFixed(1)} ms, dropped ${tokens.dropped} (${tokens.droppedPct.toFixed(2)} %), long tasks ${tokens.longTasks}, token-to-paint p50 ${tokens.tokenP50.toFixed(1)} p99 ${tokens.tokenP99.toFixed(1)} ms`,
    );
    log(`  ${formatHops(tokens.hops)}`);
    return { openMs, paint, tokens };
  } finally {
    await b.close();
    await g.stop();
  }
}

/**
 * Just resync with a panel open, for trying a resync change: replay, then `--runs` × 2 snapshot-path
 * resyncs, alternately with every session and with 1 % of them changed in the gap.
 */
export async function resyncOnly(): Promise<{ replayMs: number; snapshotMs: number[] }> {
  const { g, load, b } = await startFocused(CONFIG.paintRate);
  try {
    await caughtUp(g, ORG, b.worker);
    const { page } = await openPanel(b, EXTENSION_ID);
    await sleep(2000);
    const replay = await resyncAfterDrop(g, ORG, load, b.worker, "replay", CONFIG.historyLimit);
    log(`  resync: replay ${replay.ms} ms (${replay.resyncs} snapshots)`);
    const snapshotMs: number[] = [];
    // Odd runs: the gap's events spread over every session (as in the full run, where all of them change);
    // even runs: over 1 % of them, the rest unchanged.
    const few = Math.max(1, Math.round(CONFIG.sessions / 100));
    for (let i = 0; i < CONFIG.runs * 2; i++) {
      await sleep(2000);
      await probeOf(page, "(P.reset(), P.tapPort = true, P.recording = true, 0)");
      const among = i % 2 === 0 ? undefined : few;
      const snap = await resyncAfterDrop(g, ORG, load, b.worker, "snapshot", CONFIG.historyLimit, among);
      snapshotMs.push(snap.ms);
      // What the panel went through meanwhile and in the second after: its largest message and longest task.
      await sleep(1000);
      const panel = await probeOf<{ chars: number; task: number }>(
        page,
        "(P.tapPort = false, P.recording = false, { chars: Math.max(0, ...P.portChars), task: Math.max(0, ...P.longTasks) })",
      );
      log(
        `  resync: snapshot, ${among ? `${among} sessions` : "every session"} changed in the gap: ${snap.ms} ms (${snap.resyncs} snapshots); the panel's largest message ${(panel.chars / 1000).toFixed(0)} kB, longest task ${panel.task.toFixed(0)} ms`,
      );
    }
    load.setRate(0); // compared at rest: under load the gateway's snapshot is newer than the worker's cursor
    const correct = await stateMatches(g, ORG, b.worker);
    log(`  after: ${correct.detail}`);
    await page.close();
    return { replayMs: replay.ms, snapshotMs };
  } finally {
    await b.close();
    await g.stop();
  }
}

export interface ScaleFigures {
  sessions: number;
  /** Gateway started → the worker holds every session (its first snapshot). */
  firstSyncS: number;
  openMs: number;
  paint: RunFigures["paint"];
  heapWorkerMb: number;
  heapPanelMb: number;
}

/** Open time, event-to-paint and heap at `--sessions` (e.g. 100,000): the figures that grow with the org. */
export async function scaleOnly(): Promise<ScaleFigures> {
  const t0 = Date.now();
  // No events until the worker has its first snapshot: at 100,000 sessions it is ~36 MB on the socket.
  const { g, load, b } = await startFocused(0);
  try {
    const firstSyncS = (Date.now() - t0) / 1000;
    log(`  worker holds ${CONFIG.sessions} sessions after ${firstSyncS.toFixed(1)} s`);
    await caughtUp(g, ORG, b.worker, BIG_WAIT_MS);
    const openMs = await medianOpen(b);
    const { page } = await openPanel(b, EXTENSION_ID, BIG_WAIT_MS);
    const paint = await eventToPaint(load, page, CONFIG.paintRate, CONFIG.phaseSec);
    log(
      `  event-to-paint p50 ${paint.p50.toFixed(1)} p95 ${paint.p95.toFixed(1)} p99 ${paint.p99.toFixed(1)} ms (${paint.painted} painted of ${paint.emitted})`,
    );
    const heap = await heaps(b, page);
    log(`  heap: worker ${heap.worker.toFixed(1)} MB, panel ${heap.panel.toFixed(1)} MB`);
    return {
      sessions: CONFIG.sessions,
      firstSyncS,
      openMs,
      paint,
      heapWorkerMb: heap.worker,
      heapPanelMb: heap.panel,
    };
  } finally {
    await b.close();
    await g.stop();
  }
}

if (process.argv[1]?.endsWith("main.ts") && flag("scale-only")) {
  const figures = await scaleOnly();
  process.stdout.write(`${JSON.stringify({ config: CONFIG, ...figures })}\n`);
  process.exit(0);
}
if (process.argv[1]?.endsWith("main.ts") && flag("ui-only")) {
  const figures = await uiOnly();
  process.stdout.write(`${JSON.stringify({ config: CONFIG, ...figures })}\n`);
  process.exit(0);
}
if (process.argv[1]?.endsWith("main.ts") && flag("resync-only")) {
  const figures = await resyncOnly();
  process.stdout.write(`${JSON.stringify({ config: CONFIG, ...figures })}\n`);
  process.exit(0);
}
if (process.argv[1]?.endsWith("main.ts") && flag("activity-only")) {
  const a = await activityOnly();
  process.stdout.write(`${JSON.stringify({ config: CONFIG, activity: a })}\n`);
  process.exit(0);
}
if (process.argv[1]?.endsWith("main.ts")) {
  const runs = await runAll();
  const rows = tableRows(runs, CONFIG.sessions);
  if (flag("json")) process.stdout.write(`${JSON.stringify({ config: CONFIG, runs, rows })}\n`);
  else process.stdout.write(`${formatTable(rows)}\n`);
  process.exit(0);
}
