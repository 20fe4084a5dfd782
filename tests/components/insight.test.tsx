// @vitest-environment happy-dom
/**
 * AI insight in the panel: agent steps under their reply (collapsed,
 * expandable, failures visible, data as text), per-message signals, the
 * card's cost, risk and hand-off waiting timer (its colour following the
 * shared clock), the conversation's totals and hand-off reason, and the
 * list's sort control.
 */
import { afterEach, describe, expect, it } from "vitest";
import { App } from "@/components/app";
import { ConversationView } from "@/components/conversation-view";
import { createPanel, immediately, type Panel } from "@/utils/panel";
import type { Transcript } from "@/utils/panel-messages";
import type { AgentStep, Message, Session } from "@/utils/protocol";
import { makeMessage, makeSession } from "../fixtures/frames";
import {
  createFakePanelPort,
  type FakePanelPort,
  makePanelState,
  type TestPanelState,
} from "../helpers/fake-panel-port";
import { flushed, mount, unmountAll } from "../helpers/render";

const T0 = Date.parse("2026-06-24T16:30:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();
const SID = "ses_abc123xyz";

let model: Panel;
let port: FakePanelPort;
let now = T0;
afterEach(() => {
  unmountAll();
  model?.[Symbol.dispose]();
});

function setup(sessions: Session[]) {
  now = T0;
  port = createFakePanelPort();
  model = createPanel(port, { schedule: immediately, tickMs: 0, clock: () => now });
  flushed(() => port.send({ type: "init", state: makePanelState({ sessions } as Partial<TestPanelState>) }));
}
const send = (patch: Record<string, unknown>) => flushed(() => port.send({ type: "patch", patch }));
const transcript = (t: Partial<Transcript>) =>
  send({ transcripts: [{ session_id: SID, messages: [], streaming: null, loaded: true, ...t }] });
/** Moves the panel's one shared clock (what its ticker does every second). */
const tick = (to: number) =>
  flushed(() => {
    now = to;
    model.now.value = to;
  });

const step = (n: number, extra: Partial<AgentStep> = {}): AgentStep => ({
  step_id: `stp_${n}`,
  message_id: "msg_2",
  kind: "tool_call",
  name: "lookup_order",
  input: { order_id: "12345" },
  output: { status: "in_transit" },
  status: "ok",
  started_at: iso(T0),
  duration_ms: 240,
  ...extra,
});
const messages = [
  makeMessage({
    id: "msg_1",
    text: "I want a refund of €250",
    sentiment: -0.6,
    risk: { score: 0.55, reason: "Refund request" },
  }),
  makeMessage({
    id: "msg_2",
    role: "agent",
    text: "Let me check.",
    latency_ms: 1240,
    usage: { input_tokens: 900, output_tokens: 120, cost_usd: 0.0045 },
  }),
] as Message[];

function conversation(session: Record<string, unknown> = {}) {
  setup([makeSession(session) as Session]);
  flushed(() => model.conversation.open(SID));
  return mount(<ConversationView panel={model} onBack={() => undefined} />);
}

describe("agent steps", () => {
  it("sit under their reply, collapsed; a button expands them (aria-expanded) and shows failures", () => {
    const m = conversation();
    const evil = '<img src=x onerror="alert(1)">';
    transcript({
      messages,
      steps: [
        step(1),
        step(2, { kind: "retrieval", name: "kb_search", input: { query: evil }, output: { hits: [] } }),
        step(3, {
          name: "issue_refund",
          status: "error",
          error: "Refund of €250 is above the agent's limit",
          output: undefined,
        }),
      ],
    });
    const reply = m.root.querySelector('[data-message-id="msg_2"]');
    const box = m.root.querySelector<HTMLElement>('[data-steps-for="msg_2"]');
    expect(reply?.nextElementSibling).toBe(box);
    expect(m.root.querySelector('[data-steps-for="msg_1"]')).toBeNull();
    const button = box?.querySelector<HTMLButtonElement>("button.steps-toggle");
    expect(button?.getAttribute("aria-expanded")).toBe("false");
    expect(button?.textContent).toContain("3 steps · 1 failed");
    expect(box?.classList.contains("has-error")).toBe(true);
    expect(box?.querySelector(".steps-list")).toBeNull();

    flushed(() => button?.click());
    expect(button?.getAttribute("aria-expanded")).toBe("true");
    const list = box?.querySelector<HTMLElement>(".steps-list");
    expect(button?.getAttribute("aria-controls")).toBe(list?.id);
    const items = [...(list?.querySelectorAll<HTMLElement>(".step") ?? [])];
    expect(items.map((i) => i.dataset.status)).toEqual(["ok", "ok", "error"]);
    const failed = items[2];
    expect(failed?.querySelector(".step-status")?.textContent).toBe("Failed");
    expect(failed?.querySelector(".step-error-text")?.textContent).toBe(
      "Refund of €250 is above the agent's limit",
    );
    expect(items[0]?.querySelector(".step-duration")?.textContent).toBe("240 ms");
    // Inputs and outputs are pretty-printed JSON text: markup in them stays text.
    const pre = items[1]?.querySelector("pre.step-json");
    expect(pre?.textContent).toBe(JSON.stringify({ query: evil }, null, 2));
    expect(m.root.querySelector("img")).toBeNull();
    expect(items[0]?.querySelectorAll("pre")[1]?.textContent).toBe('{\n  "status": "in_transit"\n}');

    flushed(() => button?.click());
    expect(button?.getAttribute("aria-expanded")).toBe("false");
    expect(box?.querySelector(".steps-list")).toBeNull();
  });

  it("shows running steps of the reply in flight with a spinner, and stays open when the reply lands", () => {
    const m = conversation();
    transcript({
      messages: [messages[0] as Message],
      streaming: { message_id: "msg_2", phase: "thinking", text: "" },
      steps: [step(1, { status: "running", output: undefined, duration_ms: undefined })],
    });
    const box = () => m.root.querySelector<HTMLElement>('[data-steps-for="msg_2"]');
    expect(box()?.querySelector(".steps-toggle .step-spinner")).not.toBeNull();
    expect(box()?.textContent).toContain("1 step · 1 running");
    flushed(() => box()?.querySelector<HTMLButtonElement>("button")?.click());
    expect(box()?.querySelector(".step-status")?.textContent).toBe("Running");
    // The spinner's box has a fixed size (CSS), and the duration slot exists, empty, while it runs.
    expect(box()?.querySelector(".step-duration")?.textContent).toBe("");
    transcript({ messages, streaming: null, steps: [step(1)] });
    expect(box()?.getAttribute("data-open")).toBe("true");
    expect(box()?.querySelector(".steps-toggle .step-spinner")).toBeNull();
    expect(box()?.querySelector(".step-status")?.textContent).toBe("OK");
  });
});

describe("signals", () => {
  it("user messages show sentiment and risk with its reason; replies show latency, tokens and cost", () => {
    const m = conversation();
    transcript({ messages });
    const user = m.root.querySelector('[data-message-id="msg_1"]');
    const sentiment = user?.querySelector(".sentiment-chip");
    expect(sentiment?.getAttribute("aria-label")).toBe("Negative sentiment (−0.60)");
    expect(sentiment?.classList.contains("sentiment-negative")).toBe(true);
    const risk = user?.querySelector(".risk-chip");
    expect(risk?.getAttribute("title")).toBe("Risk 55%: Refund request");
    expect(risk?.textContent).toContain("Refund request");
    expect(risk?.getAttribute("data-risk-level")).toBe("medium");
    const reply = m.root.querySelector('[data-message-id="msg_2"]');
    expect(reply?.querySelector(".message-latency")?.textContent).toBe("1.2 s");
    expect(reply?.querySelector(".reply-tokens")?.textContent).toBe("1.0k tokens");
    expect(reply?.querySelector(".reply-cost")?.textContent).toBe("$0.0045");
    expect(reply?.querySelector(".sentiment-chip")).toBeNull();
  });

  it("the conversation shows the totals and the hand-off reason", () => {
    const m = conversation({
      totals: { cost_usd: 0.0123, input_tokens: 2400, output_tokens: 300, replies: 2, avg_latency_ms: 900 },
      handoff: { reason: "Refund of €250 is above the agent's €100 limit", requested_at: iso(T0 - 5000) },
    });
    const totals = m.root.querySelector(".session-totals");
    expect(totals?.querySelector('[data-total="cost"]')?.textContent).toBe("$0.01");
    expect(totals?.querySelector('[data-total="replies"]')?.textContent).toBe("2 replies");
    const banner = m.root.querySelector(".handoff-banner");
    expect(banner?.querySelector(".handoff-reason")?.textContent).toBe(
      "Refund of €250 is above the agent's €100 limit",
    );
    expect(banner?.querySelector(".handoff-wait")?.textContent).toBe("waiting 0:05");
  });
});

describe("the session card and list", () => {
  const waiting = (id: string, since: number, extra: Record<string, unknown> = {}) =>
    makeSession({
      id,
      user: { id: `u_${id}`, name: id },
      last_activity_at: iso(T0),
      handoff: { reason: "The user asked to speak to a human", requested_at: iso(since) },
      ...extra,
    }) as Session;

  it("shows cost and risk, and a waiting timer that turns amber then red as the shared clock moves", () => {
    setup([
      waiting("ses_w", T0, {
        risk: { score: 0.95, reason: "Legal threat" },
        totals: { cost_usd: 0.42, input_tokens: 1, output_tokens: 1, replies: 1 },
      }),
    ]);
    model.setHandoffThresholds({ amberMs: 60_000, redMs: 180_000 });
    const m = mount(<App panel={model} openOptions={() => undefined} />);
    const card = () => m.root.querySelector<HTMLElement>('[data-session-id="ses_w"]');
    const timer = () => card()?.querySelector<HTMLElement>(".handoff-timer");
    expect(card()?.querySelector(".card-cost")?.textContent).toBe("$0.42");
    expect(card()?.querySelector(".risk-chip")?.getAttribute("data-risk-level")).toBe("high");
    expect(card()?.getAttribute("aria-description")).toContain(
      "waiting for a human: The user asked to speak to a human",
    );
    expect(timer()?.textContent).toBe("waiting 0:00");
    expect(timer()?.dataset.level).toBe("waiting");
    tick(T0 + 59_000);
    expect(timer()?.textContent).toBe("waiting 0:59");
    expect(timer()?.dataset.level).toBe("waiting");
    tick(T0 + 83_000);
    expect(timer()?.textContent).toBe("waiting 1:23");
    expect(timer()?.dataset.level).toBe("amber");
    tick(T0 + 180_000);
    expect(timer()?.dataset.level).toBe("red");
    expect(timer()?.classList.contains("handoff-red")).toBe(true);
    // The thresholds come from the settings and apply at once.
    flushed(() => model.setHandoffThresholds({ amberMs: 200_000, redMs: 400_000 }));
    expect(timer()?.dataset.level).toBe("waiting");
    // A supervisor dealt with it: the timer goes.
    send({ upserts: [{ ...waiting("ses_w", T0), handoff: null }] });
    expect(timer() ?? null).toBeNull();
  });

  it("sorts by risk, or waiting for a human first (longest waiting on top)", () => {
    const plain = (id: string, at: number, extra: Record<string, unknown> = {}) =>
      makeSession({ id, user: { id: `u_${id}`, name: id }, last_activity_at: iso(at), ...extra }) as Session;
    setup([
      plain("ses_a", T0 + 3000, { risk: { score: 0.2, reason: "Routine" } }),
      plain("ses_b", T0 + 2000, { risk: { score: 0.9, reason: "Legal threat" } }),
      waiting("ses_c", T0 - 1000, { last_activity_at: iso(T0 + 1000) }),
      waiting("ses_d", T0 - 9000, { last_activity_at: iso(T0) }),
    ]);
    const m = mount(<App panel={model} openOptions={() => undefined} />);
    const order = () =>
      [...m.root.querySelectorAll<HTMLElement>(".session-card")]
        .sort((x, y) => Number.parseFloat(x.style.top) - Number.parseFloat(y.style.top))
        .map((c) => c.dataset.sessionId);
    const select = m.root.querySelector<HTMLSelectElement>('select[aria-label="Sort sessions"]');
    expect(order()).toEqual(["ses_a", "ses_b", "ses_c", "ses_d"]);
    const choose = (value: string) =>
      flushed(() => {
        if (!select) return;
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
    choose("risk");
    expect(order()).toEqual(["ses_b", "ses_a", "ses_c", "ses_d"]);
    choose("handoff");
    expect(order()).toEqual(["ses_d", "ses_c", "ses_a", "ses_b"]);
    // A new request moves its session up at once.
    send({ upserts: [waiting("ses_b", T0 - 20_000, { last_activity_at: iso(T0 + 2000) })] });
    expect(order()).toEqual(["ses_b", "ses_d", "ses_c", "ses_a"]);
    choose("nonsense");
    expect(model.list.sortMode.value).toBe("handoff");
  });
});
