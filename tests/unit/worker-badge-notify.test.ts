import { afterEach, describe, expect, it, vi } from "vitest";
import { BADGE_COLORS, badgeFor } from "../../utils/attention/badge";
import { createNotifier, sessionOfNotification } from "../../utils/attention/notifier";
import type { ConnectionInfo } from "../../utils/panel-messages";
import type { EventFrame, EventKind, Session } from "../../utils/protocol";
import type { NotificationKind } from "../../utils/settings";
import { makeEvent, makeIntervention, makeSession } from "../fixtures/frames";

const connected: ConnectionInfo = { state: "connected", latency_ms: 12, since: 0 };
const s = (id: string, priority: string, status = "active") =>
  makeSession({ id, priority, status }) as Session;

describe("badge", () => {
  it("counts active urgent and high sessions, red when any is urgent, with a breakdown", () => {
    const view = badgeFor(
      [s("a", "urgent"), s("b", "high"), s("c", "normal"), s("d", "urgent", "ended")],
      connected,
    );
    expect(view).toMatchObject({ text: "2", color: BADGE_COLORS.urgent });
    expect(view.title).toContain("1 urgent, 1 high priority, 3 active");
    expect(badgeFor([s("b", "high")], connected).color).toBe(BADGE_COLORS.high);
    expect(badgeFor([s("c", "low")], connected).text).toBe("");
  });

  it("counts sessions with drafts awaiting approval (review mode)", () => {
    const reviewed = makeSession({
      id: "r",
      priority: "normal",
      review: { enabled: true, drafts_waiting: 2 },
    });
    const view = badgeFor([reviewed as Session, s("c", "normal")], connected);
    expect(view).toMatchObject({ text: "1", color: BADGE_COLORS.urgent });
    expect(view.title).toContain("2 drafts awaiting approval");
  });

  it("shows a distinct badge when disconnected or unauthorized", () => {
    expect(badgeFor([s("a", "urgent")], { state: "reconnecting", latency_ms: null, since: 0 }).text).toBe(
      "off",
    );
    expect(badgeFor([], { state: "unauthorized", latency_ms: null, since: 0, detail: "401" })).toMatchObject({
      text: "!",
      color: BADGE_COLORS.unauthorized,
    });
    expect(badgeFor([s("a", "urgent")], { state: "polling", latency_ms: null, since: 0 }).title).toContain(
      "polling",
    );
  });
});

describe("notifications", () => {
  afterEach(() => vi.useRealTimers());
  function setup(enabled: (kind: NotificationKind) => boolean = () => true) {
    vi.useFakeTimers();
    const created: { id: string; title: string; message: string }[] = [];
    const sessions = new Map<string, Session>();
    const n = createNotifier({
      api: { create: (id, o) => void created.push({ id, ...o }) },
      enabled,
      session: (id) => sessions.get(id),
      coalesceMs: 1000,
      connectionLostMs: 60_000,
    });
    return { n, created, sessions };
  }
  const ev = (kind: EventKind, data: unknown, sid: string | null = "ses_1") =>
    makeEvent(kind, data, 1, { session_id: sid }) as EventFrame;

  it("coalesces a burst of 50 urgent sessions into one notification that focuses the first", () => {
    const { n, created } = setup();
    for (let i = 0; i < 50; i++)
      n.event(ev("session_started", makeSession({ id: `ses_${i}`, priority: "urgent" }), `ses_${i}`), null);
    vi.advanceTimersByTime(1000);
    expect(created).toHaveLength(1);
    expect(created[0]?.title).toBe("50 urgent sessions");
    expect(created[0]?.message).toContain("and 47 more");
    expect(sessionOfNotification(created[0]?.id ?? "")).toBe("ses_0");
  });

  it("names the channel in words and leaves no dangling colon when there is no message", () => {
    const { n, created } = setup();
    const sofia = { id: "usr_s", name: "Sofia Wei" };
    const concierge = { id: "agt_vc", name: "Voice Concierge", color: "#2563eb" };
    n.event(
      ev(
        "session_started",
        makeSession({
          id: "ses_1",
          priority: "urgent",
          channel: "phone",
          user: sofia,
          agent: concierge,
          preview: "",
        }),
      ),
      null,
    );
    vi.advanceTimersByTime(1000);
    expect(created[0]?.message).toBe("Sofia Wei (Phone, Voice Concierge)");
    n.event(
      ev(
        "session_started",
        makeSession({
          id: "ses_2",
          priority: "urgent",
          channel: "mobile_sdk",
          user: sofia,
          preview: "  Card   declined ",
        }),
        "ses_2",
      ),
      null,
    );
    vi.advanceTimersByTime(1000);
    expect(created[1]?.message).toBe("Sofia Wei (Mobile SDK, Support Bot): Card declined");
  });

  it("notifies a raise to urgent, errors, handoffs; not warnings or normal sessions", () => {
    const { n, created } = setup();
    n.event(ev("session_updated", { priority: "urgent" }), { priority: "normal" });
    n.event(ev("session_updated", { priority: "urgent" }, "ses_2"), { priority: "urgent" }); // already urgent
    n.event(ev("session_started", makeSession({ priority: "normal" })), null);
    n.event(ev("error_occurred", { code: "X", message: "m", severity: "warning" }), null);
    n.event(ev("error_occurred", { code: "LLM", message: "down", severity: "critical" }, null), null);
    n.event(
      ev("intervention_triggered", makeIntervention({ type: "transfer", payload: { queue: "human" } })),
      null,
    );
    vi.advanceTimersByTime(1000);
    expect(created.map((c) => c.title).sort()).toEqual([
      "Agent error",
      "Handoff to the human queue",
      "Urgent session",
    ]);
  });

  it("respects the per-type switches", () => {
    const { n, created } = setup((kind) => kind !== "urgent");
    n.event(ev("session_started", makeSession({ priority: "urgent" })), null);
    vi.advanceTimersByTime(1000);
    expect(created).toHaveLength(0);
  });

  it("says when the connection has been lost for more than a minute, once", () => {
    const { n, created } = setup();
    n.connection({ state: "reconnecting", latency_ms: null, since: 0 });
    vi.advanceTimersByTime(30_000);
    n.connection({ state: "offline", latency_ms: null, since: 0 });
    vi.advanceTimersByTime(31_000);
    expect(created).toHaveLength(1);
    expect(created[0]?.title).toContain("disconnected");
    vi.advanceTimersByTime(120_000);
    expect(created).toHaveLength(1);
    n.connection(connected);
    n.connection({ state: "reconnecting", latency_ms: null, since: 0 });
    vi.advanceTimersByTime(10_000);
    n.connection(connected);
    vi.advanceTimersByTime(120_000);
    expect(created).toHaveLength(1);
  });
});

describe("alert rules in the badge and notifications", () => {
  afterEach(() => vi.useRealTimers());
  const connected: ConnectionInfo = { state: "connected", latency_ms: 10, since: 0 };

  it("alerted sessions count once in the badge, red, named in the tooltip", () => {
    const normal = makeSession({ id: "a", priority: "normal" }) as Session;
    const urgent = makeSession({ id: "b", priority: "urgent" }) as Session;
    const ended = makeSession({ id: "c", status: "ended" }) as Session;
    expect(badgeFor([normal, urgent, ended], connected).text).toBe("1");
    const view = badgeFor([normal, urgent, ended], connected, new Set(["a", "b", "c"]));
    expect(view.text).toBe("2");
    expect(view.color).toBe(BADGE_COLORS.urgent);
    // The title counts the same sessions as the text: the ended one's alert is not among them.
    expect(view.title).toContain("2 with an alert");
    expect(badgeFor([normal], connected, new Set(["a"])).color).toBe(BADGE_COLORS.urgent);
  });

  it("after a restart, alerts of sessions no longer active count nowhere (not '6 with an alert' among 0 active)", () => {
    const restored = new Set(["s1", "s2", "s3", "s4", "s5", "s6"]);
    const view = badgeFor([], connected, restored);
    expect(view.text).toBe("");
    expect(view.title).toBe("Live Conversations — 0 urgent, 0 high priority, 0 active in total");
    expect(view.color).toBe(BADGE_COLORS.high);
  });

  it("a rule firing on a burst is one notification naming the rule, its sessions and why", () => {
    vi.useFakeTimers();
    const created: { id: string; title: string; message: string }[] = [];
    const n = createNotifier({
      api: { create: (id, o) => void created.push({ id, ...o }) },
      enabled: () => true,
      session: (id) => makeSession({ id, user: { id: "u", name: `User ${id}` } }) as Session,
      coalesceMs: 100,
    });
    const alert = (sid: string, rule = "r1") => ({
      id: `${rule}|${sid}`,
      rule_id: rule,
      rule_name: rule === "r1" ? "Lawyer" : "Angry",
      session_id: sid,
      why: "user said “lawyer”",
      actions: ["notification" as const],
      repeat_until_ack: false,
      at: 0,
    });
    for (const sid of ["s1", "s2", "s3", "s4", "s5"]) n.alert(alert(sid));
    n.alert(alert("s9", "r2"));
    vi.advanceTimersByTime(100);
    expect(created).toHaveLength(2);
    expect(created[0]?.title).toBe("Rule ‘Lawyer’ — 5 alerts");
    expect(created[0]?.message.split("\n")).toEqual([
      "User s1 (Web, Support Bot): user said “lawyer”",
      "User s2 (Web, Support Bot): user said “lawyer”",
      "User s3 (Web, Support Bot): user said “lawyer”",
      "…and 2 more",
    ]);
    expect(sessionOfNotification(created[0]?.id ?? "")).toBe("s1");
    expect(created[1]?.title).toBe("Rule ‘Angry’");
    n.dispose();
  });
});
