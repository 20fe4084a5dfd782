import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mergeTranscript } from "../../utils/panel/transcript-sharing";
import type { Transcript } from "../../utils/panel-messages";
import { CloseCode } from "../../utils/protocol";
import { until } from "../helpers/until";
import { type FakeGateway, startFakeGateway } from "../helpers/worker-fake-gateway";
import { comparable, createFakePanel, type NodeWorker, startNodeWorker } from "../helpers/worker-node";

let gw: FakeGateway;
let w: NodeWorker | undefined;
beforeEach(async () => {
  gw = await startFakeGateway();
});
afterEach(async () => {
  await w?.core.stop();
  w = undefined;
  await gw.stop();
});

const hellos = () => gw.received.filter((f) => f.type === "hello");
const synced = () =>
  w?.core.dump().cursor?.seq === gw.events.length &&
  JSON.stringify(comparable(w.core.dump().sessions)) === JSON.stringify(comparable(gw.sessions()));

describe("connection against a protocol test server", () => {
  it("says hello, takes the snapshot, applies live events and measures latency", async () => {
    gw.push("session_started", "ses_a");
    w = await startNodeWorker({ gatewayUrl: gw.url, token: gw.token });
    await until("connected", () => w?.core.dump().connection.state === "connected", 5000);
    expect(hellos()[0]).toMatchObject({ type: "hello", v: 1, token: gw.token });
    expect(hellos()[0]?.resume).toBeUndefined();
    gw.push("message_received", "ses_a");
    gw.push("session_started", "ses_b");
    await until("synced", synced, 5000);
    await until("latency", () => w?.core.dump().connection.latency_ms !== null, 5000);
    expect(w.core.counters.events_applied).toBe(2);
  });

  it("resumes from its cursor after a forced disconnect: nothing lost, nothing repeated", async () => {
    w = await startNodeWorker({ gatewayUrl: gw.url, token: gw.token });
    await until(
      'w?.core.dump().connection.state === "connected"',
      () => w?.core.dump().connection.state === "connected",
      5000,
    );
    gw.push("session_started", "ses_a");
    await until("synced", synced, 10_000);
    for (let round = 0; round < 5; round++) {
      gw.closeAll(round % 2 ? CloseCode.restarting : 1012);
      for (let i = 0; i < 5; i++) gw.push("message_received", "ses_a", undefined, true);
      await until(`round ${round}`, synced, 5000);
    }
    const last = hellos().at(-1);
    expect(last?.resume).toMatchObject({ epoch: gw.epoch });
    expect(w.core.counters.reconnects).toBe(5);
    expect(w.core.counters.events_applied).toBe(26);
    expect(w.core.counters.resyncs).toBe(0);
  });

  it("fills a gap by asking for a replay", async () => {
    w = await startNodeWorker({ gatewayUrl: gw.url, token: gw.token });
    await until(
      'w?.core.dump().connection.state === "connected"',
      () => w?.core.dump().connection.state === "connected",
      5000,
    );
    gw.push("session_started", "ses_a");
    gw.push("message_received", "ses_a", undefined, true); // lost on the way
    gw.push("message_received", "ses_a");
    await until("synced", synced, 10_000);
    expect(gw.received.find((f) => f.type === "replay")).toMatchObject({ after: 1 });
    expect(w.core.counters.gaps).toBe(1);
  });

  it("stops and says why on 4001", async () => {
    w = await startNodeWorker({ gatewayUrl: gw.url, token: "wrong" });
    await until(
      'w?.core.dump().connection.state === "unauthorized"',
      () => w?.core.dump().connection.state === "unauthorized",
      5000,
    );
    expect(w.core.dump().connection.detail).toMatch(/4001/);
    // Stopped for good: no retry is scheduled, so no hello follows.
    const n = hellos().length;
    expect(w.core.dump().connection.next_retry_at).toBeUndefined();
    await until("badge", () => w?.badge.text === "!", 2000);
    expect(hellos().length).toBe(n);
  });

  it("polls when the socket is refused and hands back to the socket without loss or repeats", async () => {
    gw.refuseSockets = true;
    gw.push("session_started", "ses_a");
    w = await startNodeWorker({ gatewayUrl: gw.url, token: gw.token });
    await until("polling", () => w?.core.dump().connection.state === "polling", 5000);
    for (let i = 0; i < 20; i++) gw.push("message_received", "ses_a", undefined, true);
    await until("synced by polling", synced, 5000);
    const panel = createFakePanel();
    w.core.connectPanel(panel.port);
    panel.send({
      type: "command",
      cmd_id: "c-http-1",
      action: "pause",
      session_id: "ses_a",
      reason: "checking it",
    });
    await until("gw.httpCommands.length === 1", () => gw.httpCommands.length === 1, 10_000);
    expect(gw.httpCommands[0]?.key).toBe("c-http-1");
    gw.refuseSockets = false;
    await until("back on the socket", () => w?.core.dump().connection.state === "connected", 5000);
    for (let i = 0; i < 5; i++) gw.push("message_received", "ses_a");
    await until("synced", synced, 10_000);
    expect(w.core.counters.events_applied).toBe(25);
    expect(hellos().at(-1)?.resume).toBeDefined();
  });

  it("feeds panels: init, coalesced patches, watch set forwarded, commands acked", async () => {
    gw.push("session_started", "ses_a");
    w = await startNodeWorker({ gatewayUrl: gw.url, token: gw.token });
    await until(
      'w?.core.dump().connection.state === "connected"',
      () => w?.core.dump().connection.state === "connected",
      5000,
    );
    await until("synced", synced, 10_000);
    const panel = createFakePanel();
    w.core.connectPanel(panel.port);
    expect(panel.messages[0]?.type).toBe("init");
    panel.send({ type: "watch", session_ids: ["ses_a"] });
    await until(
      'gw.received.some((f) => f.type === "watch")',
      () => gw.received.some((f) => f.type === "watch"),
      10_000,
    );
    for (let i = 0; i < 100; i++) gw.push("message_received", "ses_a");
    await until("synced", synced, 10_000);
    // After the first, a transcript patch carries only the tail after what the panel has: rebuild it as the panel does.
    const shown = () => {
      let t: Transcript | undefined;
      for (const m of panel.messages)
        if (m.type === "patch" && m.patch.transcripts?.[0]) t = mergeTranscript(t, m.patch.transcripts[0]);
      return t;
    };
    await until("shown()?.messages.length === 100", () => shown()?.messages.length === 100, 10_000);
    expect(panel.messages.filter((m) => m.type === "patch").length).toBeLessThan(30);
    panel.send({
      type: "command",
      cmd_id: "c-1",
      action: "pause",
      session_id: "ses_a",
      reason: "checking it",
    });
    await until(
      'panel.messages.some((m) => m.type === "command_status" && m.result.status === "acked")',
      () => panel.messages.some((m) => m.type === "command_status" && m.result.status === "acked"),
      10_000,
    );
    panel.send({ type: "command", cmd_id: "c-2", action: "pause", session_id: "ses_a", reason: "" });
    await until(
      'panel.messages.some( (m) => m.type === "command_status" && m.result.cmd_id === "c-2" && m.result.status === "failed", )',
      () =>
        panel.messages.some(
          (m) => m.type === "command_status" && m.result.cmd_id === "c-2" && m.result.status === "failed",
        ),
      10_000,
    );
    panel.send({ type: "bogus" });
    expect(w.core.counters.frames_rejected).toBe(1);
  });

  it("comes back after a restart with the same state and resumes from the persisted cursor", async () => {
    gw.push("session_started", "ses_a");
    w = await startNodeWorker({ gatewayUrl: gw.url, token: gw.token });
    await until("synced", synced, 10_000);
    gw.commandAnswer = () => null; // the ack never comes before the "restart"
    const panel = createFakePanel();
    w.core.connectPanel(panel.port);
    panel.send({
      type: "command",
      cmd_id: "c-keep",
      action: "pause",
      session_id: "ses_a",
      reason: "checking it",
    });
    await until(
      'gw.received.some((f) => f.type === "command")',
      () => gw.received.some((f) => f.type === "command"),
      10_000,
    );
    const storage = w.storage;
    await w.core.stop();
    gw.push("message_received", "ses_a", undefined, true);
    gw.commandAnswer = (cmd) => ({ type: "ack", cmd_id: cmd.cmd_id, intervention_id: "int_00000002" });
    w = await startNodeWorker({ gatewayUrl: gw.url, token: gw.token }, { storage });
    expect(w.core.dump().sessions.map((s) => s.id)).toEqual(["ses_a"]); // restored before connecting
    await until("synced", synced, 10_000);
    expect(hellos().at(-1)?.resume).toEqual({ epoch: gw.epoch, seq: 1 });
    const commands = () => gw.received.filter((f) => f.type === "command");
    await until("the command sent again", () => commands().length >= 2, 5000);
    expect(commands().map((c) => c.cmd_id)).toEqual(["c-keep", "c-keep"]);
    await until(
      "w?.core.dump().pendingCommands.length === 0",
      () => w?.core.dump().pendingCommands.length === 0,
      10_000,
    );
  });

  it("declares a silent link dead after idle_timeout_ms and reconnects", async () => {
    gw.timing = { heartbeat_ms: 50, idle_timeout_ms: 300 };
    w = await startNodeWorker({ gatewayUrl: gw.url, token: gw.token });
    await until(
      'w?.core.dump().connection.state === "connected"',
      () => w?.core.dump().connection.state === "connected",
      5000,
    );
    gw.mutePings = true;
    await until("a reconnect after silence", () => hellos().length >= 2, 5000);
    gw.mutePings = false;
    await until(
      'w?.core.dump().connection.state === "connected"',
      () => w?.core.dump().connection.state === "connected",
      5000,
    );
    expect(w.core.counters.reconnects).toBeGreaterThanOrEqual(1);
  });

  it("4008 stops and names the version; 41xx backs off and retries", async () => {
    gw.refuseHelloWith = CloseCode.overCapacity;
    w = await startNodeWorker({ gatewayUrl: gw.url, token: gw.token });
    await until("retries after 4100", () => hellos().length >= 3, 5000);
    gw.refuseHelloWith = CloseCode.unsupportedVersion;
    await until(
      'w?.core.dump().connection.state === "offline"',
      () => w?.core.dump().connection.state === "offline",
      5000,
    );
    expect(w.core.dump().connection.detail).toMatch(/protocol version \(4008\)/);
    const n = hellos().length;
    gw.refuseHelloWith = null;
    // Stopped for good: no retry is scheduled, so no hello follows.
    expect(w.core.dump().connection.next_retry_at).toBeUndefined();
    expect(hellos().length).toBe(n);
  });

  it("polling with a rejected token means unauthorized; a command sent early goes by HTTP once polling works", async () => {
    gw.refuseSockets = true;
    const realUrl = gw.url;
    w = await startNodeWorker({ gatewayUrl: realUrl, token: "not-yet" });
    await until("401 by polling", () => w?.core.dump().connection.state === "unauthorized", 5000);
    await w.core.stop();
    w = await startNodeWorker({ gatewayUrl: realUrl, token: gw.token }, { storage: w.storage });
    const panel = createFakePanel();
    w.core.connectPanel(panel.port);
    gw.push("session_started", "ses_a");
    panel.send({
      type: "command",
      cmd_id: "c-early",
      action: "pause",
      session_id: "ses_a",
      reason: "checking it",
    });
    await until("sent by HTTP", () => gw.httpCommands.some((c) => c.key === "c-early"), 5000);
    await until(
      'panel.messages.some( (m) => m.type === "command_status" && m.result.cmd_id === "c-early" && m.result.status === "acked", )',
      () =>
        panel.messages.some(
          (m) => m.type === "command_status" && m.result.cmd_id === "c-early" && m.result.status === "acked",
        ),
      10_000,
    );
  });

  it("after pollAfterMs without a socket it keeps polling and retries the socket only every socketRetryWhilePollingMs", async () => {
    gw.refuseSockets = true;
    w = await startNodeWorker(
      { gatewayUrl: gw.url, token: gw.token },
      {
        timing: {
          backoffMinMs: 5,
          backoffMaxMs: 20,
          pollIntervalMs: 20,
          pollAfterMs: 150,
          socketRetryWhilePollingMs: 60_000,
        },
      },
    );
    await until("polling", () => w?.core.dump().connection.state === "polling", 5000);
    await until(
      "the slow socket retry",
      () => (w?.core.dump().connection.next_retry_at ?? 0) - Date.now() > 30_000,
      5000,
    );
    expect(w.core.dump().connection.state).toBe("polling");
  });

  it("the browser's online event retries at once instead of waiting for the backoff", async () => {
    w = await startNodeWorker(
      { gatewayUrl: gw.url, token: gw.token },
      { timing: { backoffMinMs: 60_000, backoffMaxMs: 60_000, pollIntervalMs: 60_000 } },
    );
    await until(
      'w?.core.dump().connection.state === "connected"',
      () => w?.core.dump().connection.state === "connected",
      5000,
    );
    gw.refuseSockets = true;
    gw.closeAll(1011);
    await until("reconnecting", () => w?.core.dump().connection.state === "reconnecting", 5000);
    gw.refuseSockets = false;
    w.core.online();
    await until("connected right away", () => w?.core.dump().connection.state === "connected", 5000);
  });
});
