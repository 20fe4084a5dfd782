/**
 * Issue 21 item 1, the worker's side, against the real gateway over real
 * sockets and the real worker core in Node: a panel subscribes to a view and
 * sees exactly the rows the gateway's sessions give for it. A range moved by
 * scrolling answers with the right rows; a filter changed while events arrive
 * never yields an answer with a row that does not match it; two panels with
 * different views each get their own; a panel opened during a snapshot ends
 * equal to the gateway. The fake panels decode with the panel's decoder and
 * fold the answers as the panel does, their port delivering asynchronously.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { CreateSocket } from "../../utils/connection/socket";
import { compileFilter } from "../../utils/filters";
import type { Message, Priority, Session } from "../../utils/protocol";
import { startCaughtUpWorker } from "../helpers/caught-up-worker";
import type { TestGateway } from "../helpers/gateway";
import { snapshotGate } from "../helpers/snapshot-gate";
import { until } from "../helpers/until";
import {
  createViewPanel,
  gatewayRows,
  gatewayWindow,
  panelWindow,
  type SpecInput,
  type ViewPanel,
} from "../helpers/view-panel";
import type { NodeWorker } from "../helpers/worker-node";

const SESSIONS = 600;
/** The gateway keeps this many events: a longer gap is resynced with a snapshot. */
const HISTORY = 100;

let tg: TestGateway | undefined;
let w: NodeWorker | undefined;
afterEach(async () => {
  await w?.core.stop();
  await tg?.stop();
  w = undefined;
  tg = undefined;
});

/** Lets the ports deliver what crossed (the fake port delivers on the next macrotask). */
const turn = () => new Promise<void>((r) => setImmediate(r));

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
  const gatewaySessions = () => gw.gateway.snapshot(orgId).sessions as Session[];
  const ids = gatewaySessions().map((s) => s.id);

  let n = 0;
  const ts = () => new Date().toISOString();
  /** Events on the gateway: a session's priority set, a message (moves it up the most recent). */
  const events = {
    priority(id: string, priority: Priority) {
      org.state.emit("session_updated", id, { priority });
    },
    message(id: string) {
      n++;
      const m: Message = { id: `msg_v${n}`, ts: ts(), role: "user", format: "text", text: `event ${n}` };
      org.state.emit("message_received", id, m);
    },
  };

  function open(input: SpecInput): ViewPanel {
    const panel = createViewPanel({ async: true });
    worker.core.connectPanel(panel.port);
    panel.view(input);
    return panel;
  }
  const matches = (panel: ViewPanel) =>
    JSON.stringify(panelWindow(panel)) === JSON.stringify(gatewayWindow(gatewaySessions(), panel.spec));
  /** Waits until the panel's window is the gateway's for its view, then asserts it. */
  async function settles(panel: ViewPanel, what: string): Promise<void> {
    await until(what, () => matches(panel), 10_000);
    expect(panelWindow(panel)).toEqual(gatewayWindow(gatewaySessions(), panel.spec));
    expect(panel.skipped).toBe(0);
    expect(panel.refused).toEqual([]);
  }
  /** The accepted answer to this very spec. */
  const answerTo = (panel: ViewPanel, seq: number) =>
    until(`the answer to spec ${seq}`, () => panel.accepted.find((a) => a.view.seq === seq), 10_000);
  return { worker, org, ids, events, open, settles, answerTo, caughtUp, gatewaySessions, ts };
}

describe("the worker's view answers (issue 21 item 1)", () => {
  it("a range moved by scrolling answers with exactly the gateway's rows in that order and range", async () => {
    const { open, settles, answerTo, gatewaySessions } = await setup();
    const panel = open({ range: { start: 0, end: 50 } });
    await settles(panel, "the first screen");
    expect(panel.window().rows).toHaveLength(50);
    expect(panel.window().total).toBe(SESSIONS);
    for (const range of [
      { start: 40, end: 90 },
      { start: 300, end: 360 },
      { start: 120, end: 170 },
      { start: SESSIONS - 30, end: SESSIONS + 20 }, // the end of the list: fewer rows
    ]) {
      const seq = panel.view({ range });
      const answer = await answerTo(panel, seq);
      const { rows } = gatewayRows(gatewaySessions(), panel.spec);
      expect(answer.view.start).toBe(range.start);
      expect(answer.view.rows).toEqual(rows.slice(range.start, range.end));
      expect(panelWindow(panel)).toEqual(gatewayWindow(gatewaySessions(), panel.spec));
      // Only rows the panel did not hold came with sessions: a screen's worth at most.
      expect(answer.view.sessions.length).toBeLessThanOrEqual(range.end - range.start);
    }
    expect(panel.window().rows).toHaveLength(30);
    expect(panel.skipped).toBe(0);
  }, 60_000);

  it("a filter changed while events arrive never yields a row that does not match it", async () => {
    const { ids, events, open, settles, answerTo } = await setup();
    const panel = open({ range: { start: 0, end: 100 }, filter: { priorities: ["urgent"] } });
    const cycle: Priority[] = ["low", "normal", "high", "urgent"];
    const filters: Priority[][] = [["urgent"], ["high", "urgent"], ["low"], ["normal", "high"]];
    for (let round = 0; round < 40; round++) {
      for (let k = 0; k < 25; k++) {
        const id = ids[(round * 37 + k * 11) % ids.length] as string;
        events.priority(id, cycle[(round + k) % cycle.length] as Priority);
        if (k % 5 === 0) events.message(id);
      }
      if (round % 3 === 0) panel.view({ filter: { priorities: filters[round % filters.length] } });
      if (round % 3 === 1) panel.view({ range: { start: (round * 7) % 50, end: 100 + ((round * 7) % 50) } });
      if (round % 4 === 0) await answerTo(panel, panel.spec.seq);
      await turn();
    }
    await settles(panel, "the window after the events");
    // Every answer the panel takes (seq at or after its last filter change) is checked against its filter.
    expect(panel.accepted.length).toBeGreaterThan(20);
    const specFilters = new Set(panel.accepted.map((a) => JSON.stringify(a.spec.filter)));
    expect(specFilters.size).toBe(filters.length); // every filter of the run was answered
    let judged = 0;
    for (const a of panel.accepted) {
      expect(a.view.seq).toBeGreaterThanOrEqual(a.querySeq);
      const match = compileFilter(a.spec.filter);
      a.view.rows.forEach((row, i) => {
        judged++;
        const s = a.sessions[i];
        expect(typeof row).toBe("string");
        expect(s, `answer ${a.view.seq}: the panel holds row ${String(row)}`).toBeDefined();
        if (s)
          expect(match(s, Date.now(), null), `answer ${a.view.seq}: ${s.id} is ${s.priority}`).toBe(true);
      });
    }
    expect(judged).toBeGreaterThan(1000);
  }, 60_000);

  it("two panels with different views (sort, filter, grouping) each get answers right for their own", async () => {
    const { ids, events, open, settles } = await setup();
    const a = open({
      sort: "risk",
      grouping: "grouped",
      filter: { priorities: ["high", "urgent"] },
      range: { start: 0, end: 80 },
    });
    const b = open({ sort: "recent", filter: { channels: ["web", "phone"] }, range: { start: 10, end: 70 } });
    await settles(a, "panel A's first window");
    await settles(b, "panel B's first window");
    expect(a.window().rows.some((r) => typeof r !== "string")).toBe(true); // group headers
    expect(b.window().rows.every((r) => typeof r === "string")).toBe(true);
    for (let k = 0; k < 60; k++) {
      const id = ids[(k * 13) % ids.length] as string;
      events.priority(id, k % 2 === 0 ? "urgent" : "low");
      events.message(id);
    }
    await settles(a, "panel A after the events");
    await settles(b, "panel B after the events");
    // A third view on panel B (grouped, by hand-off wait) leaves panel A's alone.
    const answersOfA = a.accepted.length;
    b.view({ grouping: "grouped", sort: "handoff", filter: { channels: [] } });
    await settles(b, "panel B's new view");
    expect(a.accepted.length).toBe(answersOfA);
    await settles(a, "panel A unchanged");
  }, 60_000);

  it("a panel opened during a snapshot ends with the gateway's window", async () => {
    const gate = snapshotGate();
    const { worker, ids, events, open, settles, caughtUp, gatewaySessions } = await setup(gate.createSocket);
    const before = open({ grouping: "grouped", range: { start: 0, end: 120 } });
    await settles(before, "the panel open before the gap");
    gate.hold();
    const gwSocket = tg?.gateway;
    gwSocket?.dropAllSockets();
    // More events than the gateway keeps, while the worker is away: it resyncs with a snapshot.
    for (let i = 0; i < HISTORY * 2; i++) {
      const id = ids[i % 7] as string;
      events.message(id);
      if (i % 20 === 0) events.priority(id, i % 40 === 0 ? "urgent" : "high");
    }
    await until(
      "the snapshot held back",
      () => gate.held > 0 && worker.core.dump().phase === "awaiting_snapshot",
      10_000,
    );
    const during = open({ filter: { priorities: ["urgent", "high"] }, range: { start: 0, end: 60 } });
    gate.release();
    await caughtUp();
    await settles(during, "the panel opened during the snapshot");
    await settles(before, "the panel open before it");
    expect(during.window().count).toBeGreaterThan(0);
    expect(during.window().total).toBe(gatewaySessions().filter((s) => s.status !== "ended").length);
  }, 60_000);
});
