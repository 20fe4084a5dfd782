/**
 * Issue 19 item 1: an agent runtime's sessions survive its socket dropping and
 * a gateway restart on the same data dir. The runtime takes them back in its
 * hello and learns what the gateway numbered last; one that does not come back
 * within `--runtime-grace-ms` loses them with reason `runtime_lost`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type AgentClient, createAgentClient, type WebSocketCtor } from "../../agent-client/index.ts";
import type { AgentWelcomeFrame, EventFrame, InterventionFrame } from "../../utils/protocol/index.ts";
import {
  type AgentSocket,
  DEMO_AGENT_TOKEN,
  openAgentSocket,
  pubId,
  publish,
  sessionData,
  userMessage,
} from "../helpers/agent-socket.ts";
import { connectAs, startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { interventionResult, sendCommand } from "../helpers/supervisor-command.ts";
import { until } from "../helpers/until.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lc-runtime-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function gateway(
  opts: Parameters<typeof startTestGateway>[0],
): Promise<{ tg: () => TestGateway; restart: () => Promise<TestGateway> }> {
  let tg = await startTestGateway({ simulate: false, ...opts });
  cleanups.push(() => tg.stop());
  return {
    tg: () => tg,
    async restart() {
      tg = await tg.restart();
      return tg;
    },
  };
}

async function hello(
  port: number,
  runtimeId: string,
  sessions?: string[],
): Promise<[AgentSocket, AgentWelcomeFrame]> {
  const s = await openAgentSocket(port);
  cleanups.push(() => s.close());
  s.send({
    type: "agent_hello",
    v: 1,
    token: DEMO_AGENT_TOKEN,
    runtime_id: runtimeId,
    ...(sessions ? { sessions } : {}),
  });
  const w = await s.waitFor<AgentWelcomeFrame>((f) => f.type === "agent_welcome");
  return [s, w];
}

const statusOf = (tg: TestGateway, sid: string) =>
  tg.gateway.orgs.get("org_demo")?.state.session(sid)?.session.status;

describe("runtime sessions survive a dropped socket", () => {
  it("keeps them through the grace, gives them back on reconnect, ends them runtime_lost after it", async () => {
    const g = await gateway({ manualClock: true, runtimeGraceMs: 60_000 });
    const tg = g.tg();
    const sup = await connectAs(tg, tg.tokens.admin);
    cleanups.push(() => sup.close());
    const [a] = await hello(tg.port, "rt_drop");
    expect((await publish(a, "session_started", "ses_drop1", sessionData("ses_drop1"))).type).toBe(
      "published",
    );
    const last = await publish(a, "message_received", "ses_drop1", userMessage("m1", "hello"));
    a.close();
    await until("runtime gone", () => !tg.gateway.agents.online("org_demo", "rt_demo/rt_drop"), 5000);
    tg.gateway.clock.advance(59_000);
    expect(statusOf(tg, "ses_drop1")).not.toBe("ended");
    // Back within the grace: the session is its own again, with what the gateway numbered last.
    const [b, w] = await hello(tg.port, "rt_drop", ["ses_drop1", "ses_nowhere"]);
    expect(w.resumed).toEqual([
      { session_id: "ses_drop1", seq: last.type === "published" ? last.seq : -1, last_pub_id: last.pub_id },
    ]);
    expect(w.not_resumed).toEqual([{ session_id: "ses_nowhere", reason: "unknown" }]);
    tg.gateway.clock.advance(120_000);
    expect(statusOf(tg, "ses_drop1")).not.toBe("ended");
    expect((await publish(b, "message_received", "ses_drop1", userMessage("m2", "still here"))).type).toBe(
      "published",
    );
    // Gone for good: after the grace the session ends, saying why.
    b.close();
    await until("runtime gone", () => !tg.gateway.agents.online("org_demo", "rt_demo/rt_drop"), 5000);
    tg.gateway.clock.advance(60_001);
    const ended = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "session_ended" && f.session_id === "ses_drop1",
    );
    expect(ended.data).toMatchObject({ reason: "runtime_lost" });
    const [, again] = await hello(tg.port, "rt_drop", ["ses_drop1"]);
    expect(again.not_resumed).toEqual([{ session_id: "ses_drop1", reason: "ended" }]);
  });
});

describe("runtime sessions survive a gateway restart", () => {
  it("a reconnecting agent client takes its sessions back by itself and keeps publishing", async () => {
    const g = await gateway({ dataDir: dataDir() });
    const lostSessions: string[] = [];
    const agent: AgentClient = createAgentClient({
      url: g.tg().url,
      token: DEMO_AGENT_TOKEN,
      runtimeId: "rt_restart",
      WebSocket: WebSocket as unknown as WebSocketCtor,
      backoff: { minMs: 20, maxMs: 100 },
      onSessionLost: (sid) => lostSessions.push(sid),
    });
    cleanups.push(() => agent.close());
    const sid = agent.startSession({ agent: { id: "agt_example", name: "Example", color: "#0891b2" } });
    agent.userMessage(sid, "before the restart");
    await agent.idle();
    const tg = await g.restart();
    // Published while the gateway was away or coming back: queued, then numbered exactly once.
    const during = agent.agentMessage(sid, "across the restart");
    await until("client back", () => agent.state === "open" && agent.unanswered === 0, 10_000);
    expect(statusOf(tg, sid)).toBe("active");
    expect(await agent.updateSession(sid, { priority: "high" })).toMatchObject({ ok: true });
    const log = tg.gateway.orgs.get("org_demo")?.state.log;
    const texts = (log?.readAfter(0, 1000) ?? [])
      .filter((e) => e.session_id === sid && e.kind === "message_sent")
      .map((e) => (e.data as { id: string }).id);
    expect(texts).toEqual([during]);
    expect(lostSessions).toEqual([]);
    expect(await agent.endSession(sid, "resolved")).toMatchObject({ ok: true });
  });

  it("numbers nothing twice: the welcome names the last publish, and resending it answers its first seq", async () => {
    const g = await gateway({ dataDir: dataDir() });
    const [a] = await hello(g.tg().port, "rt_dedupe");
    await publish(a, "session_started", "ses_dd", sessionData("ses_dd"));
    const pid = pubId();
    a.send({
      type: "publish",
      pub_id: pid,
      event: { kind: "message_received", session_id: "ses_dd", data: userMessage("m1", "x") },
    });
    const first = await a.waitFor((f) => f.type === "published" && f.pub_id === pid);
    const tg = await g.restart();
    const lastSeq = tg.gateway.orgs.get("org_demo")?.state.log.lastSeq();
    const [b, w] = await hello(tg.port, "rt_dedupe", ["ses_dd"]);
    expect(w.resumed).toEqual([
      { session_id: "ses_dd", seq: first.type === "published" ? first.seq : -1, last_pub_id: pid },
    ]);
    b.send({
      type: "publish",
      pub_id: pid,
      event: { kind: "message_received", session_id: "ses_dd", data: userMessage("m1", "x") },
    });
    expect(await b.waitFor((f) => f.type === "published" && f.pub_id === pid)).toEqual(first);
    expect(tg.gateway.orgs.get("org_demo")?.state.log.lastSeq()).toBe(lastSeq);
  });

  it("a runtime that does not come back ends its sessions runtime_lost after the grace; others keep theirs", async () => {
    const g = await gateway({ dataDir: dataDir(), runtimeGraceMs: 400 });
    const [a] = await hello(g.tg().port, "rt_gone");
    const [b] = await hello(g.tg().port, "rt_back");
    await publish(a, "session_started", "ses_gone", sessionData("ses_gone"));
    await publish(b, "session_started", "ses_back", sessionData("ses_back"));
    const tg = await g.restart();
    expect(statusOf(tg, "ses_gone")).toBe("active");
    const sup = await connectAs(tg, tg.tokens.admin);
    cleanups.push(() => sup.close());
    await hello(tg.port, "rt_back");
    const ended = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "session_ended" && f.session_id === "ses_gone",
      5000,
    );
    expect(ended.data).toMatchObject({ reason: "runtime_lost" });
    expect(statusOf(tg, "ses_back")).toBe("active");
  });

  it("an intervention forwarded and not answered before the stop reaches the runtime after it; an answered one does not", async () => {
    const g = await gateway({ dataDir: dataDir() });
    const sup = await connectAs(g.tg(), g.tg().tokens.supervisor);
    cleanups.push(() => sup.close());
    const [a] = await hello(g.tg().port, "rt_iv");
    await publish(a, "session_started", "ses_iv", sessionData("ses_iv"));
    const answered = await sendCommand(sup, "system_message", "ses_iv", { text: "Answered before the stop" });
    await a.waitFor<InterventionFrame>((f) => f.type === "intervention" && f.cmd_id === answered.cmd_id);
    a.send({
      type: "intervention_result",
      intervention_id: answered.intervention_id,
      cmd_id: answered.cmd_id,
      outcome: "applied",
    });
    await interventionResult(sup, answered.intervention_id, 0);
    const open = await sendCommand(sup, "pause", "ses_iv");
    await a.waitFor<InterventionFrame>((f) => f.type === "intervention" && f.cmd_id === open.cmd_id);
    const tg = await g.restart();
    const after = await connectAs(tg, tg.tokens.supervisor);
    cleanups.push(() => after.close());
    const [b] = await hello(tg.port, "rt_iv", ["ses_iv"]);
    const again = await b.waitFor<InterventionFrame>((f) => f.type === "intervention");
    expect(again).toMatchObject({
      intervention_id: open.intervention_id,
      cmd_id: open.cmd_id,
      session_id: "ses_iv",
      action: "pause",
      reason: "Supervisor test",
    });
    b.send({
      type: "intervention_result",
      intervention_id: open.intervention_id,
      cmd_id: open.cmd_id,
      outcome: "applied",
    });
    const result = await interventionResult(after, open.intervention_id, 0);
    expect(result.data).toMatchObject({ outcome: "applied", action: "pause", cmd_id: open.cmd_id });
    // Only the unanswered one came back, and it is answered once for good.
    expect(
      b.frames.filter((f) => f.type === "intervention").map((f) => (f as InterventionFrame).intervention_id),
    ).toEqual([open.intervention_id]);
    expect(tg.gateway.agents.pendingCount()).toBe(0);
  });
});
