/**
 * Token-to-paint split into hops (issue 21). Six stamps per token, all epoch
 * ms of this machine's one clock:
 *
 *   emit    the load generator made the delta (`load.tokenEmittedAt`)
 *   left    the gateway handed the frame carrying it to the socket (`GatewayOptions.onWrite`, this tap)
 *   worker  the worker applied the delta (`globalThis.__lc.deltaTap`, enabled over CDP)
 *   posted  the worker handed the patch carrying it to the panel's port (worker-post-tap.ts, over CDP)
 *   port    the side panel received the patch carrying it (the probe's tap on the runtime port; the
 *           panel's listener runs on its main thread, so this includes waiting for a busy panel)
 *   paint   the end of the frame that first showed it (the probe)
 *
 * A patch or a frame on screen carries every token up to the newest it shows,
 * so `port` and `paint` are recorded as [newest token, time] whenever the
 * newest grows, and a token reaches them with the first record at or past it.
 * Every tap is off unless the bench turns it on.
 */
import type { LoadGenerator } from "../../gateway/load/load.ts";
import type { DeltaRecord } from "../../utils/worker/delta-tap.ts";
import { percentile } from "./stats.ts";

/** A serialized delta frame (key order as the load generator builds it). */
const DELTA = /"type":"delta","session_id":"[^"]*","message_id":"([^"]+)","idx":(\d+)/g;

/** The deltas in a text the gateway wrote (one frame or a batch). */
export function deltasIn(text: string): { messageId: string; idx: number }[] {
  const out: { messageId: string; idx: number }[] = [];
  if (!text.includes('"type":"delta"')) return out;
  for (const m of text.matchAll(DELTA)) out.push({ messageId: m[1] as string, idx: Number(m[2]) });
  return out;
}

/** The gateway side: give `onWrite` to the gateway's options; it stamps nothing until `start`. */
export interface GatewayTap {
  onWrite(text: string): void;
  start(load: LoadGenerator): void;
  stop(): void;
  /** Token number → epoch ms its frame left the gateway (first time only). */
  readonly left: Map<number, number>;
}

export function createGatewayTap(): GatewayTap {
  let load: LoadGenerator | null = null;
  const left = new Map<number, number>();
  return {
    left,
    onWrite(text) {
      if (load === null) return;
      const at = Date.now();
      for (const d of deltasIn(text)) {
        const k = load.tokenOf(d.messageId, d.idx);
        if (k !== undefined && !left.has(k)) left.set(k, at);
      }
    },
    start(l) {
      left.clear();
      load = l;
    },
    stop() {
      load = null;
    },
  };
}

/** The worker's records as token number → epoch ms applied. */
export function workerTimes(load: LoadGenerator, records: readonly DeltaRecord[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of records)
    for (let i = r.from; i <= r.to; i++) {
      const k = load.tokenOf(r.message_id, i);
      if (k !== undefined && !out.has(k)) out.set(k, r.at);
    }
  return out;
}

/** [newest token, time] records (growing) → the time each token of `first..last` was first reached (NaN: never). */
export function reachTimes(pairs: readonly number[], first: number, last: number): Float64Array {
  const out = new Float64Array(Math.max(0, last - first + 1)).fill(Number.NaN);
  let prev = first - 1;
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const n = Math.min(pairs[i] as number, last);
    const at = pairs[i + 1] as number;
    for (let k = Math.max(prev + 1, first); k <= n; k++) out[k - first] = at;
    prev = Math.max(prev, n);
  }
  return out;
}

export interface Hop {
  p50: number;
  p99: number;
}

/** `workerToPanel` (applied → received) is `workerToPost` (applied → posted) plus `postToPanel` (posted → received). */
const HOPS = [
  "gatewayQueue",
  "gatewayToWorker",
  "workerToPanel",
  "workerToPost",
  "postToPanel",
  "panelToPaint",
] as const;
type HopName = (typeof HOPS)[number];

export interface TokenHops extends Record<HopName | "total", Hop> {
  /** Tokens with all six stamps (the hops are over these). */
  tokens: number;
  /** The slowest 1 % of those tokens (by emit → paint): the median of each hop among them. */
  slowest: Record<HopName | "total", number>;
}

export interface HopStamps {
  first: number;
  last: number;
  emit: (k: number) => number | undefined;
  left: ReadonlyMap<number, number>;
  worker: ReadonlyMap<number, number>;
  /** [newest token, epoch ms] as the worker posted patches. */
  posted: readonly number[];
  /** [newest token, epoch ms] as the panel received patches. */
  port: readonly number[];
  /** [newest token, epoch ms] as frames showed them. */
  paint: readonly number[];
}

export function tokenHops(s: HopStamps): TokenHops {
  const posted = reachTimes(s.posted, s.first, s.last);
  const port = reachTimes(s.port, s.first, s.last);
  const paint = reachTimes(s.paint, s.first, s.last);
  const rows: Record<HopName | "total", number>[] = [];
  for (let k = s.first; k <= s.last; k++) {
    const e = s.emit(k);
    const l = s.left.get(k);
    const w = s.worker.get(k);
    const o = posted[k - s.first] as number;
    const p = port[k - s.first] as number;
    const f = paint[k - s.first] as number;
    if (e === undefined || l === undefined || w === undefined) continue;
    if (Number.isNaN(o) || Number.isNaN(p) || Number.isNaN(f)) continue;
    rows.push({
      gatewayQueue: l - e,
      gatewayToWorker: w - l,
      workerToPanel: p - w,
      workerToPost: o - w,
      postToPanel: p - o,
      panelToPaint: f - p,
      total: f - e,
    });
  }
  const hop = (name: HopName | "total", of = rows): Hop => {
    const v = of.map((r) => r[name]);
    return { p50: percentile(v, 50), p99: percentile(v, 99) };
  };
  const slow = [...rows]
    .sort((a, b) => b.total - a.total)
    .slice(0, Math.max(1, Math.ceil(rows.length / 100)));
  const names = [...HOPS, "total"] as const;
  return {
    tokens: rows.length,
    ...(Object.fromEntries(names.map((n) => [n, hop(n)])) as Record<HopName | "total", Hop>),
    slowest: Object.fromEntries(names.map((n) => [n, hop(n, slow).p50])) as Record<HopName | "total", number>,
  };
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "n/a");

/** One line: p50 / p99 per hop, and where the slowest 1 % spent their time. */
export function formatHops(h: TokenHops): string {
  const p = (x: Hop) => `${ms(x.p50)} / ${ms(x.p99)}`;
  const s = h.slowest;
  return (
    `token hops p50 / p99 ms (${h.tokens} tokens): gateway queue ${p(h.gatewayQueue)}, gateway→worker ${p(h.gatewayToWorker)}, ` +
    `worker→panel ${p(h.workerToPanel)} (applied→posted ${p(h.workerToPost)}, posted→panel ${p(h.postToPanel)}), ` +
    `panel→paint ${p(h.panelToPaint)}, total ${p(h.total)}; ` +
    `slowest 1 % (medians): gateway queue ${ms(s.gatewayQueue)}, gateway→worker ${ms(s.gatewayToWorker)}, ` +
    `worker→panel ${ms(s.workerToPanel)} (${ms(s.workerToPost)} + ${ms(s.postToPanel)}), panel→paint ${ms(s.panelToPaint)}, total ${ms(s.total)}`
  );
}
