/**
 * Issue 21 item 3 against the real gateway: after a snapshot-path resync the
 * worker diffs the snapshot against what it holds, so a panel gets an ordinary
 * patch with only the sessions that changed in the gap and the ids of those
 * that ended in it — never the whole list again — and ends equal to the
 * gateway; so does a panel opened while the worker waits for the snapshot.
 */

import { afterEach, describe, expect, it } from "vitest";
import type { CreateSocket, SocketLike } from "../../utils/connection/socket";
import type { WorkerToPanel } from "../../utils/panel-messages";
import type { Session } from "../../utils/protocol";
import { startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until";
import {
  comparable,
  createFakePanel,
  type NodeWorker,
  nodeSocket,
  startNodeWorker,
} from "../helpers/worker-node";

const SESSIONS = 2000;
/** The gateway keeps this many events (and trims 64 above it): the gap below is longer, so a snapshot. */
const HISTORY = 100;

let tg: TestGateway | undefined;
let w: NodeWorker | undefined;
afterEach(async () => {
  await w?.core.stop();
  await tg?.stop();
  w = undefined;
  tg = undefined;
});

/** Holds snapshot frames (and everything after them) until `release`, to open a panel meanwhile. */
function snapshotGate() {
  let holding = false;
  const queue: (() => void)[] = [];
  const createSocket: CreateSocket = (url) => {
    const ws = nodeSocket(url);
    const outer: SocketLike = {
      get readyState() {
        return ws.readyState;
      },
      send: (d) => ws.send(d),
      close: (c, r) => ws.close(c, r),
      onopen: null,
      onmessage: null,
      onclose: null,
      onerror: null,
    };
    ws.onopen = (e) => outer.onopen?.(e);
    ws.onclose = (e) => outer.onclose?.(e);
    ws.onerror = (e) => outer.onerror?.(e);
    ws.onmessage = (e) => {
      const deliver = () => outer.onmessage?.(e);
      if (
        queue.length > 0 ||
        (holding && (JSON.parse(String(e.data)) as { type?: string }).type === "snapshot")
      )
        queue.push(deliver);
      else deliver();
    };
    return outer;
  };
  return {
    createSocket,
    hold: () => {
      holding = true;
    },
    get held() {
      return queue.length;
    },
    release() {
      holding = false;
      for (const deliver of queue.splice(0)) deliver();
    },
  };
}

/** What a panel holds after its messages: the init's sessions, then each patch's upserts and removals. */
function panelSessions(messages: WorkerToPanel[]): Map<string, Session> {
  let view = new Map<string, Session>();
  for (const m of messages) {
    if (m.type === "init") view = new Map(m.state.sessions.map((s) => [s.id, s]));
    if (m.type !== "patch") continue;
    expect(m.patch).not.toHaveProperty("replace_sessions");
    for (const s of m.patch.upserts ?? []) view.set(s.id, s);
    for (const id of m.patch.removed ?? []) view.delete(id);
  }
  return view;
}

async function setup(createSocket?: CreateSocket) {
  tg = await startTestGateway({
    load: true,
    sessions: SESSIONS,
    rate: 0,
    tokensPerSecond: 0,
    historyLimit: HISTORY,
  });
  const gw = tg;
  const orgId = gw.gateway.options.users.find((u) => u.token === gw.tokens.supervisor)?.org_id ?? "";
  const org = gw.gateway.orgs.get(orgId);
  if (!org) throw new Error("no org");
  const worker = await startNodeWorker(
    { gatewayUrl: gw.url, token: gw.tokens.supervisor },
    createSocket ? { createSocket } : {},
  );
  w = worker;
  const caughtUp = () =>
    until(
      "the worker caught up with the gateway",
      () => worker.core.dump().phase === "live" && worker.core.dump().cursor?.seq === org.state.log.lastSeq(),
      20_000,
    );
  await caughtUp();
  expect(worker.core.dump().sessions).toHaveLength(SESSIONS);
  const ids = gw.gateway.snapshot(orgId).sessions.map((s) => s.id);

  /** The socket drops; meanwhile a few sessions change, one ends, one starts, more events than the history keeps. */
  function gap(): { changed: string[]; ended: string; started: string } {
    const changed = [ids[10], ids[500], ids[1999]] as string[];
    const ended = ids[42] as string;
    const started = "ses_in_the_gap";
    gw.gateway.dropAllSockets();
    // All of it before the worker can reconnect (this is one synchronous run).
    const ts = () => new Date().toISOString();
    for (let i = 0; i < HISTORY * 2; i++)
      org?.state.emit("message_received", changed[i % changed.length] as string, {
        id: `msg_gap${i}`,
        ts: ts(),
        role: "user",
        format: "text",
        text: `in the gap ${i}`,
      });
    org?.state.emit("session_ended", ended, { reason: "resolved", ended_at: ts() });
    const model = gw.gateway.snapshot(orgId).sessions.find((s) => s.id === ids[0]) as Session;
    org?.state.emit("session_started", started, {
      ...model,
      id: started,
      started_at: ts(),
      last_activity_at: ts(),
      message_count: 0,
      preview: "",
    });
    return { changed, ended, started };
  }

  function equalsGateway(sessions: Iterable<Session>): void {
    expect(comparable([...sessions])).toEqual(comparable(gw.gateway.snapshot(orgId).sessions));
  }
  return { worker, caughtUp, gap, equalsGateway };
}

describe("snapshot-path resync without replacing the world (issue 21 item 3)", () => {
  it("the panel's patch holds only the sessions changed in the gap and the ones that ended", async () => {
    const { worker, caughtUp, gap, equalsGateway } = await setup();
    const panel = createFakePanel();
    worker.core.connectPanel(panel.port);
    const fromInit = panel.messages.length;
    const resyncs = worker.core.counters.resyncs;
    const { changed, ended, started } = gap();
    await caughtUp();
    expect(worker.core.counters.resyncs).toBe(resyncs + 1);
    const patchesSince = () =>
      panel.messages.slice(fromInit).flatMap((m) => (m.type === "patch" ? [m.patch] : []));
    await until("the patch after the snapshot", () =>
      patchesSince().some((p) => p.removed?.includes(ended) && p.upserts?.some((s) => s.id === started)),
    );
    const upserted = new Set(patchesSince().flatMap((p) => (p.upserts ?? []).map((s) => s.id)));
    const removed = new Set(patchesSince().flatMap((p) => p.removed ?? []));
    expect([...upserted].sort()).toEqual([...changed, started].sort());
    expect([...removed]).toEqual([ended]);
    equalsGateway(worker.core.dump().sessions);
    equalsGateway(panelSessions(panel.messages).values());
  }, 60_000);

  it("a panel opened while the worker awaits the snapshot, or right after it, ends equal to the gateway", async () => {
    const gate = snapshotGate();
    const { worker, caughtUp, gap, equalsGateway } = await setup(gate.createSocket);
    gate.hold();
    const { ended } = gap();
    await until(
      "the snapshot held back",
      () => gate.held > 0 && worker.core.dump().phase === "awaiting_snapshot",
      10_000,
    );
    const panel = createFakePanel();
    worker.core.connectPanel(panel.port);
    expect(panel.messages[0]?.type).toBe("init");
    gate.release();
    // The snapshot is applied as it is delivered: a panel opened right after it, before its patch went out.
    const next = createFakePanel();
    worker.core.connectPanel(next.port);
    await caughtUp();
    await until("the ended session gone from the panel", () => !panelSessions(panel.messages).has(ended));
    equalsGateway(worker.core.dump().sessions);
    equalsGateway(panelSessions(panel.messages).values());
    equalsGateway(panelSessions(next.messages).values());
  }, 60_000);
});
