// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { App } from "@/components/app";
import { CARD_ROW_HEIGHT } from "@/components/virtual-layout";
import { createPanel, immediately, type Panel } from "@/utils/panel";
import type { Session } from "@/utils/protocol";
import { makeIntervention, makeSession } from "../fixtures/frames";
import {
  createFakePanelPort,
  type FakePanelPort,
  makePanelState,
  type TestPanelState,
} from "../helpers/fake-panel-port";
import { flushed, mount, unmountAll } from "../helpers/render";

const T0 = Date.parse("2026-06-24T16:30:00.000Z");
const ses = (i: number, extra: Record<string, unknown> = {}) =>
  makeSession({
    id: `ses_${i}`,
    user: { id: `usr_${i}`, name: `User ${i}` },
    last_activity_at: new Date(T0 + i * 1000).toISOString(),
    ...extra,
  }) as Session;

let model: Panel;
let port: FakePanelPort;
let optionsOpened = 0;
afterEach(() => {
  unmountAll();
  model?.[Symbol.dispose]();
});

function app(state?: Partial<TestPanelState>) {
  port = createFakePanelPort();
  model = createPanel(port, { schedule: immediately, tickMs: 0, clock: () => T0 + 10_000 });
  optionsOpened = 0;
  const m = mount(<App panel={model} openOptions={() => optionsOpened++} />);
  if (state) flushed(() => port.send({ type: "init", state: makePanelState(state) }));
  return m;
}
const send = (patch: Record<string, unknown>) => flushed(() => port.send({ type: "patch", patch }));
const key = (el: Element, k: string) =>
  flushed(() => el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true })));

describe("panel app", () => {
  it("has the main landmark and a loading state before the worker answers", () => {
    const m = app();
    expect(m.root.querySelector('main[aria-label="Live Conversations"]')).not.toBeNull();
    expect(m.root.querySelector(".empty-title")?.textContent).toBe("Loading sessions…");
    flushed(() => port.setStatus("lost"));
    expect(m.root.querySelector(".empty-title")?.textContent).toContain("background worker");
  });

  it("says what to do when not connected or unauthorized, with a button to Options", () => {
    const m = app({
      connection: { state: "offline", latency_ms: null, since: T0, detail: "No gateway configured" },
    });
    expect(m.root.querySelector(".empty-title")?.textContent).toBe(
      "Not connected: open Options to set the gateway",
    );
    flushed(() => m.root.querySelector<HTMLButtonElement>(".primary-button")?.click());
    expect(optionsOpened).toBe(1);
    send({ connection: { state: "unauthorized", latency_ms: null, since: T0, detail: "token refused" } });
    expect(m.root.querySelector(".empty-title")?.textContent).toBe("Not authorized");
    expect(m.root.querySelector(".connection")?.getAttribute("data-state")).toBe("unauthorized");
  });

  it("shows an empty state when connected without sessions", () => {
    const m = app({});
    expect(m.root.querySelector(".empty-title")?.textContent).toBe("No active sessions");
  });

  it("shows the connection state with latency, and says when the data is stale", () => {
    const m = app({ sessions: [ses(1)] });
    expect(m.root.querySelector(".connection-label")?.textContent).toBe("Connected");
    expect(m.root.querySelector(".connection-latency")?.textContent).toBe("42 ms");
    send({ connection: { state: "reconnecting", latency_ms: 42, since: T0, next_retry_at: T0 + 14_000 } });
    expect(m.root.querySelector(".connection-label")?.textContent).toBe("Reconnecting…");
    expect(m.root.querySelector(".connection-latency")).toBeNull();
    expect(m.root.querySelector(".connection-note")?.textContent).toBe("next try in 4 s · stale for 10 s");
    expect(m.root.querySelector(".metrics")?.getAttribute("data-stale")).toBe("true");
    send({ connection: { state: "polling", latency_ms: null, since: T0 } });
    expect(m.root.querySelector(".connection-label")?.textContent).toBe("Polling");
  });

  it("counts a stale spell from when the data stopped being live, not from the last state change", () => {
    const m = app({ sessions: [ses(1)] });
    // Now is T0 + 10 s: reconnecting since T0 + 2.4 s, then offline just now.
    send({
      connection: { state: "reconnecting", latency_ms: null, since: T0 + 2_400, stale_since: T0 + 2_400 },
    });
    expect(m.root.querySelector(".connection-note")?.textContent).toBe("stale for 7.6 s");
    send({ connection: { state: "offline", latency_ms: null, since: T0 + 10_000, stale_since: T0 + 2_400 } });
    expect(m.root.querySelector(".connection-label")?.textContent).toBe("Disconnected");
    expect(m.root.querySelector(".connection-note")?.textContent).toBe("stale for 7.6 s");
  });

  it("shows live metrics", () => {
    const m = app({ sessions: [ses(1)] });
    const values = () => [...m.root.querySelectorAll(".metric dd")].map((d) => d.textContent);
    expect(values()).toEqual(["12", "30", "850 ms", "—", "—", "2%"]);
    send({
      metrics: {
        active_sessions: 13,
        started_last_hour: 31,
        avg_response_ms: 1240,
        intervention_rate: 0.125,
        p95_response_ms: 2400,
        cost_per_hour_usd: 1.234,
      },
    });
    expect(values()).toEqual(["13", "31", "1.2 s", "2.4 s", "$1.23", "13%"]);
  });

  it("virtualises 10,000 sessions, keeps the scroll anchored while the order changes", () => {
    const sessions = Array.from({ length: 10_000 }, (_, i) => ses(i));
    const m = app({ sessions });
    const list = m.root.querySelector<HTMLElement>('[role="listbox"]');
    if (!list) throw new Error("no list");
    const rendered = () => [...list.querySelectorAll<HTMLElement>("[data-session-id]")];
    expect(rendered().length).toBeGreaterThan(0);
    expect(rendered().length).toBeLessThan(30);
    expect(rendered()[0]?.dataset.sessionId).toBe("ses_9999");
    console.info(`10k sessions: ${rendered().length} card rows in the DOM`);
    // scroll to row 500
    flushed(() => {
      list.scrollTop = 500 * CARD_ROW_HEIGHT;
      list.dispatchEvent(new Event("scroll"));
    });
    const topId = "ses_9499";
    expect(rendered().some((r) => r.dataset.sessionId === topId)).toBe(true);
    // 3 sessions above get activity (move to the top): the top visible row must stay where it is
    send({
      upserts: [
        ses(10, { last_activity_at: new Date(T0 + 20_000_000).toISOString() }),
        ses(11, { last_activity_at: new Date(T0 + 20_000_001).toISOString() }),
        ses(12, { last_activity_at: new Date(T0 + 20_000_002).toISOString() }),
      ],
    });
    expect(list.scrollTop).toBe(503 * CARD_ROW_HEIGHT);
    const row = list.querySelector<HTMLElement>(`[data-session-id="${topId}"]`);
    expect(row?.style.top).toBe(`${503 * CARD_ROW_HEIGHT}px`);
    // a session ends: it leaves the list
    send({ removed: ["ses_9998"] });
    expect(list.querySelector('[data-session-id="ses_9998"]')).toBeNull();
    expect(list.scrollTop).toBe(502 * CARD_ROW_HEIGHT);
  });

  it("moves between cards with the arrow keys and opens with Enter, back with Escape", () => {
    const m = app({ sessions: [ses(1), ses(2), ses(3)] });
    const list = m.root.querySelector<HTMLElement>('[role="listbox"]');
    if (!list) throw new Error("no list");
    flushed(() => list.focus());
    flushed(() => list.dispatchEvent(new FocusEvent("focus")));
    expect(list.getAttribute("aria-activedescendant")).toBe("session-option-ses_3");
    key(list, "ArrowDown");
    expect(list.getAttribute("aria-activedescendant")).toBe("session-option-ses_2");
    expect(list.querySelector('[data-session-id="ses_2"]')?.getAttribute("aria-selected")).toBe("true");
    key(list, "End");
    expect(list.getAttribute("aria-activedescendant")).toBe("session-option-ses_1");
    key(list, "ArrowUp");
    key(list, "Enter");
    expect(model.conversation.selectedId.value).toBe("ses_2");
    expect(m.root.querySelector(".conversation")?.getAttribute("data-session-id")).toBe("ses_2");
    expect(port.posted.filter((m) => m.type === "watch").at(-1)).toEqual({
      type: "watch",
      session_ids: ["ses_2"],
    });
    key(m.root.querySelector(".transcript") as Element, "Escape");
    expect(model.conversation.selectedId.value).toBeNull();
    const back = m.root.querySelector<HTMLElement>('[role="listbox"]');
    expect(back?.getAttribute("aria-activedescendant")).toBe("session-option-ses_2");
    expect(document.activeElement).toBe(back);
  });

  it("opens a conversation on click", () => {
    const m = app({ sessions: [ses(1), ses(2)] });
    flushed(() => m.root.querySelector<HTMLElement>('[data-session-id="ses_1"]')?.click());
    expect(m.root.querySelector(".conversation-user")?.textContent).toBe("User 1");
  });

  it("switches to the grouped-by-agent view", () => {
    const other = { id: "agt_b", name: "Billing Bot", color: "#16a34a" };
    const m = app({ sessions: [ses(1), ses(2, { agent: other }), ses(3)] });
    const groupButton = [...m.root.querySelectorAll<HTMLButtonElement>(".view-switch button")].find(
      (b) => b.textContent === "By agent",
    );
    flushed(() => groupButton?.click());
    const headers = [...m.root.querySelectorAll(".group-header")].map((h) => h.textContent);
    expect(headers).toEqual(["Billing Bot1", "Support Bot2"]);
    const order = [...m.root.querySelectorAll<HTMLElement>("[data-session-id]")].map(
      (e) => e.dataset.sessionId,
    );
    expect(order).toEqual(["ses_2", "ses_3", "ses_1"]);
    // the keyboard skips the agent headers
    const list = m.root.querySelector<HTMLElement>('[role="listbox"]');
    if (!list) throw new Error("no list");
    key(list, "Home");
    expect(list.getAttribute("aria-activedescendant")).toBe("session-option-ses_2");
    key(list, "ArrowDown");
    expect(list.getAttribute("aria-activedescendant")).toBe("session-option-ses_3");
    key(list, "ArrowUp");
    expect(list.getAttribute("aria-activedescendant")).toBe("session-option-ses_2");
  });

  it("lists activity and opens its session on click", () => {
    const m = app({
      sessions: [ses(1)],
      activity: [
        { kind: "session", at: new Date(T0).toISOString(), session_id: "ses_1", what: "started" },
        {
          kind: "error",
          at: new Date(T0).toISOString(),
          session_id: null,
          code: "UPSTREAM",
          message: "degraded",
          severity: "critical",
        },
        {
          kind: "intervention",
          at: new Date(T0).toISOString(),
          intervention: makeIntervention({ session_id: "ses_1" }) as never,
        },
      ],
    });
    flushed(() => m.root.querySelector<HTMLButtonElement>("#tab-activity")?.click());
    const entries = [...m.root.querySelectorAll(".activity-entry")];
    expect(entries.map((e) => e.getAttribute("data-kind"))).toEqual(["intervention", "error", "session"]);
    expect(entries[1]?.querySelector("button")).toBeNull();
    flushed(() => entries[2]?.querySelector("button")?.click());
    expect(model.conversation.selectedId.value).toBe("ses_1");
  });

  it("shows toasts that open their session, and a mute switch", () => {
    const m = app({ sessions: [ses(1)] });
    send({ upserts: [ses(2, { priority: "urgent" })] });
    const toast = m.root.querySelector(".toast");
    expect(toast?.querySelector(".toast-title")?.textContent).toBe("Urgent session started");
    flushed(() => toast?.querySelector<HTMLButtonElement>(".toast-open")?.click());
    expect(model.conversation.selectedId.value).toBe("ses_2");
    expect(m.root.querySelector(".toast")).toBeNull();
    const mute = m.root.querySelector<HTMLButtonElement>('[role="switch"]');
    expect(mute?.getAttribute("aria-checked")).toBe("false");
    flushed(() => mute?.click());
    expect(mute?.getAttribute("aria-checked")).toBe("true");
    send({ upserts: [ses(3, { priority: "urgent" })] });
    expect(m.root.querySelector(".toast")).toBeNull();
  });
});
