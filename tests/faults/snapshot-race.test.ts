/**
 * Issue #9, item 3: the snapshot races the live stream. The gateway's test
 * hook `snapshotDelay` holds every snapshot on the stream for a random time
 * (its state captured part-way through the delay, sent at the end) while
 * about 1,000 live events a second keep flowing. So the worker sees events
 * older than the snapshot and events newer than it arrive before it.
 *
 * Trials alternate between a fresh worker (first connect: welcome with
 * `recovered: false`, then the delayed snapshot) and a long-lived worker whose
 * panel asks for a resync (the delayed snapshot then arrives behind newer
 * events and must be ignored). Every applied event and snapshot is audited:
 * 0 lost, 0 duplicated. The gateway runs on a manual clock the test pumps a
 * fixed step at a time (about real time on an idle machine, slower on a busy
 * one), so after each trial it can hold the traffic a moment and compare the
 * worker's sessions with the gateway's at the same seq.
 */
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { SocketLike } from "../../utils/connection/socket";
import { EXTENSION_ORIGIN } from "../../utils/extension-id";
import { startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until";
import { comparable, createFakePanel, type NodeWorker, startNodeWorker } from "../helpers/worker-node";
import { FULL, recordFigure, scale } from "./figures";
import { createRandom, haltTraffic, orgOf, SEED, SeqAudit } from "./kit";

const TRIALS = scale(1_000, 50);
const MAX_DELAY_MS = scale(500, 100);
/** Events each trial must see applied after its snapshot before it is judged. */
const AFTER = 30;

let tg: TestGateway | undefined;
let pump: ReturnType<typeof setInterval> | undefined;
const workers = new Set<NodeWorker>();
afterAll(async () => {
  clearInterval(pump);
  for (const w of workers) await w.core.stop();
  await tg?.stop();
});

interface Audited {
  worker: NodeWorker;
  audit: SeqAudit;
  /** Events applied while a snapshot was being applied (its buffered successors). */
  drained: number;
  snapshotsSeen: () => number;
}

async function startAudited(gw: TestGateway): Promise<Audited> {
  const audit = new SeqAudit();
  let inSnapshot = false;
  let seen = 0;
  const a: Audited = {
    worker: undefined as unknown as NodeWorker,
    audit,
    drained: 0,
    snapshotsSeen: () => seen,
  };
  // Count the snapshot frames that arrive (applied or not), to know when a resync was answered.
  const createSocket = (url: string) => {
    const s = new WebSocket(url, { origin: EXTENSION_ORIGIN });
    s.on("message", (d) => {
      if (d.toString().includes('"type":"snapshot"')) seen++;
    });
    return s as unknown as SocketLike;
  };
  a.worker = await startNodeWorker(
    { gatewayUrl: gw.url, token: gw.tokens.supervisor },
    {
      createSocket,
      onEvent: (e) => {
        audit.event(e.epoch, e.seq);
        if (inSnapshot) a.drained++;
      },
      onSnapshot: (s) => {
        audit.snapshot(s.epoch, s.seq);
        inSnapshot = true;
        queueMicrotask(() => {
          inSnapshot = false;
        });
      },
    },
  );
  workers.add(a.worker);
  return a;
}

const clean = (a: SeqAudit, until: number) =>
  a.lost(until) === 0 && a.duplicated === 0 && a.reordered === 0 && a.unanchored === 0;

describe("item 3: snapshot delayed while live events flow", () => {
  it(`${TRIALS} trials, snapshot delayed 0–${MAX_DELAY_MS} ms at ~1,000 events/s: 0 lost, 0 duplicated`, async () => {
    const random = createRandom(SEED);
    let delays = 0;
    const gw = await startTestGateway({
      manualClock: true,
      sessions: 200,
      rate: 1300,
      newPerMinute: 3000,
      tokensPerSecond: 1000,
      historyLimit: 200_000,
      snapshotDelay: () => {
        delays++;
        const total = random() * MAX_DELAY_MS;
        const split = random();
        return { capture: total * split, send: total * (1 - split) };
      },
    });
    tg = gw;
    const { orgId, org } = orgOf(gw);
    const log = org.state.log;
    // Simulated time moves one fixed step per pump tick while the traffic runs, and stands still while it
    // is held. A fixed step, not "catch up with real time": on a starved machine the ticks come later and
    // simulated time slows down with them. Catching up instead made each late tick generate more events
    // synchronously, which made the next tick later still — a spiral in which the gateway and the workers
    // (all in this one event loop) got no turn for their sockets: a worker waited 27 s for its WebSocket
    // to open, and fresh workers gave up on welcomes that were already on their way.
    const STEP_MS = 5;
    let held = false;
    /** Simulated milliseconds of traffic so far (the event rate is per simulated second). */
    let running = 0;
    pump = setInterval(() => {
      if (held) return;
      gw.gateway.clock.advance(STEP_MS);
      running += STEP_MS;
    }, STEP_MS);
    const states: string[] = [];
    /** Holds the traffic, lets the worker catch up and compares its sessions with the gateway's. */
    async function sameAsGateway(w: NodeWorker, what: string): Promise<void> {
      held = true;
      await until(what, () => cursorOf(w) === log.lastSeq() && w.core.dump().phase === "live", 10_000);
      const mine = JSON.stringify(comparable(w.core.dump().sessions));
      if (mine !== JSON.stringify(comparable(gw.gateway.snapshot(orgId).sessions))) states.push(what);
      held = false;
    }

    const steady = await startAudited(gw);
    const panel = createFakePanel();
    steady.worker.core.connectPanel(panel.port);
    const cursorOf = (w: NodeWorker) => w.core.dump().cursor?.seq ?? 0;
    await until(
      'steady.audit.snapshots === 1 && steady.worker.core.dump().phase === "live"',
      () => steady.audit.snapshots === 1 && steady.worker.core.dump().phase === "live",
      10_000,
    );

    const seq0 = log.lastSeq();
    const running0 = running;
    let fresh: Audited | undefined;
    const failures: string[] = [];
    const coverage = { droppedBefore: 0, drainedAfter: 0, ignored: 0 };
    /** Replays the workers had to ask for: none, every event around a snapshot is used from the buffer. */
    let gaps = 0;
    for (let i = 0; i < TRIALS; i++) {
      if (i % 2 === 0) {
        // A fresh worker: its first snapshot is delayed while events already stream to it.
        if (fresh) {
          await fresh.worker.core.stop();
          workers.delete(fresh.worker);
        }
        const f = await startAudited(gw);
        fresh = f;
        await until(`snapshot of trial ${i} (seed ${SEED})`, () => f.audit.snapshots >= 1, 5_000);
        const target = (f.audit.high ?? 0) + AFTER;
        await until(`events after trial ${i}`, () => cursorOf(f.worker) >= target, 10_000);
        const upTo = cursorOf(f.worker);
        gaps += f.worker.core.counters.gaps;
        if (f.worker.core.counters.duplicates_dropped > 0) coverage.droppedBefore++;
        if (f.drained > 0) coverage.drainedAfter++;
        if (!clean(f.audit, upTo))
          failures.push(
            `trial ${i} (fresh): lost ${f.audit.lost(upTo)} dup ${f.audit.duplicated} reordered ${f.audit.reordered} early ${f.audit.unanchored}`,
          );
        await sameAsGateway(f.worker, `trial ${i} (fresh)`);
      } else {
        // The long-lived worker asks for a resync: the snapshot arrives late, behind newer events.
        const seen = steady.snapshotsSeen();
        const resyncs = steady.worker.core.counters.resyncs;
        panel.send({ type: "resync" });
        await until(`resync answer of trial ${i}`, () => steady.snapshotsSeen() > seen, 5_000);
        const target = log.lastSeq() + AFTER;
        await until(`events after trial ${i}`, () => cursorOf(steady.worker) >= target, 10_000);
        if (steady.worker.core.counters.resyncs === resyncs) coverage.ignored++;
        const upTo = cursorOf(steady.worker);
        if (!clean(steady.audit, upTo))
          failures.push(
            `trial ${i} (resync): lost ${steady.audit.lost(upTo)} dup ${steady.audit.duplicated} reordered ${steady.audit.reordered}`,
          );
        await sameAsGateway(steady.worker, `trial ${i} (resync)`);
      }
    }
    const rate = ((log.lastSeq() - seq0) * 1000) / Math.max(1, running - running0);
    gaps += steady.worker.core.counters.gaps;

    haltTraffic(gw);
    const end = log.lastSeq();
    const last = fresh as Audited;
    for (const a of [steady, last])
      await until(
        'cursorOf(a.worker) === end && a.worker.core.dump().phase === "live"',
        () => cursorOf(a.worker) === end && a.worker.core.dump().phase === "live",
        10_000,
      );
    const snapshot = gw.gateway.snapshot(orgId);
    const equal = [steady, last].every(
      (a) =>
        JSON.stringify(comparable(a.worker.core.dump().sessions)) ===
        JSON.stringify(comparable(snapshot.sessions)),
    );
    const lost = steady.audit.lost(end) + last.audit.lost(end);
    const duplicated = steady.audit.duplicated + last.audit.duplicated;
    console.log(
      `[faults/snapshot-race] seed=${SEED} trials=${TRIALS} delays=${delays} rate=${rate.toFixed(0)}/s ` +
        `coverage=${JSON.stringify(coverage)} gaps=${gaps} failures=${failures.length} ${failures.slice(0, 5).join("; ")} ` +
        `state_mismatches=${states.length} ${states.slice(0, 5).join("; ")}`,
    );
    recordFigure({
      item: 3,
      what: `trials with a lost or duplicated event (${TRIALS} trials, snapshot delayed 0–${MAX_DELAY_MS} ms, ${rate.toFixed(0)} events/s live)`,
      value: `${failures.length}`,
      target: "0",
      ok: failures.length === 0 && lost === 0 && duplicated === 0,
    });
    recordFigure({
      item: 3,
      what: "trials after which the worker's sessions differ from the gateway's",
      value: `${states.length + (equal ? 0 : 1)}`,
      target: "0",
      ok: states.length === 0 && equal,
    });
    const minRate = FULL ? 1000 : 500;
    recordFigure({
      item: 3,
      what: "live event rate during the snapshot trials",
      value: `${rate.toFixed(0)} events/s`,
      target: `≥ ${minRate} events/s`,
      ok: rate >= minRate,
    });

    expect(failures).toEqual([]);
    expect(states).toEqual([]);
    expect(gaps).toBe(0);
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(equal).toBe(true);
    // The race really happened: events older and newer than the snapshot came before it.
    expect(coverage.droppedBefore).toBeGreaterThan(0);
    expect(coverage.drainedAfter).toBeGreaterThan(0);
    expect(coverage.ignored).toBeGreaterThan(0);
    expect(rate).toBeGreaterThanOrEqual(minRate);
  }, 1_800_000);
});
