// @vitest-environment happy-dom
import { signal } from "@preact/signals";
import { afterEach, describe, expect, it } from "vitest";
import { DisplayPrefsContext } from "@/components/display-prefs";
import { SessionCard } from "@/components/session-card";
import { DEFAULT_DISPLAY_PREFS } from "@/utils/panel/display-prefs";
import { CHANNELS, type Session } from "@/utils/protocol";
import { makeSession } from "../fixtures/frames";
import { flushed, mount, unmountAll } from "../helpers/render";

const START = Date.parse("2026-06-24T16:30:00.123Z");
afterEach(unmountAll);

function card(overrides: Record<string, unknown> = {}, nowMs = START + 65_000) {
  const now = signal(nowMs);
  const s = makeSession(overrides) as Session;
  const m = mount(<SessionCard session={s} now={now} />);
  const el = m.root.querySelector<HTMLElement>("[data-session-id]");
  if (!el) throw new Error("no card");
  return { el, now, m };
}

describe("session card", () => {
  it("carries data-session-id, the agent badge with its colour, user, preview and an accessible label", () => {
    const { el } = card();
    expect(el.dataset.sessionId).toBe("ses_abc123xyz");
    expect(el.getAttribute("role")).toBe("option");
    expect(el.querySelector(".agent-name")?.textContent).toBe("Support Bot");
    expect(el.querySelector<HTMLElement>(".agent-dot")?.style.backgroundColor).toMatch(
      /#2563eb|rgb\(37, 99, 235\)/,
    );
    expect(el.querySelector(".card-user")?.textContent).toBe("Alex Kim");
    expect(el.querySelector(".card-preview")?.textContent).toBe("Hi, my order has not arrived");
    expect(el.getAttribute("aria-description")).toContain("Alex Kim with Support Bot");
    // Named by its visible text (no aria-label), which starts with the user.
    expect(el.hasAttribute("aria-label")).toBe(false);
    expect(el.textContent?.startsWith("Alex Kim")).toBe(true);
  });

  it("shows the risk and sentiment chips only when notable, from the thresholds in the options", () => {
    const prefs = signal(DEFAULT_DISPLAY_PREFS);
    const now = signal(START);
    const calm = makeSession({ risk: { score: 0.07, reason: "Routine" }, sentiment: -0.1 }) as Session;
    const m = mount(
      <DisplayPrefsContext.Provider value={prefs}>
        <SessionCard session={calm} now={now} />
      </DisplayPrefsContext.Provider>,
    );
    expect(m.root.querySelector(".risk-chip")).toBeNull();
    expect(m.root.querySelector(".sentiment-chip")).toBeNull();
    // The risk is still in the description, for a screen reader.
    expect(m.root.querySelector("[data-session-id]")?.getAttribute("aria-description")).toContain("risk 7%");
    flushed(() => {
      prefs.value = { ...DEFAULT_DISPLAY_PREFS, riskMin: 0.05, sentimentMin: 0.1 };
    });
    expect(m.root.querySelector(".risk-chip")?.getAttribute("data-risk")).toBe("0.07");
    expect(m.root.querySelector(".sentiment-chip")).not.toBeNull();
  });

  it("falls back to the user id and refuses a hostile agent colour", () => {
    const { el } = card({
      user: { id: "usr_42" },
      agent: { id: "a", name: "A", color: "red;background:url(x)" },
    });
    expect(el.querySelector(".card-user")?.textContent).toBe("usr_42");
    expect(el.querySelector<HTMLElement>(".agent-dot")?.getAttribute("style") ?? "").not.toContain("url");
  });

  it("shows an icon and label for every channel", () => {
    const labels: Record<string, string> = {
      web: "Web",
      phone: "Phone",
      telegram: "Telegram",
      whatsapp: "WhatsApp",
      mobile_sdk: "Mobile SDK",
      sip: "SIP",
    };
    for (const channel of CHANNELS) {
      const { el } = card({ channel });
      expect(el.querySelector(`svg[data-channel="${channel}"]`)).not.toBeNull();
      expect(el.querySelector(".channel-label")?.textContent).toBe(labels[channel]);
    }
  });

  it("shows a live elapsed time, m:ss then h:mm:ss, from the shared ticker", () => {
    const { el, now } = card();
    expect(el.querySelector(".elapsed")?.textContent).toBe("1:05");
    flushed(() => {
      now.value = START + 3_725_000;
    });
    expect(el.querySelector(".elapsed")?.textContent).toBe("1:02:05");
  });

  it("colour-codes and animates the status", () => {
    const expected: Record<string, [string, boolean]> = {
      streaming: ["Agent typing…", true],
      thinking: ["Thinking…", true],
      paused: ["Paused", false],
      error: ["Error", false],
      active: ["Active", false],
    };
    for (const [status, [label, animated]] of Object.entries(expected)) {
      const { el } = card({ status });
      const badge = el.querySelector(".status-badge");
      expect(badge?.textContent).toBe(label);
      expect(badge?.classList.contains(`status-${status}`)).toBe(true);
      expect(badge?.classList.contains("animated")).toBe(animated);
    }
  });

  it("cuts the preview at 80 characters", () => {
    const { el } = card({ preview: `${"x".repeat(79)}yz` });
    const text = el.querySelector(".card-preview")?.textContent ?? "";
    expect(Array.from(text)).toHaveLength(80);
    expect(text.endsWith("…")).toBe(true);
  });

  it("makes high and urgent sessions stand out", () => {
    expect(card({ priority: "normal" }).el.querySelector(".priority-tag")).toBeNull();
    const high = card({ priority: "high" }).el;
    expect(high.classList.contains("priority-high")).toBe(true);
    expect(high.querySelector(".priority-tag")?.textContent).toBe("High");
    const urgent = card({ priority: "urgent" }).el;
    expect(urgent.classList.contains("priority-urgent")).toBe(true);
    expect(urgent.querySelector(".priority-tag")?.textContent).toBe("Urgent");
    expect(urgent.getAttribute("aria-description")).toContain("urgent priority");
  });
});
