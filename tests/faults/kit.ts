/**
 * Shared tools of the fault suite (issue #9): a seeded random source, an
 * audit of the numbered events a worker applied (lost / duplicated /
 * reordered, snapshots accounted for), a TCP proxy that can cut, blackhole or
 * refuse what passes through it, and a few small helpers around the
 * in-process test gateway.
 */
import { createServer, type Server, Socket } from "node:net";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import type { TestGateway } from "../helpers/gateway.ts";

/** `LC_FAULTS_SEED` replays a run; otherwise each run draws its own seed (printed with every figure). */
export const SEED = Number(process.env.LC_FAULTS_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: small, fast, good enough to pick fault times and kinds. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function orgOf(tg: TestGateway): { orgId: string; org: OrgRuntime } {
  const orgId = tg.gateway.options.users.find((u) => u.token === tg.tokens.supervisor)?.org_id ?? "";
  const org = tg.gateway.orgs.get(orgId);
  if (!org) throw new Error(`no org ${orgId}`);
  return { orgId, org };
}

/** Stops the simulated traffic of every org of the gateway. */
export function haltTraffic(tg: TestGateway): void {
  for (const sim of tg.gateway.sims.values()) sim.stop();
}

/**
 * Audits the numbered events a worker applies (its `onEvent` hook) and the
 * snapshots it applies (`onSnapshot`), in O(gaps) memory, so a half-hour soak
 * can feed it millions of events:
 * - duplicated: a seq applied a second time, or one at or below an applied snapshot's seq;
 * - reordered: a seq applied after a higher one (it filled a hole late);
 * - lost: a seq never applied and not covered by a snapshot.
 * Each epoch is audited on its own; a new epoch starts at its first snapshot.
 */
export class SeqAudit {
  epoch: string | null = null;
  /** Highest seq applied (or snapshot seq) in the current epoch. */
  high = -1;
  applied = 0;
  duplicated = 0;
  reordered = 0;
  snapshots = 0;
  /** Events applied before any snapshot or cursor of their epoch (a fresh worker must not). */
  unanchored = 0;
  private lostBefore = 0;
  /** Holes not (yet) filled: [from, to] inclusive, ascending. */
  private holes: [number, number][] = [];

  snapshot(epoch: string, seq: number): void {
    this.snapshots++;
    this.switchEpoch(epoch);
    // Everything up to the snapshot is covered by it: those holes are not lost.
    this.holes = this.holes
      .filter((h) => h[1] > seq)
      .map((h): [number, number] => [Math.max(h[0], seq + 1), h[1]]);
    this.high = Math.max(this.high, seq);
  }

  event(epoch: string, seq: number): void {
    this.applied++;
    if (epoch !== this.epoch || this.high < 0) {
      this.unanchored++;
      this.switchEpoch(epoch);
      this.high = seq;
      return;
    }
    if (seq === this.high + 1) {
      this.high = seq;
      return;
    }
    if (seq > this.high + 1) {
      this.holes.push([this.high + 1, seq - 1]);
      this.high = seq;
      return;
    }
    const i = this.holes.findIndex((h) => h[0] <= seq && seq <= h[1]);
    if (i < 0) {
      this.duplicated++;
      return;
    }
    this.reordered++;
    const [from, to] = this.holes[i] as [number, number];
    const parts: [number, number][] = [];
    if (from < seq) parts.push([from, seq - 1]);
    if (seq < to) parts.push([seq + 1, to]);
    this.holes.splice(i, 1, ...parts);
  }

  /** Events of the current epoch up to `until` never applied nor covered by a snapshot, plus those of earlier epochs. */
  lost(until = this.high): number {
    let n = this.lostBefore;
    for (const [from, to] of this.holes) n += Math.max(0, Math.min(to, until) - from + 1);
    if (until > this.high) n += until - this.high;
    return n;
  }

  private switchEpoch(epoch: string): void {
    if (epoch === this.epoch) return;
    this.lostBefore = this.lost();
    this.epoch = epoch;
    this.high = -1;
    this.holes = [];
  }
}

export type BlockMode = "pass" | "refuse" | "blackhole";

export interface TcpProxy {
  port: number;
  /** http://127.0.0.1:PORT: give it to the worker as the gateway URL. */
  url: string;
  /** Open client connections through the proxy. */
  readonly open: number;
  /** What happens to new WebSocket upgrades: forwarded, reset at once, or held without an answer. */
  upgrades: BlockMode;
  /** Resets every open connection (RST both ways); returns how many. */
  cut(): number;
  /** Resets every open WebSocket connection after passing on only part of its next chunk from the gateway. */
  cutMidFrame(): number;
  /** From now on swallows every byte of every open connection both ways, keeping the sockets open. */
  blackholeAll(): number;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream: Socket;
  ws: boolean;
  dead: boolean;
  truncateNext: boolean;
}

const UPGRADE = /\r\nupgrade:\s*websocket/i;

/** A TCP proxy on 127.0.0.1:0 in front of `targetPort`, with hooks to break what goes through it. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const links = new Set<Link>();
  const held = new Set<Socket>();
  const proxy: TcpProxy = {
    port: 0,
    url: "",
    get open() {
      return links.size + held.size;
    },
    upgrades: "pass",
    cut() {
      let n = 0;
      for (const l of links) {
        n++;
        drop(l);
      }
      return n;
    },
    cutMidFrame() {
      let n = 0;
      for (const l of links)
        if (l.ws && !l.dead) {
          n++;
          l.truncateNext = true;
        }
      return n;
    },
    blackholeAll() {
      for (const l of links) l.dead = true;
      return links.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const l of links) drop(l);
        for (const s of held) s.destroy();
        server.close(() => resolve());
      }),
  };

  function drop(l: Link): void {
    links.delete(l);
    l.client.resetAndDestroy();
    l.upstream.resetAndDestroy();
  }

  const server: Server = createServer((client) => {
    client.on("error", () => undefined);
    client.once("data", (first) => {
      const ws = UPGRADE.test(first.toString("latin1"));
      if (ws && proxy.upgrades === "refuse") {
        client.resetAndDestroy();
        return;
      }
      if (ws && proxy.upgrades === "blackhole") {
        // Swallow everything; answer nothing; keep the socket open.
        held.add(client);
        client.on("close", () => held.delete(client));
        client.on("data", () => undefined);
        return;
      }
      const upstream = new Socket();
      const l: Link = { client, upstream, ws, dead: false, truncateNext: false };
      links.add(l);
      upstream.on("error", () => undefined);
      upstream.connect(targetPort, "127.0.0.1", () => {
        if (!l.dead) upstream.write(first);
      });
      client.on("data", (d) => {
        if (!l.dead) upstream.write(d);
      });
      upstream.on("data", (d) => {
        if (l.dead) return;
        if (l.truncateNext) {
          l.dead = true;
          client.write(d.subarray(0, Math.max(1, d.length >> 1)), () => drop(l));
          return;
        }
        client.write(d);
      });
      // A closed side closes the other, except on a blackholed link: a dead line carries no FIN either.
      let closed = 0;
      const onClose = (other: Socket) => () => {
        if (++closed === 2) links.delete(l);
        if (!l.dead) {
          links.delete(l);
          other.destroy();
        }
      };
      client.on("close", onClose(upstream));
      upstream.on("close", onClose(client));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  proxy.port = typeof addr === "object" && addr ? addr.port : 0;
  proxy.url = `http://127.0.0.1:${proxy.port}`;
  return proxy;
}

/** Per-bin counts of `times` (ms since `from`), bins of `binMs`; the largest share in one bin. */
export function histogram(
  times: number[],
  from: number,
  binMs: number,
): { bins: number[]; maxShare: number } {
  const bins: number[] = [];
  for (const t of times) {
    const i = Math.max(0, Math.floor((t - from) / binMs));
    while (bins.length <= i) bins.push(0);
    bins[i] = (bins[i] ?? 0) + 1;
  }
  const max = bins.reduce((m, b) => Math.max(m, b), 0);
  return { bins, maxShare: times.length ? max / times.length : 0 };
}

export const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)} %`;
export const secs = (ms: number, digits = 2): string => `${(ms / 1000).toFixed(digits)} s`;

/**
 * How long this process's event loop was frozen: a 20 ms ticker adds up every
 * gap beyond 100 ms (the part over the tick). On a shared 2-core machine a
 * test that has clients and the gateway in one process loses this time on
 * both ends at once; a deadline on when something arrives adds it back.
 */
export function startStallMeter(): { stalledMs(): number; longestMs(): number; stop(): void } {
  const tick = 20;
  let last = performance.now();
  let stalled = 0;
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const gap = now - last;
    last = now;
    if (gap > 100) {
      stalled += gap - tick;
      longest = Math.max(longest, gap);
    }
  }, tick);
  return {
    stalledMs: () => Math.round(stalled),
    longestMs: () => Math.round(longest),
    stop: () => clearInterval(timer),
  };
}
