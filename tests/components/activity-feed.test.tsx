// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { ACTIVITY_REFRESH_MS, ACTIVITY_ROW_HEIGHT, ActivityLog } from "@/components/activity-log";
import { createPanel, immediately, type Panel } from "@/utils/panel";
import type { ActivityEntry } from "@/utils/panel-messages";
import { makeIntervention, makeSession } from "../fixtures/frames";
import { createFakePanelPort, type FakePanelPort, makePanelState } from "../helpers/fake-panel-port";
import { flushed, mount, unmountAll } from "../helpers/render";

const T0 = Date.parse("2026-06-24T16:30:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const sofia = { user: "Sofia Wei", agent: "Voice Concierge" };
const omar = { user: "Omar Haddad", agent: "Billing Bot" };

/** One entry of each of the seven lifecycle kinds (oldest first), on two sessions. */
const LIFECYCLE: ActivityEntry[] = [
  { kind: "session", at: at(1), session_id: "ses_yea8iybwpvb", what: "started", who: sofia },
  {
    kind: "message",
    at: at(2),
    session_id: "ses_yea8iybwpvb",
    role: "user",
    text: "My card was declined",
    who: sofia,
  },
  { kind: "status", at: at(3), session_id: "ses_yea8iybwpvb", from: "active", to: "thinking", who: sofia },
  {
    kind: "message",
    at: at(4),
    session_id: "ses_yea8iybwpvb",
    role: "agent",
    text: "Let me check that",
    who: sofia,
  },
  {
    kind: "intervention",
    at: at(5),
    intervention: makeIntervention({
      session_id: "ses_omar000001",
      type: "transfer",
      reason: "VIP",
    }) as never,
    who: omar,
  },
  {
    kind: "transfer",
    at: at(6),
    session_id: "ses_omar000001",
    from: "Billing Bot",
    to: "Human queue",
    who: omar,
  },
  {
    kind: "session",
    at: at(7),
    session_id: "ses_yea8iybwpvb",
    what: "ended",
    detail: "resolved",
    who: sofia,
  },
];

let model: Panel;
let port: FakePanelPort;
afterEach(() => {
  vi.useRealTimers();
  unmountAll();
  model?.[Symbol.dispose]();
});

function feed(activity: ActivityEntry[]) {
  port = createFakePanelPort();
  model = createPanel(port, { schedule: immediately, tickMs: 0, clock: () => T0 + 10_000 });
  flushed(() =>
    port.send({
      type: "init",
      state: makePanelState({ sessions: [makeSession({ id: "ses_omar000001" }) as never], activity }),
    }),
  );
  return mount(<ActivityLog panel={model} />);
}
const rows = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>(".activity-entry")];
const texts = (root: HTMLElement) => rows(root).map((r) => r.querySelector(".activity-text")?.textContent);
const toggle = (root: HTMLElement, value: string) =>
  flushed(() => root.querySelector<HTMLButtonElement>(`.flt-toggle[data-value="${value}"]`)?.click());

describe("activity feed", () => {
  it("shows each lifecycle kind newest first, named by user and agent, never by raw id", () => {
    const m = feed(LIFECYCLE);
    expect(rows(m.root).map((r) => r.dataset.feedKind)).toEqual([
      "ended",
      "transfer",
      "intervention",
      "agent_response",
      "status",
      "user_message",
      "started",
    ]);
    expect(texts(m.root)).toEqual([
      "Session ended: resolved",
      "Transferred from Billing Bot to Human queue",
      "Transfer: VIP",
      "Agent: Let me check that",
      "Status Active → Thinking",
      "User: My card was declined",
      "Session started",
    ]);
    const who = rows(m.root).map((r) => r.querySelector(".activity-session")?.textContent);
    expect(who[0]).toBe("Sofia Wei · Voice Concierge");
    expect(who[1]).toBe("Omar Haddad · Billing Bot");
    expect(m.root.textContent).not.toContain("ses_");
    // Each row opens its session.
    flushed(() => rows(m.root)[1]?.querySelector<HTMLButtonElement>(".activity-open")?.click());
    expect(model.conversation.selectedId.value).toBe("ses_omar000001");
  });

  it("filters by kind (toggles add up) and by session", () => {
    const m = feed(LIFECYCLE);
    toggle(m.root, "user_message");
    expect(texts(m.root)).toEqual(["User: My card was declined"]);
    toggle(m.root, "transfer");
    expect(rows(m.root).map((r) => r.dataset.feedKind)).toEqual(["transfer", "user_message"]);
    toggle(m.root, "user_message");
    toggle(m.root, "transfer");
    expect(rows(m.root)).toHaveLength(7);

    flushed(() => rows(m.root)[1]?.querySelector<HTMLButtonElement>(".activity-only-btn")?.click());
    expect(m.root.querySelector(".activity-only")?.textContent).toContain("Only Omar Haddad · Billing Bot");
    expect(rows(m.root).map((r) => r.dataset.feedKind)).toEqual(["transfer", "intervention"]);
    toggle(m.root, "ended");
    expect(m.root.querySelector(".empty-note")?.textContent).toBe("Nothing matches this filter.");
    flushed(() => m.root.querySelector<HTMLButtonElement>(".activity-only-clear")?.click());
    expect(texts(m.root)).toEqual(["Session ended: resolved"]);
  });

  it("renders only the visible rows of a long log", () => {
    const many: ActivityEntry[] = Array.from({ length: 1000 }, (_, i) => ({
      kind: "message",
      at: at(i),
      session_id: "ses_yea8iybwpvb",
      role: "user",
      text: `m${i}`,
      who: sofia,
    }));
    const m = feed(many);
    const list = m.root.querySelector<HTMLElement>(".activity");
    expect(list?.style.height).toBe(`${1000 * ACTIVITY_ROW_HEIGHT}px`);
    expect(rows(m.root).length).toBeLessThan(30);
    expect(texts(m.root)[0]).toBe("User: m999");
    expect(rows(m.root)[0]?.getAttribute("aria-setsize")).toBe("1000");
  });

  it("holds still while scrolled down or paused, and counts what is new", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    vi.advanceTimersByTime(10_000);
    const m = feed(LIFECYCLE);
    /** A patch, then the feed's next refresh. */
    const patch = (activity: ActivityEntry[]) => {
      flushed(() => port.send({ type: "patch", patch: { activity } }));
      flushed(() => vi.advanceTimersByTime(ACTIVITY_REFRESH_MS));
    };
    const scroller = m.root.querySelector<HTMLElement>(".activity-scroll") as HTMLElement;
    const more = (n: number): ActivityEntry => ({
      kind: "message",
      at: at(100 + n),
      session_id: "ses_yea8iybwpvb",
      role: "user",
      text: `new ${n}`,
      who: sofia,
    });
    flushed(() => {
      scroller.scrollTop = ACTIVITY_ROW_HEIGHT;
      scroller.dispatchEvent(new Event("scroll"));
    });
    patch([more(1), more(2)]);
    expect(texts(m.root)[0]).toBe("Session ended: resolved");
    expect(m.root.querySelector(".activity-new")?.textContent).toBe("2 new events");
    flushed(() => m.root.querySelector<HTMLButtonElement>(".activity-new")?.click());
    expect(texts(m.root)[0]).toBe("User: new 2");
    expect(m.root.querySelector(".activity-new")).toBeNull();

    const pause = m.root.querySelector<HTMLButtonElement>(".activity-pause") as HTMLButtonElement;
    flushed(() => pause.click());
    expect(pause.getAttribute("aria-pressed")).toBe("true");
    patch([more(3)]);
    expect(texts(m.root)[0]).toBe("User: new 2");
    expect(m.root.querySelector(".activity-new")?.textContent).toBe("1 new event");
    flushed(() => pause.click());
    expect(texts(m.root)[0]).toBe("User: new 3");
  });

  it("moves at most every ACTIVITY_REFRESH_MS while entries pour in (a quiet spell's first entry at once)", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    vi.advanceTimersByTime(10_000);
    const m = feed(LIFECYCLE);
    const msg = (n: number): ActivityEntry => ({
      kind: "message",
      at: at(200 + n),
      session_id: "ses_yea8iybwpvb",
      role: "user",
      text: `burst ${n}`,
      who: sofia,
    });
    vi.advanceTimersByTime(ACTIVITY_REFRESH_MS);
    flushed(() => port.send({ type: "patch", patch: { activity: [msg(1)] } }));
    expect(texts(m.root)[0]).toBe("User: burst 1"); // after a quiet spell: at once
    for (let i = 2; i <= 5; i++) flushed(() => port.send({ type: "patch", patch: { activity: [msg(i)] } }));
    expect(texts(m.root)[0]).toBe("User: burst 1"); // held back…
    flushed(() => vi.advanceTimersByTime(ACTIVITY_REFRESH_MS));
    expect(texts(m.root)[0]).toBe("User: burst 5"); // …then all at once
  });
});
