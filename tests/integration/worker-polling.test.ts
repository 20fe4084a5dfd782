/**
 * The polling fallback against the real gateway: while the socket is refused
 * (403 at the upgrade: a foreign origin), GET /v1/events carries the stream
 * and POST /v1/commands the commands; once the socket is accepted again the
 * worker hands back to it. Nothing is lost or repeated across either switch.
 * Also: a worker restarted from its persisted state resumes where it was.
 */

import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { SocketLike } from "../../utils/connection/socket";
import { EXTENSION_ORIGIN } from "../../utils/extension-id";
import type { EventFrame } from "../../utils/protocol";
import { simOf, startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until";
import { comparable, createFakePanel, type NodeWorker, startNodeWorker } from "../helpers/worker-node";

let tg: TestGateway | undefined;
let w: NodeWorker | undefined;
afterEach(async () => {
  await w?.core.stop();
  await tg?.stop();
  w = undefined;
  tg = undefined;
});

function contiguity(applied: number[]) {
  let lost = 0;
  let repeated = 0;
  for (let i = 1; i < applied.length; i++) {
    const d = (applied[i] as number) - (applied[i - 1] as number);
    if (d <= 0) repeated++;
    else if (d > 1) lost += d - 1;
  }
  return { lost, repeated };
}

describe("polling fallback and restart against the real gateway", () => {
  it("polls while the socket is refused, sends commands over HTTP, and hands back to the socket cleanly", async () => {
    const gw = await startTestGateway({ sessions: 20, rate: 300, tokensPerSecond: 400 });
    tg = gw;
    const orgId = gw.gateway.options.users.find((u) => u.token === gw.tokens.supervisor)?.org_id ?? "";
    const org = gw.gateway.orgs.get(orgId);
    if (!org) throw new Error("no org");
    let refuse = true;
    const attempts = { refused: 0, accepted: 0 };
    const createSocket = (url: string) => {
      if (refuse) attempts.refused++;
      else attempts.accepted++;
      return new WebSocket(url, {
        origin: refuse ? "https://not-allowed.example" : EXTENSION_ORIGIN,
      }) as unknown as SocketLike;
    };
    const applied: number[] = [];
    w = await startNodeWorker(
      { gatewayUrl: gw.url, token: gw.tokens.supervisor },
      { createSocket, onEvent: (e: EventFrame) => applied.push(e.seq) },
    );
    const worker = w;
    await until("polling", () => worker.core.dump().connection.state === "polling", 10_000);
    const polledFrom = worker.core.dump().cursor?.seq ?? 0;
    await until("events by polling", () => (worker.core.dump().cursor?.seq ?? 0) >= polledFrom + 500, 20_000);

    // A command while only polling works goes by POST /v1/commands with the same cmd_id.
    const panel = createFakePanel();
    worker.core.connectPanel(panel.port);
    // A session of its own that waits for its user: under this traffic any other may end before the
    // command lands, and the honest answer would then be SESSION_ENDED.
    const target = simOf(gw.gateway).spawn({ auto: false }).id;
    await until(
      "the target session by polling",
      () => worker.core.dump().sessions.some((s) => s.id === target),
      20_000,
    );
    const cmdId = "6f1c2b1e-3d4a-4b5c-8d6e-0f1a2b3c4d5e";
    panel.send({
      type: "command",
      cmd_id: cmdId,
      action: "cobrowse_start",
      session_id: target,
      reason: "quality check",
    });
    await until(
      "command answer",
      () =>
        panel.messages.some(
          (m) => m.type === "command_status" && m.result.cmd_id === cmdId && m.result.status !== "pending",
        ),
      10_000,
    );
    const result = panel.messages.find((m) => m.type === "command_status" && m.result.status !== "pending");
    expect(result?.type === "command_status" && result.result.status).toBe("acked");
    expect(worker.core.dump().connection.state).toBe("polling");

    refuse = false;
    await until("back on the socket", () => worker.core.dump().connection.state === "connected", 10_000);
    const handedBackAt = worker.core.dump().cursor?.seq ?? 0;
    await until("live events", () => (worker.core.dump().cursor?.seq ?? 0) >= handedBackAt + 300, 20_000);
    for (const sim of gw.gateway.sims.values()) sim.stop();
    const end = org.state.log.lastSeq();
    await until("catch-up", () => worker.core.dump().cursor?.seq === end, 10_000);

    const c = worker.core.counters;
    const { lost, repeated } = contiguity(applied);
    console.log(
      `[worker-polling] refused=${attempts.refused} accepted=${attempts.accepted} applied=${c.events_applied} ` +
        `by_polling>=${handedBackAt - polledFrom} duplicates_dropped=${c.duplicates_dropped} gaps=${c.gaps} ` +
        `resyncs=${c.resyncs} lost=${lost} repeated=${repeated}`,
    );
    expect(attempts.refused).toBeGreaterThan(0);
    expect(lost).toBe(0);
    expect(repeated).toBe(0);
    expect(c.resyncs).toBe(0);
    expect(comparable(worker.core.dump().sessions)).toEqual(comparable(gw.gateway.snapshot(orgId).sessions));
  }, 90_000);

  it("a restarted worker restores its state and resumes from the persisted cursor", async () => {
    const gw = await startTestGateway({ sessions: 20, rate: 300 });
    tg = gw;
    const orgId = gw.gateway.options.users.find((u) => u.token === gw.tokens.supervisor)?.org_id ?? "";
    const log = gw.gateway.orgs.get(orgId)?.state.log;
    if (!log) throw new Error("no org");
    const first = await startNodeWorker({ gatewayUrl: gw.url, token: gw.tokens.supervisor });
    w = first;
    await until("some events", () => (first.core.dump().cursor?.seq ?? 0) > 300, 20_000);
    await first.core.stop(); // as Chrome would, minus the chance to say goodbye: state was persisted already
    const storage = first.storage;
    await until(
      "events while dead",
      () => log.lastSeq() > (first.core.dump().cursor?.seq ?? 0) + 200,
      20_000,
    );

    const t0 = Date.now();
    const applied: number[] = [];
    const second = await startNodeWorker(
      { gatewayUrl: gw.url, token: gw.tokens.supervisor },
      { storage, onEvent: (e: EventFrame) => applied.push(e.seq) },
    );
    w = second;
    expect(second.core.dump().sessions.length).toBeGreaterThan(0); // restored before any network
    await until(
      'second.core.dump().connection.state === "connected"',
      () => second.core.dump().connection.state === "connected",
      10_000,
    );
    for (const sim of gw.gateway.sims.values()) sim.stop();
    const end = log.lastSeq();
    await until("catch-up", () => second.core.dump().cursor?.seq === end, 10_000);
    const recoveryMs = Date.now() - t0;
    console.log(
      `[worker-restart] replayed=${applied.length} resyncs=${second.core.counters.resyncs} recovery=${recoveryMs}ms`,
    );
    expect(second.core.counters.resyncs).toBe(0);
    expect(contiguity(applied)).toEqual({ lost: 0, repeated: 0 });
    expect(comparable(second.core.dump().sessions)).toEqual(comparable(gw.gateway.snapshot(orgId).sessions));
  }, 60_000);
});
