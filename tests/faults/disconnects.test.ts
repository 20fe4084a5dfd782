/**
 * Issue #9, item 1: random disconnects during a long event stream. The
 * worker's core (the code the extension runs) talks to the real gateway
 * through a TCP proxy; at random points of the stream the link is broken in
 * one of several ways — the gateway closes the socket (with the close codes a
 * gateway uses), the worker drops it (network change), the proxy resets the
 * TCP connection, or resets it in the middle of a frame. Every applied event
 * is audited through the worker's `onEvent`/`onSnapshot` hooks: nothing may
 * be lost, applied twice or out of order, and at the end the worker's state
 * equals the gateway's snapshot (sessions, cursor, watched transcripts).
 */
import { afterAll, describe, expect, it } from "vitest";
import { api, startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until";
import { comparable, createFakePanel, type NodeWorker, startNodeWorker } from "../helpers/worker-node";
import { recordFigure, scale } from "./figures";
import { createRandom, haltTraffic, orgOf, SEED, SeqAudit, startTcpProxy, type TcpProxy } from "./kit";

const EVENTS = scale(50_000, 8_000);
const DISCONNECTS = scale(1_000, 150);
const SESSIONS = 20;

const KINDS = ["gateway-close", "worker-drop", "tcp-reset", "tcp-reset-mid-frame"] as const;
type Kind = (typeof KINDS)[number];
/** Close codes a gateway sends: restarting, state invalidated, going away, error, service restart, over capacity. */
const CODES = [4200, 4210, 1001, 1011, 1012, 4100];

let tg: TestGateway | undefined;
let proxy: TcpProxy | undefined;
let w: NodeWorker | undefined;
afterAll(async () => {
  await w?.core.stop();
  await proxy?.close();
  await tg?.stop();
});

describe("item 1: random disconnects during a long stream", () => {
  it(`${DISCONNECTS} random disconnects during ${EVENTS} events across ${SESSIONS} sessions: 0 lost, 0 duplicated, 0 reordered`, async () => {
    const random = createRandom(SEED);
    const gw = await startTestGateway({
      sessions: SESSIONS,
      rate: 4000,
      newPerMinute: 2000,
      tokensPerSecond: 4000,
      historyLimit: 200_000,
    });
    tg = gw;
    const px = await startTcpProxy(gw.port);
    proxy = px;
    const { orgId, org } = orgOf(gw);
    const log = org.state.log;
    const audit = new SeqAudit();
    const worker = await startNodeWorker(
      { gatewayUrl: px.url, token: gw.tokens.supervisor },
      {
        onEvent: (e) => audit.event(e.epoch, e.seq),
        onSnapshot: (s) => audit.snapshot(s.epoch, s.seq),
      },
    );
    w = worker;
    const connected = () => worker.core.dump().connection.state === "connected";
    await until("first connect", connected, 10_000);
    // A panel watches a few sessions, so deltas and transcript refetches are part of the mix.
    const panel = createFakePanel();
    worker.core.connectPanel(panel.port);
    panel.send({
      type: "watch",
      session_ids: worker.core
        .dump()
        .sessions.slice(0, 3)
        .map((s) => s.id),
    });

    const start = log.lastSeq();
    const targets = Array.from({ length: DISCONNECTS }, () => start + Math.floor(random() * EVENTS)).sort(
      (a, b) => a - b,
    );
    const mix: Record<Kind, number> = {
      "gateway-close": 0,
      "worker-drop": 0,
      "tcp-reset": 0,
      "tcp-reset-mid-frame": 0,
    };
    const t0 = Date.now();
    for (let i = 0; i < DISCONNECTS; i++) {
      const target = targets[i] as number;
      await until(`gateway seq ${target}`, () => log.lastSeq() >= target, 60_000);
      const before = worker.core.counters.reconnects;
      const kind = KINDS[Math.floor(random() * KINDS.length)] as Kind;
      mix[kind]++;
      switch (kind) {
        case "gateway-close":
          gw.gateway.closeAllSockets(CODES[Math.floor(random() * CODES.length)], "fault: gateway close");
          break;
        case "worker-drop":
          worker.core.dropSocket();
          break;
        case "tcp-reset":
          px.cut();
          break;
        case "tcp-reset-mid-frame":
          px.cutMidFrame();
          break;
      }
      // Each break must hit a live session: wait until the worker is back before the next one.
      await until(
        `reconnect after disconnect ${i} (${kind}, seed ${SEED})`,
        () => worker.core.counters.reconnects > before && connected(),
        15_000,
      );
    }
    await until("the whole stream", () => log.lastSeq() >= start + EVENTS, 120_000);
    haltTraffic(gw);
    const end = log.lastSeq();
    await until(
      "catch-up after the last reconnect",
      () => worker.core.dump().cursor?.seq === end && worker.core.dump().phase === "live" && connected(),
      30_000,
    );
    const elapsed = Date.now() - t0;

    const snapshot = gw.gateway.snapshot(orgId);
    const stateEqual =
      JSON.stringify(comparable(worker.core.dump().sessions)) ===
      JSON.stringify(comparable(snapshot.sessions));
    await until("transcripts", () => worker.core.panelState().transcripts.every((t) => t.loaded), 10_000);
    let transcriptsEqual = true;
    for (const t of worker.core.panelState().transcripts) {
      const res = await api(gw, gw.tokens.supervisor, `/v1/sessions/${t.session_id}`);
      if (res.status !== 200) continue;
      const ids = res.body.messages.map((m: { id: string }) => m.id);
      if (JSON.stringify(t.messages.map((m) => m.id)) !== JSON.stringify(ids)) transcriptsEqual = false;
    }

    const c = worker.core.counters;
    const lost = audit.lost(end);
    console.log(
      `[faults/disconnects] seed=${SEED} events=${end - start} disconnects=${DISCONNECTS} ${JSON.stringify(mix)} ` +
        `reconnects=${c.reconnects} applied=${c.events_applied} duplicates_dropped=${c.duplicates_dropped} ` +
        `gaps=${c.gaps} resyncs=${c.resyncs} lost=${lost} duplicated=${audit.duplicated} ` +
        `reordered=${audit.reordered} time=${(elapsed / 1000).toFixed(1)}s`,
    );
    const ok = lost === 0 && audit.duplicated === 0 && audit.reordered === 0;
    recordFigure({
      item: 1,
      what: `lost / duplicated / reordered (${DISCONNECTS} random disconnects, ${end - start} events, ${SESSIONS} sessions)`,
      value: `${lost} / ${audit.duplicated} / ${audit.reordered}`,
      target: "0 / 0 / 0",
      ok,
    });
    recordFigure({
      item: 1,
      what: "worker state after the stream (sessions, cursor, watched transcripts)",
      value: stateEqual && transcriptsEqual ? "= gateway snapshot" : "differs",
      target: "= gateway snapshot",
      ok: stateEqual && transcriptsEqual,
    });

    expect(end - start).toBeGreaterThanOrEqual(EVENTS);
    expect(c.reconnects).toBe(DISCONNECTS);
    expect({ lost, duplicated: audit.duplicated, reordered: audit.reordered }).toEqual({
      lost: 0,
      duplicated: 0,
      reordered: 0,
    });
    expect(audit.unanchored).toBe(0);
    expect(c.frames_rejected).toBe(0);
    expect(comparable(worker.core.dump().sessions)).toEqual(comparable(snapshot.sessions));
    expect(worker.core.dump().cursor).toEqual({ epoch: snapshot.epoch, seq: snapshot.seq });
    expect(transcriptsEqual).toBe(true);
  }, 600_000);
});
