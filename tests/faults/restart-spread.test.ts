/**
 * Issue #19, item 5: reconnect after a restart is fast for few clients and
 * gentle for many. The gateway closes every socket with 4200 and a close
 * reason `{"reason", "retry_after_ms"}` sized to how many sockets it closes
 * and its handshake budget (`handshakesPerSecond`: the expected rate is half
 * of it); clients reconnect at a uniform moment in `[0, retry_after_ms]`.
 *
 * - 5 workers (the worker core in Node with the extension's real timing,
 *   whose own spread without a hint is 12 s) are all live within 1 s of the
 *   restarted gateway listening.
 * - An agent runtime (agent-client) whose backoff would wait ≥ 5 s is
 *   back within 1 s: it obeys the hint too.
 * - 2,000 clients (the worker's connection code, as in the herd test; 300 in
 *   the fast part): no second has more reconnect attempts due than the
 *   budget, every client waits within the spread, the gateway answers no
 *   more handshakes in any second than its budget (it enforces it:
 *   gateway/stream/handshake-gate.ts) and refuses none, and all are live within the
 *   spread — after a 4200 to everyone and after a restart. "Within the
 *   spread" allows the drop itself, one second for the last handshake and the
 *   time this process was frozen (clients and gateway share its event loop on
 *   a 2-core machine: a stall delays both ends by its length; measured, and
 *   printed).
 */
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createAgentClient, type WebSocketCtor } from "../../agent-client/index.ts";
import { restartSpreadMs } from "../../gateway/stream/restart-spread.ts";
import { type Connection, createConnection } from "../../utils/connection/connection";
import { DEFAULT_TIMING } from "../../utils/connection/timing";
import { DEMO_AGENT_TOKEN } from "../helpers/agent-socket.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until.ts";
import { type NodeWorker, nodeSocket, startNodeWorker } from "../helpers/worker-node";
import { recordFigure, scale } from "./figures";
import { histogram, startStallMeter } from "./kit";

const MANY = scale(2000, 300);
/**
 * Handshakes per second the gateway is sized for in the many-clients test: the spread is MANY / (BUDGET / 2).
 * The full run's 100/s is what one Node process holding the gateway and 2,000 clients completes on a shared
 * 2-core machine (measured: ~50–150 welcomes/s); a budget above what the gateway can serve only moves the
 * queue from the spread into hello time-outs.
 */
const BUDGET = scale(100, 300);

let tg: TestGateway | undefined;
const workers: NodeWorker[] = [];
const conns: Connection[] = [];
const stops: (() => void)[] = [];
afterAll(async () => {
  for (const s of stops) s();
  for (const c of conns) c.stop();
  for (const w of workers) await w.core.stop();
  await tg?.stop();
});

describe("issue 19 item 5: the gateway sizes the reconnect spread", () => {
  it("5 workers are all live within 1 s of a restart; an agent runtime obeys the spread too", async () => {
    let gw = await startTestGateway({ sessions: 4, rate: 4 });
    tg = gw;
    for (let i = 0; i < 5; i++)
      workers.push(
        await startNodeWorker(
          { gatewayUrl: gw.url, token: gw.tokens.supervisor },
          { timing: { ...DEFAULT_TIMING } },
        ),
      );
    let agentOpens = 0;
    const agent = createAgentClient({
      url: gw.url,
      token: DEMO_AGENT_TOKEN,
      WebSocket: WebSocket as unknown as WebSocketCtor,
      // Without the gateway's hint this runtime would wait at least 5 s.
      backoff: { minMs: 5000, maxMs: 10_000 },
      onState: (s) => {
        if (s === "open") agentOpens++;
      },
    });
    stops.push(() => agent.close());
    const live = (w: NodeWorker, n: number) =>
      w.core.counters.reconnects >= n && w.core.dump().connection.state === "connected";
    await until("5 workers connected", () => workers.every((w) => live(w, 0)) && agentOpens === 1, 10_000);

    const t0 = Date.now();
    gw = await gw.restart();
    tg = gw;
    const up = Date.now();
    await until("5 workers back", () => workers.every((w) => live(w, 1)), 15_000);
    const backMs = Date.now() - up;
    await until("the agent runtime back", () => agentOpens === 2, 15_000);
    const agentMs = Date.now() - up;
    console.log(
      `[faults/restart-spread] 5 workers: restart took ${up - t0} ms, all live ${backMs} ms after it; agent runtime ${agentMs} ms`,
    );
    recordFigure({
      item: 19.5,
      what: `gateway restart, 5 workers (real timing): all live after the new gateway listens (restart took ${up - t0} ms)`,
      value: `${backMs} ms`,
      target: "≤ 1000 ms",
      ok: backMs <= 1000,
    });
    recordFigure({
      item: 19.5,
      what: "gateway restart: an agent runtime whose backoff waits ≥ 5 s is back after the new gateway listens",
      value: `${agentMs} ms`,
      target: "≤ 1000 ms",
      ok: agentMs <= 1000,
    });
    expect(backMs).toBeLessThanOrEqual(1000);
    expect(agentMs).toBeLessThanOrEqual(1000);
  }, 60_000);
});

describe(`issue 19 item 5: ${MANY} clients`, () => {
  it(`${MANY} clients stay within the handshake budget (${BUDGET}/s) and are all live within the spread`, async () => {
    for (const w of workers.splice(0)) await w.core.stop();
    await tg?.stop();
    let gw = await startTestGateway({
      sessions: 4,
      rate: 4,
      metricsIntervalMs: 60_000,
      handshakesPerSecond: BUDGET,
    });
    tg = gw;
    // Connected in batches of 100: the first connect is not what is measured, and 2,000 hellos at once
    // on a shared machine would time out and back off.
    const herd: Client[] = [];
    while (herd.length < MANY) {
      const batch = Array.from({ length: Math.min(100, MANY - herd.length) }, () => startClient(gw));
      herd.push(...batch);
      await until("a batch connected", () => batch.every((c) => c.welcomes.length >= 1), 60_000);
    }
    const allBack = (n: number) => herd.every((c) => c.welcomes.length >= n);
    const spread = restartSpreadMs(MANY, BUDGET);

    const rounds: { how: string; drop: () => Promise<void> }[] = [
      { how: "all sockets closed with 4200", drop: async () => gw.gateway.closeAllSockets(4200) },
      {
        how: "gateway restarted",
        drop: async () => {
          gw = await gw.restart();
          tg = gw;
        },
      },
    ];
    const failures: string[] = [];
    for (const [r, round] of rounds.entries()) {
      const t0 = Date.now();
      const stalls = startStallMeter();
      gw.gateway.handshakes(true);
      await round.drop();
      /** How long the drop itself took (a restart: stop, then start; clients that came meanwhile retry). */
      const dropMs = Date.now() - t0;
      await until(`every client back (${round.how})`, () => allBack(r + 2), Math.max(30_000, spread * 3));
      stalls.stop();
      // The spread, the drop, a second for the last handshake, and the time this process (clients and
      // gateway alike) was frozen: a stall delays every timer and every socket read by its length.
      const allowed = spread + dropMs + 1000 + stalls.stalledMs();
      const gate = gw.gateway.handshakes();
      const welcomes = herd.map((c) => c.welcomes[r + 1] as number);
      const due = herd.map((c) => c.due[r + 1] as number);
      const seen = histogram(welcomes, t0, 1000);
      const dueH = histogram(due, t0, 1000);
      const maxPerSecond = Math.max(...seen.bins);
      const dueMax = Math.max(...dueH.bins);
      const backMs = Math.max(...welcomes) - t0;
      const lastDueMs = Math.max(...due) - t0;
      const maxDelay = Math.max(...herd.map((c) => c.delays[r + 1] as number));
      console.log(
        `[faults/restart-spread] ${round.how}: clients=${MANY} spread=${spread}ms drop=${dropMs}ms back=${backMs}ms ` +
          `last due=${lastDueMs}ms longest delay=${maxDelay}ms stalled=${stalls.stalledMs()}ms (longest ${stalls.longestMs()}ms) ` +
          `gateway peak=${gate.peakPerSecond}/s queued=${gate.queued} refused=${gate.refused} ` +
          `welcomes/second=${seen.bins.join(",")} due/second=${dueH.bins.join(",")}`,
      );
      recordFigure({
        item: 19.5,
        what: `${round.how}: ${MANY} clients, most reconnect attempts due in one second (welcomes seen: ${maxPerSecond})`,
        value: String(dueMax),
        target: `≤ ${BUDGET} (the budget)`,
        ok: dueMax <= BUDGET,
      });
      recordFigure({
        item: 19.5,
        what: `${round.how}: ${MANY} clients, most handshakes the gateway answered in one second (${gate.queued} waited for a slot, ${gate.refused} refused)`,
        value: String(gate.peakPerSecond),
        target: `≤ ${BUDGET} (the budget)`,
        ok: gate.peakPerSecond <= BUDGET,
      });
      recordFigure({
        item: 19.5,
        what: `${round.how}: all ${MANY} clients live (spread asked: ${spread} ms; this process stalled ${stalls.stalledMs()} ms)`,
        value: `${backMs} ms`,
        target: `≤ spread + drop (${dropMs} ms) + 1 s + stalls`,
        ok: backMs <= allowed,
      });
      // What the clients control (the guarantee): the attempts they schedule stay within the budget per
      // second, and each chose a delay within the spread (a refused early attempt retries sooner). When the
      // welcomes arrive also carries the event-loop stalls of this process on a shared 2-core machine (a
      // full run saw a 6 s stall and then 250 welcomes in one second): recorded above, not asserted.
      if (dueMax > BUDGET) failures.push(`${round.how}: ${dueMax} attempts due in one second`);
      if (gate.peakPerSecond > BUDGET)
        failures.push(`${round.how}: the gateway answered ${gate.peakPerSecond} handshakes in one second`);
      if (gate.refused > 0) failures.push(`${round.how}: the gateway refused ${gate.refused} handshakes`);
      if (backMs > allowed)
        failures.push(`${round.how}: the last client was live after ${backMs} ms (allowed ${allowed})`);
      if (maxDelay > spread) failures.push(`${round.how}: a client waited ${maxDelay} ms`);
      await until("the herd settled", () => gw.gateway.connectionCount() === MANY, 10_000);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});

interface Client {
  welcomes: number[];
  /** For each welcome, when its successful attempt was due (`next_retry_at`), 0 for the first. */
  due: number[];
  /** For each welcome, the delay its client chose for that attempt when it scheduled it. */
  delays: number[];
}

function startClient(gw: TestGateway): Client {
  const c: Client = { welcomes: [], due: [], delays: [] };
  let nextRetryAt = 0;
  let delay = 0;
  const conn = createConnection({
    gatewayUrl: gw.url,
    token: gw.tokens.supervisor,
    createSocket: nodeSocket,
    timing: DEFAULT_TIMING,
    clientName: "spread/1",
    hooks: {
      resume: () => null,
      watch: () => [],
      needsSnapshot: () => false,
      welcome: () => {
        c.welcomes.push(Date.now());
        c.due.push(nextRetryAt);
        c.delays.push(delay);
      },
      frame: () => undefined,
      rejected: () => undefined,
    },
  });
  conn.subscribe(({ info }) => {
    if (info.next_retry_at !== undefined && info.next_retry_at !== nextRetryAt) {
      nextRetryAt = info.next_retry_at;
      delay = nextRetryAt - Date.now();
    }
  });
  conns.push(conn);
  conn.start();
  return c;
}
