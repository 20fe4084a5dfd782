/**
 * When the cursor cannot be continued, the worker takes a snapshot and ends
 * equal to the gateway: a gateway restarted without persisted history (new
 * epoch), and a cursor older than the gateway's history window — on the
 * socket and while polling (409 SNAPSHOT_REQUIRED).
 */

import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { SocketLike } from "../../utils/connection/socket";
import { startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until";
import { comparable, type NodeWorker, startNodeWorker } from "../helpers/worker-node";

let tg: TestGateway | undefined;
let w: NodeWorker | undefined;
afterEach(async () => {
  await w?.core.stop();
  await tg?.stop();
  w = undefined;
  tg = undefined;
});

function orgOf(gw: TestGateway) {
  const orgId = gw.gateway.options.users.find((u) => u.token === gw.tokens.supervisor)?.org_id ?? "";
  const org = gw.gateway.orgs.get(orgId);
  if (!org) throw new Error("no org");
  return { orgId, org };
}

async function settle(gw: TestGateway, worker: NodeWorker) {
  for (const sim of gw.gateway.sims.values()) sim.stop();
  const { orgId, org } = orgOf(gw);
  const end = org.state.log.lastSeq();
  await until(
    "caught up with the gateway",
    () => worker.core.dump().cursor?.seq === end && worker.core.dump().cursor?.epoch === org.state.log.epoch,
    15_000,
  );
  expect(comparable(worker.core.dump().sessions)).toEqual(comparable(gw.gateway.snapshot(orgId).sessions));
}

describe("resync against the real gateway", () => {
  it("a gateway restarted with a new epoch: snapshot on reconnect, same state", async () => {
    tg = await startTestGateway({ sessions: 10, rate: 200 });
    const worker = await startNodeWorker({ gatewayUrl: tg.url, token: tg.tokens.supervisor });
    w = worker;
    await until("some events", () => (worker.core.dump().cursor?.seq ?? 0) > 100, 15_000);
    const oldEpoch = worker.core.dump().cursor?.epoch;
    tg = await tg.restart();
    const gw = tg;
    await until("the new epoch", () => worker.core.dump().cursor?.epoch !== oldEpoch, 15_000);
    await settle(gw, worker);
    expect(worker.core.counters.resyncs).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("a cursor older than the history window: snapshot instead of replay", async () => {
    tg = await startTestGateway({ sessions: 10, rate: 300, historyLimit: 50 });
    const gw = tg;
    const { org } = orgOf(gw);
    const first = await startNodeWorker({ gatewayUrl: gw.url, token: gw.tokens.supervisor });
    w = first;
    await until("some events", () => (first.core.dump().cursor?.seq ?? 0) > 50, 15_000);
    await first.core.stop();
    const at = first.core.dump().cursor?.seq ?? 0;
    await until("history moves past the cursor", () => org.state.log.lastSeq() > at + 200, 15_000);
    const second = await startNodeWorker(
      { gatewayUrl: gw.url, token: gw.tokens.supervisor },
      { storage: first.storage },
    );
    w = second;
    await settle(gw, second);
    expect(second.core.counters.resyncs).toBe(1);
  }, 60_000);

  it("while polling: 409 SNAPSHOT_REQUIRED after a new epoch is answered with GET /v1/snapshot", async () => {
    tg = await startTestGateway({ sessions: 10, rate: 200 });
    const refused = (url: string) =>
      new WebSocket(url, { origin: "https://not-allowed.example" }) as unknown as SocketLike;
    const worker = await startNodeWorker(
      { gatewayUrl: tg.url, token: tg.tokens.supervisor },
      { createSocket: refused },
    );
    w = worker;
    await until("polling", () => worker.core.dump().connection.state === "polling", 10_000);
    await until("events by polling", () => (worker.core.dump().cursor?.seq ?? 0) > 50, 15_000);
    const oldEpoch = worker.core.dump().cursor?.epoch;
    tg = await tg.restart();
    const gw = tg;
    await until("the new epoch by polling", () => worker.core.dump().cursor?.epoch !== oldEpoch, 15_000);
    await settle(gw, worker);
    expect(worker.core.dump().connection.state).toBe("polling");
  }, 60_000);
});
