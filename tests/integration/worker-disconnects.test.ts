/**
 * The worker's core (the same code the extension runs) against the real
 * reference gateway with simulated traffic: 200 forced disconnects during a
 * 20,000-event stream must end with the worker's state equal to the
 * gateway's snapshot and no event lost or applied twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventFrame } from "../../utils/protocol";
import { api, startTestGateway, type TestGateway } from "../helpers/gateway";
import {
  comparable,
  createFakePanel,
  type NodeWorker,
  startNodeWorker,
  waitUntil,
} from "../helpers/worker-node";

const EVENTS = 20_000;
const DISCONNECTS = 200;

let tg: TestGateway;
let w: NodeWorker;
afterAll(async () => {
  await w?.core.stop();
  await tg?.stop();
});

describe("worker vs the real gateway under forced disconnects", () => {
  const applied: number[] = [];
  let orgId = "";
  beforeAll(async () => {
    tg = await startTestGateway({
      sessions: 150,
      rate: 4000,
      newPerMinute: 2000,
      tokensPerSecond: 4000,
      historyLimit: 100_000,
    });
    orgId = tg.gateway.options.users.find((u) => u.token === tg.tokens.supervisor)?.org_id ?? "";
    w = await startNodeWorker(
      { gatewayUrl: tg.url, token: tg.tokens.supervisor },
      { onEvent: (e: EventFrame) => applied.push(e.seq) },
    );
  });

  it(`${DISCONNECTS} disconnects during ${EVENTS} events: nothing lost, nothing repeated, same state`, async () => {
    const org = tg.gateway.orgs.get(orgId);
    if (!org) throw new Error("no org");
    const log = org.state.log;
    await waitUntil(() => w.core.dump().connection.state === "connected", 10_000, "first connect");
    const start = log.lastSeq();
    const panel = createFakePanel();
    w.core.connectPanel(panel.port);
    const watched = w.core
      .dump()
      .sessions.slice(0, 3)
      .map((s) => s.id);
    panel.send({ type: "watch", session_ids: watched });

    const t0 = Date.now();
    const codes = [4200, 1012, 4210, 1001];
    for (let i = 0; i < DISCONNECTS; i++) {
      const target = start + Math.round(((i + 1) * EVENTS) / (DISCONNECTS + 1));
      await waitUntil(() => log.lastSeq() >= target, 60_000, `gateway seq ${target}`);
      // Each close must hit a live session: wait for the reconnect after the previous one.
      await waitUntil(
        () => w.core.counters.reconnects >= i && w.core.dump().connection.state === "connected",
        10_000,
        `reconnect ${i}`,
      );
      tg.gateway.closeAllSockets(codes[i % codes.length]);
    }
    await waitUntil(() => log.lastSeq() >= start + EVENTS, 60_000, "the whole stream");
    for (const o of tg.gateway.orgs.values()) o.sim.stop();
    const end = log.lastSeq();
    await waitUntil(
      () =>
        w.core.dump().cursor?.seq === end &&
        w.core.dump().phase === "live" &&
        w.core.counters.reconnects === DISCONNECTS &&
        w.core.dump().connection.state === "connected",
      30_000,
      "catch-up after the last reconnect",
    );
    const elapsed = Date.now() - t0;

    // Nothing lost, nothing repeated: each seq after the first snapshot applied exactly once, in order.
    const counters = w.core.counters;
    const first = applied.findIndex((s) => s > start);
    const tail = applied.slice(first);
    let repeated = 0;
    let lost = 0;
    for (let i = 1; i < tail.length; i++) {
      const d = (tail[i] as number) - (tail[i - 1] as number);
      if (d <= 0) repeated++;
      else if (d > 1) lost += d - 1;
    }
    const snapshot = tg.gateway.snapshot(orgId);
    expect(comparable(w.core.dump().sessions)).toEqual(comparable(snapshot.sessions));
    expect(w.core.dump().cursor).toEqual({ epoch: snapshot.epoch, seq: snapshot.seq });

    // The transcripts of watched sessions match the gateway's.
    await waitUntil(() => w.core.panelState().transcripts.every((t) => t.loaded), 10_000, "transcripts");
    for (const t of w.core.panelState().transcripts) {
      const res = await api(tg, tg.tokens.supervisor, `/v1/sessions/${t.session_id}`);
      if (res.status !== 200) continue;
      expect(t.messages.map((m) => m.id)).toEqual(res.body.messages.map((m: { id: string }) => m.id));
    }
    console.log(
      `[worker-disconnects] events=${end - start} disconnects=${DISCONNECTS} reconnects=${counters.reconnects} ` +
        `applied=${counters.events_applied} duplicates_dropped=${counters.duplicates_dropped} gaps=${counters.gaps} ` +
        `resyncs=${counters.resyncs} rejected=${counters.frames_rejected} lost=${lost} repeated=${repeated} ` +
        `time=${(elapsed / 1000).toFixed(1)}s`,
    );
    expect(end - start).toBeGreaterThanOrEqual(EVENTS);
    expect(counters.reconnects).toBe(DISCONNECTS);
    expect(repeated).toBe(0);
    expect(counters.resyncs === 0 ? lost : 0).toBe(0);
    expect(counters.frames_rejected).toBe(0);
  }, 180_000);
});
