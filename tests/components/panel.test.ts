import { afterEach, describe, expect, it } from "vitest";
import { createPanel, FOCUS_FRESH_MS, immediately, type Panel, readFocus } from "@/utils/panel";
import type { Session } from "@/utils/protocol";
import { makeIntervention, makeMessage, makeSession } from "../fixtures/frames";
import {
  createFakePanelPort,
  type FakePanelPort,
  makePanelState,
  viewAnswer,
} from "../helpers/fake-panel-port";

const T0 = Date.parse("2026-06-24T16:30:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const ses = (id: string, activity: number, extra: Record<string, unknown> = {}) =>
  makeSession({ id, last_activity_at: at(activity), ...extra }) as Session;

let model: Panel;
let port: FakePanelPort;
let clock = T0;
function setup(sessions: Session[] = [], schedule = immediately) {
  port = createFakePanelPort();
  model = createPanel(port, { schedule, tickMs: 0, clock: () => clock });
  port.send({ type: "init", state: makePanelState({ sessions }) });
}
afterEach(() => {
  model?.[Symbol.dispose]();
});
/** The session ids of the rows the panel holds (the worker's answer to its view). */
const shown = () => model.list.rows.value.filter((r): r is string => typeof r === "string");

describe("panel model", () => {
  it("applies init and sorts by most recent activity", () => {
    setup([ses("ses_a", 1), ses("ses_b", 3), ses("ses_c", 2)]);
    expect(model.link.ready.value).toBe(true);
    expect(shown()).toEqual(["ses_b", "ses_c", "ses_a"]);
    expect(model.status.connection.value?.latency_ms).toBe(42);
  });

  it("applies patches: upsert moves a session up, removed and ended leave the list", () => {
    setup([ses("ses_a", 1), ses("ses_b", 3), ses("ses_c", 2)]);
    const cardSignal = model.list.session("ses_a");
    port.send({ type: "patch", patch: { upserts: [ses("ses_a", 10, { preview: "new" })] } });
    expect(shown()).toEqual(["ses_a", "ses_b", "ses_c"]);
    expect(model.list.session("ses_a")).toBe(cardSignal); // same signal: only its card re-renders
    expect(cardSignal?.value.preview).toBe("new");
    port.send({
      type: "patch",
      patch: { removed: ["ses_b"], upserts: [ses("ses_c", 2, { status: "ended" })] },
    });
    expect(shown()).toEqual(["ses_a"]);
  });

  it("groups by agent", () => {
    const other = { id: "agt_b", name: "Billing Bot", color: "#16a34a" };
    setup([ses("ses_a", 1), ses("ses_b", 3, { agent: other }), ses("ses_c", 2)]);
    model.list.setView("grouped");
    expect(model.list.rows.value).toEqual([
      { kind: "group", agent_id: "agt_b", name: "Billing Bot", color: "#16a34a", count: 1 },
      "ses_b",
      { kind: "group", agent_id: "agt_support", name: "Support Bot", color: "#2563eb", count: 2 },
      "ses_c",
      "ses_a",
    ]);
  });

  it("coalesces patches until the frame callback runs", () => {
    const frames: (() => void)[] = [];
    setup([ses("ses_a", 1)], (cb) => {
      frames.push(cb);
      return () => {};
    });
    port.send({ type: "patch", patch: { upserts: [ses("ses_b", 2)] } });
    port.send({ type: "patch", patch: { upserts: [ses("ses_c", 3)] } });
    // The first answer to the view and both patches' answers wait for the same frame.
    expect(frames).toHaveLength(1);
    expect(shown()).toEqual([]);
    frames[0]?.();
    expect(shown()).toEqual(["ses_c", "ses_b", "ses_a"]);
  });

  it("refuses malformed messages and skips bad items, counting them", () => {
    setup([ses("ses_a", 1)]);
    port.send(viewAnswer(99, ["ses_b", "ses_a"], [ses("ses_b", 2), { id: "bad" }]));
    port.send({ type: "launch" });
    port.send(null);
    expect(shown()).toEqual(["ses_b", "ses_a"]);
    expect(model.list.session("ses_b")?.value.id).toBe("ses_b");
    expect(model.link.rejected.value).toBe(3);
    expect(model.link.lastError.value).toContain("type");
  });

  it("watches the open session, again after a new init, and posts commands and resync", () => {
    setup([ses("ses_a", 1)]);
    const last = (type: string) => port.posted.filter((m) => m.type === type).at(-1);
    model.conversation.open("ses_a");
    expect(last("watch")).toEqual({ type: "watch", session_ids: ["ses_a"] });
    // The open conversation's session is pinned in the view, wherever its row is.
    expect(last("view")).toMatchObject({ spec: { pinned: ["ses_a"] } });
    port.send({ type: "init", state: makePanelState({ sessions: [ses("ses_a", 1)] }) });
    expect(port.posted.filter((m) => m.type === "watch")).toHaveLength(3); // [] at init, [ses_a], [ses_a] again
    model.conversation.close();
    expect(last("watch")).toEqual({ type: "watch", session_ids: [] });
    const id = model.commands.send("pause", "ses_a", "Escalating to senior support");
    expect(port.posted.at(-1)).toMatchObject({ type: "command", cmd_id: id, action: "pause" });
    expect(model.commands.statuses.value.get(id)?.status).toBe("pending");
    port.send({
      type: "command_status",
      result: { cmd_id: id, status: "acked", intervention_id: "int_0a1b2c3d" },
    });
    expect(model.commands.statuses.value.get(id)?.status).toBe("acked");
    model.link.resync();
    expect(port.posted.at(-1)).toEqual({ type: "resync" });
  });

  it("sends a retried action with the cmd_id of its first attempt", () => {
    setup([ses("ses_a", 1)]);
    const first = model.commands.send("pause", "ses_a", "Escalating to senior support");
    const again = model.commands.send("pause", "ses_a", "Escalating to senior support", undefined, first);
    expect(again).toBe(first);
    const sent = port.posted.filter((m) => m.type === "command");
    expect(sent.map((m) => (m as { cmd_id: string }).cmd_id)).toEqual([first, first]);
  });

  it("exposes the open session's transcript, and keeps an ended session's header", () => {
    setup([ses("ses_a", 1)]);
    model.conversation.open("ses_a");
    port.send({
      type: "patch",
      patch: {
        transcripts: [{ session_id: "ses_a", messages: [makeMessage()], streaming: null, loaded: true }],
      },
    });
    expect(model.conversation.transcript.value?.messages).toHaveLength(1);
    port.send({ type: "patch", patch: { removed: ["ses_a"] } });
    expect(model.conversation.selected.value?.status).toBe("ended");
  });

  it("toasts urgent sessions, severe errors, human handoffs and a connection lost for a minute; mute silences", () => {
    setup([ses("ses_a", 1)]);
    port.send({ type: "patch", patch: { upserts: [ses("ses_u", 2, { priority: "urgent" })] } });
    port.send({ type: "patch", patch: { upserts: [ses("ses_a", 3, { priority: "urgent" })] } });
    port.send({
      type: "patch",
      patch: {
        activity: [
          {
            kind: "error",
            at: at(4),
            session_id: null,
            code: "UPSTREAM",
            message: "degraded",
            severity: "critical",
          },
          { kind: "error", at: at(4), session_id: null, code: "SLOW", message: "meh", severity: "warning" },
          {
            kind: "intervention",
            at: at(5),
            intervention: makeIntervention({ type: "transfer", payload: { queue: "human" } }),
          },
        ],
      },
    });
    expect(model.toasts.toasts.value.map((t) => t.title)).toEqual([
      "Urgent session started",
      "Session raised to urgent",
      "Critical error: UPSTREAM",
      "Handoff to the human queue",
    ]);
    expect(model.toasts.visibleToasts.value).toHaveLength(2);
    port.send({
      type: "patch",
      patch: { connection: { state: "reconnecting", latency_ms: null, since: clock } },
    });
    clock += 61_000;
    model.now.value = clock;
    expect(model.toasts.toasts.value.at(-1)?.title).toBe("Connection lost");
    expect(model.toasts.visibleToasts.value.map((t) => t.title)).toEqual(["Connection lost"]);
    model.toasts.setMuted(true);
    port.send({ type: "patch", patch: { upserts: [ses("ses_v", 9, { priority: "urgent" })] } });
    expect(model.toasts.toasts.value.at(-1)?.title).toBe("Connection lost");
  });

  it("opens the session a clicked notification asks for", async () => {
    setup([ses("ses_a", 1)]);
    port.send({ type: "patch", patch: { focus: "ses_a" } });
    expect(model.conversation.selectedId.value).toBe("ses_a");
    const area = (value: unknown) => ({ get: async () => ({ lc_focus: value }) });
    expect(await readFocus(area({ session_id: "ses_b", at: 1000 }), 2000)).toBe("ses_b");
    expect(await readFocus(area({ session_id: "ses_b", at: 1000 }), 1000 + FOCUS_FRESH_MS + 1)).toBeNull();
    expect(await readFocus(area("junk"), 2000)).toBeNull();
  });

  it("disposing unsubscribes and closes the port", () => {
    setup([]);
    model[Symbol.dispose]();
    expect(port.closed).toBe(true);
  });

  it("handles 10,000 sessions (timings printed, not asserted)", () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      ses(`ses_${i}`, i % 5000, {
        agent: { id: `agt_${i % 20}`, name: `Agent ${i % 20}`, color: "#333333" },
      }),
    );
    let t = performance.now();
    setup(many);
    const initMs = performance.now() - t;
    expect(model.list.sessionCount.value).toBe(10_000);
    expect(model.list.rows.value).toHaveLength(10_000);
    expect(shown()).toHaveLength(40); // the rows in range: the panel holds one screen
    const sortMs = performance.now() - t - initMs;
    t = performance.now();
    port.send({
      type: "patch",
      patch: { upserts: [ses("ses_5", 9_999), ses("ses_77", 9_998)], removed: ["ses_9"] },
    });
    const first = shown().slice(0, 2);
    const patchMs = performance.now() - t;
    expect(first).toEqual(["ses_5", "ses_77"]);
    expect(model.list.sessionCount.value).toBe(9_999);
    t = performance.now();
    model.list.setView("grouped");
    expect(model.list.rows.value).toHaveLength(9_999 + 21); // the two upserts moved to the fixture agent;
    const groupMs = performance.now() - t;
    console.info(
      `10k sessions (worker's query in the fake port + panel): init+first window ${initMs.toFixed(1)} ms, rows ${sortMs.toFixed(1)} ms, patch(2 upserts+1 removal)+window ${patchMs.toFixed(1)} ms, grouping ${groupMs.toFixed(1)} ms`,
    );
  });
});
