/**
 * Issue 21 item 3 against the real gateway: after a snapshot-path resync the
 * worker diffs the snapshot against what it holds, so a panel's view answers
 * carry only the sessions in its range that changed in the gap (or came into
 * range) — never the whole window again — and the panel's window ends equal
 * to the gateway's; so does a panel opened while the worker waits for the
 * snapshot.
 */

import { afterEach, describe, expect, it } from "vitest";
import type { CreateSocket } from "../../utils/connection/socket";
import type { Session } from "../../utils/protocol";
import { startCaughtUpWorker } from "../helpers/caught-up-worker";
import type { TestGateway } from "../helpers/gateway";
import { snapshotGate } from "../helpers/snapshot-gate";
import { until } from "../helpers/until";
import { createViewPanel, gatewayWindow, panelWindow, type ViewPanel } from "../helpers/view-panel";
import { comparable, type NodeWorker } from "../helpers/worker-node";

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

async function setup(createSocket?: CreateSocket) {
  const { gw, orgId, org, worker, caughtUp } = await startCaughtUpWorker(
    { sessions: SESSIONS, historyLimit: HISTORY, createSocket },
    {
      gateway: (g) => {
        tg = g;
      },
      worker: (x) => {
        w = x;
      },
    },
  );
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
  /** The panel's window is the gateway's for its view (rows, order, sessions, counts). */
  const windowMatches = (panel: ViewPanel) =>
    JSON.stringify(panelWindow(panel)) ===
    JSON.stringify(gatewayWindow(gw.gateway.snapshot(orgId).sessions, panel.spec));
  function windowEqualsGateway(panel: ViewPanel): void {
    expect(panelWindow(panel)).toEqual(gatewayWindow(gw.gateway.snapshot(orgId).sessions, panel.spec));
  }
  return { worker, caughtUp, gap, equalsGateway, windowMatches, windowEqualsGateway };
}

/** A panel on the worker with a view of the 500 most recent sessions. */
function openPanel(worker: NodeWorker): ViewPanel {
  const panel = createViewPanel();
  worker.core.connectPanel(panel.port);
  panel.view({ range: { start: 0, end: 500 } });
  return panel;
}

describe("snapshot-path resync without replacing the world (issue 21 item 3)", () => {
  it("the view answers carry only the changed sessions in range; the window ends equal to the gateway's", async () => {
    const { worker, caughtUp, gap, equalsGateway, windowMatches, windowEqualsGateway } = await setup();
    const panel = openPanel(worker);
    await until("the panel's first window", () => windowMatches(panel));
    const before = new Set(panel.window().rows);
    const fromOpen = panel.accepted.length;
    const resyncs = worker.core.counters.resyncs;
    const { changed, ended, started } = gap();
    await caughtUp();
    expect(worker.core.counters.resyncs).toBe(resyncs + 1);
    await until("the window after the snapshot", () => windowMatches(panel));
    windowEqualsGateway(panel);
    const after = panel.window().rows;
    expect(after).not.toContain(ended);
    expect(after).toContain(started);
    // The gap's messages brought the changed sessions to the top of the most recent ones.
    for (const id of changed) expect(after).toContain(id);
    const sent = panel.accepted.slice(fromOpen).flatMap((a) => a.view.sessions.map((s) => s.id));
    // Only what the panel did not hold as it is now: the changed and new sessions, and rows that came into range.
    const entered = after.filter((r) => typeof r === "string" && !before.has(r));
    expect(new Set(sent)).toEqual(new Set([...changed, started, ...entered]));
    expect(sent.length).toBeLessThan(10);
    expect(panel.window().total).toBe(SESSIONS);
    expect(panel.skipped).toBe(0);
    expect(panel.refused).toEqual([]);
    equalsGateway(worker.core.dump().sessions);
  }, 60_000);

  it("a panel opened while the worker awaits the snapshot, or right after it, ends equal to the gateway", async () => {
    const gate = snapshotGate();
    const { worker, caughtUp, gap, equalsGateway, windowMatches, windowEqualsGateway } = await setup(
      gate.createSocket,
    );
    gate.hold();
    const { ended } = gap();
    await until(
      "the snapshot held back",
      () => gate.held > 0 && worker.core.dump().phase === "awaiting_snapshot",
      10_000,
    );
    const panel = openPanel(worker);
    expect(panel.messages[0]?.type).toBe("init");
    expect(panel.messages[1]?.type).toBe("view"); // answered at once, from what the worker holds
    gate.release();
    // The snapshot is applied as it is delivered: a panel opened right after it, before its patch went out.
    const next = openPanel(worker);
    await caughtUp();
    await until("the ended session gone from the panel", () => !panel.window().rows.includes(ended));
    await until("both windows equal to the gateway's", () => windowMatches(panel) && windowMatches(next));
    windowEqualsGateway(panel);
    windowEqualsGateway(next);
    equalsGateway(worker.core.dump().sessions);
    for (const p of [panel, next]) {
      expect(p.skipped).toBe(0);
      expect(p.refused).toEqual([]);
    }
  }, 60_000);
});
