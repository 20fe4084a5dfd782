/**
 * The benchmark's measurements, one function each. Every figure comes from
 * real events: the gateway's load generator emits them (and remembers when),
 * the real worker and panel in Chromium handle them, and the page's probe
 * (or the worker's own counters) says when they were shown.
 */
import type { Gateway } from "../../gateway/gateway.ts";
import type { LoadGenerator } from "../../gateway/load/load.ts";
import { FOCUS_KEY } from "../../utils/panel-messages/index.ts";
import type { DeltaRecord } from "../../utils/worker/delta-tap.ts";
import { type Bench, heapMb, openPage, type Page, waitFor } from "./browser.ts";
import type { CdpSession } from "./cdp.ts";
import type { ProbeData } from "./probe.ts";
import { type FrameHealth, frameHealth, percentile } from "./stats.ts";
import { type GatewayTap, type TokenHops, tokenHops, workerTimes } from "./token-hops.ts";
import { WORKER_POST_TAP_SOURCE } from "./worker-post-tap.ts";

export const PANEL_URL = (id: string) => `chrome-extension://${id}/sidepanel.html`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`  · ${msg}\n`);

export interface WorkerStats {
  cursor: { epoch: string; seq: number } | null;
  phase: string;
  sessionCount: number;
  connection: { state: string };
  counters: Record<string, number>;
}

export const workerStats = (w: CdpSession) =>
  w.evaluate<WorkerStats | null>("globalThis.__lc?.stats() ?? null");

export const probeOf = <T>(p: Page, expr: string) =>
  p.session.evaluate<T>(`(() => { const P = globalThis.__bench; return ${expr}; })()`);

/** Waits until the worker has applied everything the gateway has emitted so far. */
export async function caughtUp(g: Gateway, orgId: string, w: CdpSession, ms = 60_000): Promise<number> {
  const start = Date.now();
  const target = g.orgs.get(orgId)?.state.log.lastSeq() ?? 0;
  await waitFor(
    `the worker to reach seq ${target}`,
    async () => {
      const s = await workerStats(w);
      return s && s.phase === "live" && (s.cursor?.seq ?? 0) >= target ? true : undefined;
    },
    ms,
  );
  return Date.now() - start;
}

/** Opens a panel page with the probe and waits for its first session card. */
export async function openPanel(
  b: Bench,
  extId: string,
  ms = 30_000,
): Promise<{ page: Page; openMs: number }> {
  const page = await openPage(b, PANEL_URL(extId), { probe: true });
  const at = await waitFor(
    "the first session card",
    () => probeOf<number>(page, "P && P.firstCardAt ? P.firstCardAt : undefined"),
    ms,
  );
  const origin = await page.session.evaluate<number>("performance.timeOrigin");
  return { page, openMs: at - origin };
}

// ---------------- event-to-paint, frame health, tokens ----------------

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  painted: number;
  emitted: number;
}

function latencies(pairs: number[], emittedAt: (n: number) => number | undefined): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const t = emittedAt(pairs[i] as number);
    if (t !== undefined) out.push((pairs[i + 1] as number) - t);
  }
  return out;
}

const summarize = (values: number[], emitted: number): Latency => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
  painted: values.length,
  emitted,
});

/** Sets the load to `rate` events/s and gives the panel 2 s to settle before a phase measures. */
async function settleAt(load: LoadGenerator, rate: number): Promise<void> {
  load.setRate(rate);
  await sleep(2000);
}

/** Event-to-paint at `rate` events/s: from each message's emit time to the end of the frame that showed it. */
export async function eventToPaint(
  load: LoadGenerator,
  page: Page,
  rate: number,
  seconds: number,
): Promise<Latency> {
  await settleAt(load, rate);
  await probeOf(page, "(P.reset(), 0)");
  const first = load.emitted;
  await sleep(seconds * 1000);
  const marks = await probeOf<number[]>(page, "P.marks");
  const emitted = load.emitted - first;
  const values = latencies(marks, (n) => (n >= first ? load.emittedAt(n) : undefined));
  return summarize(values, emitted);
}

/** Frame health while scrolling the list at `rate` events/s. */
export async function framesWhileScrolling(
  load: LoadGenerator,
  page: Page,
  rate: number,
  seconds: number,
): Promise<FrameHealth> {
  load.setRate(rate);
  await probeOf(page, "(P.reset(), P.scrolling = true, 0)");
  await sleep(1000);
  await probeOf(page, "(P.frames = [], P.longTasks = [], P.recording = true, 0)");
  await sleep(seconds * 1000);
  const data = await probeOf<Pick<ProbeData, "frames" | "longTasks">>(
    page,
    "(P.recording = false, P.scrolling = false, { frames: P.frames, longTasks: P.longTasks })",
  );
  return frameHealth(data.frames, data.longTasks);
}

export interface TokenFigures extends FrameHealth {
  tokenP50: number;
  tokenP99: number;
  tokensPainted: number;
  tokensEmitted: number;
  /** Token-to-paint split into hops (token-hops.ts). */
  hops: TokenHops;
}

/**
 * Opens the watched session's transcript and streams `tokensPerSecond` into it; with the hop taps on
 * (the gateway's `tap`, the worker's delta tap, the probe's port tap) while it measures.
 */
export async function tokenStreaming(
  b: Bench,
  extId: string,
  load: LoadGenerator,
  tokensPerSecond: number,
  seconds: number,
  tap: GatewayTap,
): Promise<TokenFigures> {
  await b.worker.evaluate(
    `chrome.storage.session.set({ ${JSON.stringify(FOCUS_KEY)}: { session_id: ${JSON.stringify(load.watchedId)}, at: Date.now() } })`,
  );
  await b.worker.evaluate(WORKER_POST_TAP_SOURCE); // before the panel connects: it wraps ports opened from now on
  const page = await openPage(b, PANEL_URL(extId), { probe: true });
  try {
    await waitFor("the watched transcript", () =>
      page.session.evaluate<boolean | undefined>("document.querySelector('.messages') ? true : undefined"),
    );
    load.setTokenRate(tokensPerSecond);
    await waitFor("the first streamed token on screen", () =>
      probeOf<number | undefined>(page, "P.maxToken >= 0 ? 1 : undefined"),
    );
    await sleep(1000);
    await b.worker.evaluate(
      "(globalThis.__lc.deltaTap.drain(), globalThis.__lc.deltaTap.enable(), globalThis.__benchPost.records = [], globalThis.__benchPost.on = true, 0)",
    );
    tap.start(load);
    const first = load.tokensEmitted;
    await probeOf(page, "(P.reset(), P.tapPort = true, P.recording = true, 0)");
    await sleep(seconds * 1000);
    const data = await probeOf<Pick<ProbeData, "frames" | "longTasks" | "tokens" | "portTokens">>(
      page,
      "(P.recording = false, P.tapPort = false, { frames: P.frames, longTasks: P.longTasks, tokens: P.tokens, portTokens: P.portTokens })",
    );
    tap.stop();
    const applied = await b.worker.evaluate<{
      records: DeltaRecord[];
      overflowed: boolean;
      posted: number[];
    }>(
      "(globalThis.__lc.deltaTap.disable(), globalThis.__benchPost.on = false, { ...globalThis.__lc.deltaTap.drain(), posted: globalThis.__benchPost.records })",
    );
    load.setTokenRate(0);
    // Each painted index stands for every token up to it not painted before.
    const values: number[] = [];
    let prev = first - 1;
    for (let i = 0; i + 1 < data.tokens.length; i += 2) {
      const n = data.tokens[i] as number;
      const at = data.tokens[i + 1] as number;
      for (let k = Math.max(prev + 1, first); k <= n; k++) {
        const t = load.tokenEmittedAt(k);
        if (t !== undefined) values.push(at - t);
      }
      prev = Math.max(prev, n);
    }
    const fh = frameHealth(data.frames, data.longTasks);
    if (applied.overflowed) log("the worker's delta tap overflowed: the hops cover the tokens it kept");
    const hops = tokenHops({
      first,
      last: prev,
      emit: (k) => load.tokenEmittedAt(k),
      left: tap.left,
      worker: workerTimes(load, applied.records),
      posted: applied.posted,
      port: data.portTokens,
      paint: data.tokens,
    });
    return {
      ...fh,
      tokenP50: percentile(values, 50),
      tokenP99: percentile(values, 99),
      tokensPainted: values.length,
      tokensEmitted: load.tokensEmitted - first,
      hops,
    };
  } finally {
    await b.worker.evaluate(`chrome.storage.session.remove(${JSON.stringify(FOCUS_KEY)})`);
    await page.close();
  }
}

// ---------------- resync ----------------

/** Drops every socket; time until the worker is live again at the seq the gateway had (includes its reconnect backoff, 0–500 ms). */
export async function resyncAfterDrop(
  g: Gateway,
  orgId: string,
  load: LoadGenerator,
  w: CdpSession,
  path: "replay" | "snapshot",
  historyLimit: number,
  /** Snapshot path: the gap's events go to this many sessions only (default: spread over all of them). */
  changedSessions?: number,
): Promise<{ ms: number; resyncs: number }> {
  const before = (await workerStats(w))?.counters.resyncs ?? 0;
  // A network failure: the TCP connection goes without a close frame (a 4200 "restarting" close
  // would make the worker wait a random 0–12 s on purpose, to spread a fleet's reconnects).
  g.dropAllSockets();
  // Snapshot path: while the worker is away, more events than the history keeps. The gateway's log trims
  // only once it holds `historyLimit` + 1/16 (at least 64) more (`createMemoryLog`), so a burst of just
  // `historyLimit` + 1,000 could still be replayed, and was then timed as a "snapshot" resync.
  if (path === "snapshot") load.burst(historyLimit + Math.max(64, historyLimit >> 4) + 1000, changedSessions);
  const start = Date.now();
  const target = g.orgs.get(orgId)?.state.log.lastSeq() ?? 0;
  await sleep(5);
  await waitFor(
    "the worker to be consistent again",
    async () => {
      const s = await workerStats(w);
      return s && s.phase === "live" && s.connection.state === "connected" && (s.cursor?.seq ?? 0) >= target
        ? true
        : undefined;
    },
    60_000,
  );
  const ms = Date.now() - start;
  const resyncs = ((await workerStats(w))?.counters.resyncs ?? 0) - before;
  return { ms, resyncs };
}

// ---------------- correctness and memory ----------------

/** The worker's sessions equal the gateway's (message counts, previews, status). */
export async function stateMatches(
  g: Gateway,
  orgId: string,
  w: CdpSession,
): Promise<{ ok: boolean; detail: string }> {
  await caughtUp(g, orgId, w);
  const mine = await w.evaluate<{ id: string; message_count: number; preview: string; status: string }[]>(
    "globalThis.__lc.dump().sessions.map((s) => ({ id: s.id, message_count: s.message_count, preview: s.preview, status: s.status }))",
  );
  const theirs = g.snapshot(orgId).sessions.filter((s) => s.status !== "ended");
  const byId = new Map(mine.map((s) => [s.id, s]));
  let wrong = 0;
  let example = "";
  for (const s of theirs) {
    const m = byId.get(s.id);
    if (!m || m.message_count !== s.message_count || m.preview !== s.preview || m.status !== s.status) {
      wrong++;
      example ||= `${s.id}: gateway ${s.message_count}/${s.preview.slice(0, 12)} vs worker ${m ? `${m.message_count}/${m.preview.slice(0, 12)}` : "missing"}`;
    }
  }
  const extra = mine.length - theirs.length;
  return {
    ok: wrong === 0 && extra === 0,
    detail:
      wrong === 0 && extra === 0
        ? `${theirs.length} sessions equal`
        : `${wrong} differ, ${extra} extra (${example})`,
  };
}

/**
 * The panel's JS heap (after a full GC) without what the probe recorded: its
 * marks and the set of marks seen grow with every mark painted (~10,000 a
 * minute at 1,000 events/s) until the next reset, and are the harness's, not
 * the panel's. Resetting first keeps them out of every reading.
 */
export async function panelHeapMb(page: Page): Promise<number> {
  await probeOf(page, "(P && P.reset(), 0)");
  return heapMb(page.session);
}

export async function heaps(b: Bench, page: Page): Promise<{ worker: number; panel: number }> {
  return { worker: await heapMb(b.worker), panel: await panelHeapMb(page) };
}

// ---------------- activity feed ----------------

export interface ActivityFigures extends FrameHealth {
  /** Most feed rows in the DOM at once (virtualised: the visible ones only). */
  maxRows: number;
  /** Entries the panel's feed held at the end (bounded by ACTIVITY_LIMIT). */
  entries: number;
  /** Feed rows created per second (a row for each newly visible entry). */
  rowsPerSecond: number;
  /** The same load with the session list shown instead (same page, just before): what the feed adds. */
  listBaseline: FrameHealth;
}

/**
 * The Activity tab open while `rate` events/s arrive (each message is a feed
 * entry): frame health, and how many rows the feed keeps in the DOM and in memory.
 */
export async function activityFeed(
  load: LoadGenerator,
  page: Page,
  rate: number,
  seconds: number,
): Promise<ActivityFigures> {
  await settleAt(load, rate);
  await probeOf(page, "(P.reset(), P.frames = [], P.longTasks = [], P.recording = true, 0)");
  await sleep(seconds * 1000);
  const base = await probeOf<Pick<ProbeData, "frames" | "longTasks">>(
    page,
    "(P.recording = false, { frames: P.frames, longTasks: P.longTasks })",
  );
  await page.session.evaluate("document.querySelector('#tab-activity')?.click(), 0");
  await waitFor("the activity feed", () =>
    page.session.evaluate<true | undefined>("document.querySelector('.activity-feed') ? true : undefined"),
  );
  await settleAt(load, rate);
  // Count rows as they are added, and the most in the DOM at once.
  await page.session.evaluate(`(() => {
    const B = (globalThis.__feedBench = { added: 0, maxRows: 0 });
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n.classList?.contains("activity-entry")) B.added++;
      B.maxRows = Math.max(B.maxRows, document.querySelectorAll(".activity-entry").length);
    }).observe(document.querySelector(".activity-feed"), { subtree: true, childList: true });
    return 0;
  })()`);
  await probeOf(page, "(P.reset(), P.frames = [], P.longTasks = [], P.recording = true, 0)");
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const data = await probeOf<Pick<ProbeData, "frames" | "longTasks">>(
    page,
    "(P.recording = false, { frames: P.frames, longTasks: P.longTasks })",
  );
  const dt = (Date.now() - t0) / 1000;
  const feed = await page.session.evaluate<{ added: number; maxRows: number; entries: number }>(
    `({ ...globalThis.__feedBench, entries: Number(document.querySelector('.activity-entry')?.getAttribute('aria-setsize') ?? 0) })`,
  );
  await page.session.evaluate("document.querySelector('#tab-sessions')?.click(), 0");
  return {
    ...frameHealth(data.frames, data.longTasks),
    maxRows: feed.maxRows,
    entries: feed.entries,
    rowsPerSecond: feed.added / dt,
    listBaseline: frameHealth(base.frames, base.longTasks),
  };
}
