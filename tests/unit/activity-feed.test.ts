/**
 * The activity feed's log (worker) and filter: every lifecycle kind recorded
 * through the real stream path, named by user and agent (ended sessions too),
 * bounded with the chatty kinds dropped first, and filtered by kind and session.
 */
import { describe, expect, it } from "vitest";
import { describeActivity } from "../../utils/activity/describe";
import { activityName, filterActivity, NO_ACTIVITY_FILTER } from "../../utils/activity/filter";
import { boundActivity, type FeedKind, feedKindOf } from "../../utils/activity/kinds";
import type { ActivityEntry } from "../../utils/panel-messages";
import type { EventFrame } from "../../utils/protocol";
import { createActivityLog } from "../../utils/store/activity-log";
import { createChangeSet } from "../../utils/store/change-set";
import { createCounters } from "../../utils/store/counters";
import { createStreamSync } from "../../utils/worker/stream-sync";
import { EPOCH, makeEvent, makeIntervention, makeMessage, makeSession, TS } from "../fixtures/frames";

function setup() {
  const changes = createChangeSet();
  const sync = createStreamSync({
    changes,
    counters: createCounters(),
    link: { requestSnapshot() {}, requestReplay() {}, fetchSession: async () => ({ messages: [] }) },
  });
  sync.sequencer.reset({ epoch: EPOCH, seq: 0 });
  let seq = 0;
  const send = (kind: Parameters<typeof makeEvent>[0], data: unknown, sid = "ses_a") =>
    sync.frame(makeEvent(kind, data, ++seq, { session_id: sid }) as EventFrame);
  return { sync, changes, send };
}

const user = (n: number): ActivityEntry => ({
  kind: "message",
  at: TS,
  session_id: `ses_${n % 3}`,
  role: "user",
  text: `m${n}`,
});

describe("activity log (worker)", () => {
  it("records all seven lifecycle kinds, each named by user and agent", () => {
    const { sync, changes, send } = setup();
    const a = makeSession({ id: "ses_a", user: { id: "usr_s", name: "Sofia Wei" } });
    send("session_started", a);
    send("message_received", makeMessage({ id: "m1", text: "Where is **my** order?" }));
    send("agent_thinking", { message_id: "m2" });
    send("message_sent", makeMessage({ id: "m2", role: "agent", text: "It ships today.\nMore later." }));
    send(
      "intervention_triggered",
      makeIntervention({ session_id: "ses_a", type: "transfer", reason: "VIP" }),
    );
    send("session_updated", {
      id: "ses_a",
      status: "transferring",
      agent: { id: "human_queue", name: "Human queue", color: "#888888" },
    });
    send("session_ended", { reason: "resolved", ended_at: TS });

    const entries = sync.activity.entries();
    const kinds = entries.map(feedKindOf);
    for (const k of [
      "started",
      "user_message",
      "agent_response",
      "status",
      "intervention",
      "transfer",
      "ended",
    ] as const)
      expect(kinds).toContain(k);
    expect(kinds).toEqual([
      "started",
      "user_message",
      "status", // active → thinking
      "agent_response",
      "status", // thinking → active
      "intervention",
      "transfer",
      "status", // active → transferring
      "ended",
    ]);
    // Names, never the raw id — also once the session has ended (it left the store).
    expect(sync.sessions.sessions.has("ses_a")).toBe(false);
    for (const e of entries) expect(e.who?.user).toBe("Sofia Wei");
    expect(entries.at(-1)?.who).toEqual({ user: "Sofia Wei", agent: "Human queue" });
    expect(entries.find((e) => e.kind === "transfer")).toMatchObject({
      from: "Support Bot",
      to: "Human queue",
    });
    expect(entries.find((e) => e.kind === "message" && e.role === "agent")).toMatchObject({
      text: "It ships today. More later.",
    });
    expect(describeActivity(entries[1] as ActivityEntry)).toMatchObject({
      text: "User: Where is my order?",
      who: "Sofia Wei · Support Bot",
    });
    expect(describeActivity(entries[2] as ActivityEntry).text).toBe("Status Active → Thinking");
    expect(describeActivity(entries.at(-1) as ActivityEntry)).toMatchObject({
      text: "Session ended: resolved",
      who: "Sofia Wei · Human queue",
    });
    // The panel receives the same entries in its patch.
    expect(changes.take().activity.map(feedKindOf)).toEqual(kinds);
  });

  it("stays bounded, dropping messages and status changes before the rare kinds", () => {
    const log = createActivityLog(100);
    const { sync, send } = setup();
    send("session_started", makeSession({ id: "ses_a" }));
    const started = sync.activity.entries()[0] as ActivityEntry;
    log.add(started);
    for (let i = 0; i < 5000; i++) log.add(user(i));
    const entries = log.entries();
    expect(entries).toHaveLength(100);
    expect(entries[0]).toBe(started);
    expect(entries.at(-1)).toMatchObject({ text: "m4999" });
    expect(log.size).toBe(100);
  });

  it("boundActivity keeps order and drops the oldest rare entries only when they alone overflow", () => {
    const rare = (n: number): ActivityEntry => ({
      kind: "session",
      at: TS,
      session_id: `ses_${n}`,
      what: "started",
    });
    const items = [rare(1), user(1), rare(2), user(2), rare(3)];
    expect(boundActivity(items, 5)).toBe(items);
    expect(boundActivity(items, 3)).toEqual([rare(1), rare(2), rare(3)]);
    expect(boundActivity(items, 2)).toEqual([rare(2), rare(3)]);
  });
});

describe("activity filter", () => {
  const entries: ActivityEntry[] = [
    {
      kind: "session",
      at: TS,
      session_id: "ses_a",
      what: "started",
      who: { user: "Sofia", agent: "Concierge" },
    },
    {
      kind: "message",
      at: TS,
      session_id: "ses_b",
      role: "user",
      text: "hi",
      who: { user: "Omar", agent: "Billing" },
    },
    { kind: "message", at: TS, session_id: "ses_a", role: "agent", text: "hello" },
    { kind: "status", at: TS, session_id: "ses_a", from: "active", to: "thinking" },
    { kind: "error", at: TS, session_id: null, code: "UPSTREAM", message: "slow", severity: "warning" },
    { kind: "intervention", at: TS, intervention: makeIntervention({ session_id: "ses_b" }) as never },
  ];
  const only = (kinds: FeedKind[], session: string | null = null) =>
    filterActivity(entries, { kinds: new Set(kinds), session }).map(feedKindOf);

  it("lets everything through when nothing is chosen (same array)", () => {
    expect(filterActivity(entries, NO_ACTIVITY_FILTER)).toBe(entries);
  });
  it("filters by kind (several kinds are an OR)", () => {
    expect(only(["agent_response"])).toEqual(["agent_response"]);
    expect(only(["user_message", "status"])).toEqual(["user_message", "status"]);
    expect(only(["ended"])).toEqual([]);
  });
  it("filters by session (an intervention by its session_id; system-wide errors are out)", () => {
    expect(only([], "ses_b")).toEqual(["user_message", "intervention"]);
    expect(only(["intervention"], "ses_a")).toEqual([]);
  });
  it("names a session by its newest entry that carries names", () => {
    expect(activityName(entries, "ses_a")).toBe("Sofia · Concierge");
    expect(activityName(entries, "ses_b")).toBe("Omar · Billing");
    expect(activityName(entries, "ses_x")).toBeNull();
  });
});
