/**
 * AI insight in the worker: the session reducer (hand-off requests, sentiment
 * and risk derived from user messages, totals replaced), the gateway's
 * reducer doing the same, transcripts keeping steps per reply (bounded, last
 * version wins, reloaded with the transcript), the panel hub sending steps
 * only when they changed, the badge and the notification.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { applyEvent, MAX_STEPS, type Sessions } from "../../gateway/org/reducer";
import { BADGE_COLORS, badgeFor } from "../../utils/attention/badge";
import { createNotifier } from "../../utils/attention/notifier";
import { mergeTranscript } from "../../utils/panel/transcript-sharing";
import type { ConnectionInfo, PanelState, Transcript } from "../../utils/panel-messages";
import type { AgentStep, EventFrame, EventKind, Session } from "../../utils/protocol";
import { createQueryService } from "../../utils/query";
import { createChangeSet } from "../../utils/store/change-set";
import { createSessionStore } from "../../utils/store/session-store";
import { createTranscriptStore, TRANSCRIPT_STEP_LIMIT } from "../../utils/store/transcripts";
import { createPanelHub } from "../../utils/worker/panel-hub";
import { makeEvent, makeMessage, makeSession, TS } from "../fixtures/frames";
import { createFakePanel } from "../helpers/worker-node";

const SID = "ses_abc123xyz";
const ev = (kind: EventKind, data: unknown, seq = 1) => makeEvent(kind, data, seq) as EventFrame;
const step = (n: number, status: AgentStep["status"], extra: Partial<AgentStep> = {}): AgentStep => ({
  step_id: `stp_${n}`,
  message_id: "msg_9",
  kind: "tool_call",
  name: "lookup_order",
  input: { order_id: "12345" },
  status,
  started_at: TS,
  ...extra,
});
afterEach(() => vi.useRealTimers());

describe("session reducers (worker and gateway alike)", () => {
  const feed: [EventKind, unknown][] = [
    ["session_started", makeSession({ message_count: 0 })],
    [
      "message_received",
      makeMessage({ id: "m1", sentiment: -0.2, risk: { score: 0.9, reason: "Legal threat" } }),
    ],
    ["message_received", makeMessage({ id: "m2", sentiment: 0.4, risk: { score: 0.1, reason: "Routine" } })],
    // An agent's message never sets the user's scores.
    ["message_sent", makeMessage({ id: "m3", role: "agent", sentiment: -1 })],
    ["agent_step", step(1, "running")],
    ["handoff_requested", { reason: "Refund above the limit", requested_at: TS }],
    ["session_updated", { totals: { cost_usd: 0.01, input_tokens: 900, output_tokens: 80, replies: 1 } }],
  ];

  it("derive the latest sentiment and the highest risk, take hand-off requests and totals", () => {
    const store = createSessionStore(createChangeSet());
    const sessions: Sessions = new Map();
    feed.forEach(([kind, data], i) => {
      store.apply(ev(kind, data, i + 1));
      applyEvent(sessions, ev(kind, data, i + 1));
    });
    const worker = store.sessions.get(SID);
    const gateway = sessions.get(SID)?.session;
    for (const s of [worker, gateway]) {
      expect(s?.sentiment).toBe(0.4);
      expect(s?.risk).toEqual({ score: 0.9, reason: "Legal threat" });
      expect(s?.handoff).toEqual({ reason: "Refund above the limit", requested_at: TS });
      expect(s?.totals?.replies).toBe(1);
    }
    // A supervisor dealt with it.
    store.apply(ev("session_updated", { handoff: null }, 99));
    applyEvent(sessions, ev("session_updated", { handoff: null }, 99));
    expect(store.sessions.get(SID)?.handoff).toBeNull();
    expect(sessions.get(SID)?.session.handoff).toBeNull();
  });

  it("the gateway keeps a session's steps, last version of each, bounded", () => {
    const sessions: Sessions = new Map();
    applyEvent(sessions, ev("session_started", makeSession()));
    applyEvent(sessions, ev("agent_step", step(1, "running"), 2));
    applyEvent(sessions, ev("agent_step", step(1, "error", { error: "HTTP 504", duration_ms: 300 }), 3));
    expect(sessions.get(SID)?.steps).toEqual([step(1, "error", { error: "HTTP 504", duration_ms: 300 })]);
    for (let i = 2; i < MAX_STEPS + 50; i++) applyEvent(sessions, ev("agent_step", step(i, "ok"), i + 10));
    const kept = sessions.get(SID)?.steps ?? [];
    expect(kept).toHaveLength(MAX_STEPS);
    expect(kept.at(-1)?.step_id).toBe(`stp_${MAX_STEPS + 49}`);
  });
});

describe("transcripts keep steps per reply", () => {
  it("updates a step in place, keeps them across a reload, bounded, in a new array on each change", () => {
    const changes = createChangeSet();
    const t = createTranscriptStore(changes);
    t.watch([SID]);
    const gen = t.beginLoad(SID);
    t.applyEvent(ev("agent_step", step(1, "running"), 5)); // held while loading
    t.loaded(SID, gen, [makeMessage({ id: "m1" }) as never], [step(0, "ok")]);
    const first = t.get(SID)?.steps;
    expect(first?.map((s) => `${s.step_id}:${s.status}`)).toEqual(["stp_0:ok", "stp_1:running"]);
    t.applyEvent(ev("agent_step", step(1, "ok", { output: { status: "in_transit" }, duration_ms: 120 }), 6));
    const second = t.get(SID)?.steps;
    expect(second).not.toBe(first);
    expect(second?.map((s) => `${s.step_id}:${s.status}`)).toEqual(["stp_0:ok", "stp_1:ok"]);
    expect(second?.[1]?.output).toEqual({ status: "in_transit" });
    // Unchanged between two reads: the same array (so a sender can skip it).
    expect(t.get(SID)?.steps).toBe(second);
    for (let i = 2; i < TRANSCRIPT_STEP_LIMIT + 10; i++)
      t.applyEvent(ev("agent_step", step(i, "ok"), i + 10));
    expect(t.get(SID)?.steps).toHaveLength(TRANSCRIPT_STEP_LIMIT);
  });

  it("the panel hub sends a transcript's steps whole first, then only when they changed; the panel keeps them", () => {
    vi.useFakeTimers();
    const changes = createChangeSet();
    const store = createTranscriptStore(changes);
    store.watch([SID]);
    store.loaded(SID, store.beginLoad(SID), [], [step(1, "running")]);
    const hub = createPanelHub({
      changes,
      flushMs: 10,
      query: createQueryService({ sessions: new Map() }),
      source: {
        state: () => ({ transcripts: [] }) as unknown as PanelState,
        transcript: (id) => store.get(id),
        extras: () => ({}),
      },
      onWatch: () => undefined,
      onCommand: () => undefined,
      onResync: () => undefined,
    });
    const panel = createFakePanel();
    hub.connect(panel.port);
    panel.send({ type: "watch", session_ids: [SID] });
    const patches = () =>
      panel.messages.flatMap((m) => (m.type === "patch" && m.patch.transcripts ? m.patch.transcripts : []));
    let shown: Transcript | undefined;
    const view = () => {
      for (const p of patches()) shown = mergeTranscript(shown, p);
      panel.messages.length = 0;
      return shown;
    };
    changes.transcript(SID);
    hub.flush(); // the first patch after a watch is whole again
    expect(view()?.steps?.map((s) => s.status)).toEqual(["running"]);
    // A message without step changes: no steps in the patch, the panel keeps its own.
    store.applyEvent(ev("message_received", makeMessage({ id: "m1" }), 2));
    hub.flush();
    expect(patches()[0]?.steps).toBeUndefined();
    expect(view()?.steps?.map((s) => s.status)).toEqual(["running"]);
    store.applyEvent(ev("agent_step", step(1, "error", { error: "timeout" }), 3));
    hub.flush();
    expect(patches()[0]?.steps?.map((s) => s.status)).toEqual(["error"]);
    expect(view()?.steps?.[0]?.error).toBe("timeout");
    hub.dispose();
  });
});

describe("badge and notifications", () => {
  const connected: ConnectionInfo = { state: "connected", latency_ms: 5, since: 0 };
  const ses = (id: string, extra: Record<string, unknown> = {}) => makeSession({ id, ...extra }) as Session;

  it("the badge counts sessions waiting for a human once each, red, with the count in the tooltip", () => {
    const handoff = { reason: "x", requested_at: TS };
    const view = badgeFor(
      [ses("a", { handoff }), ses("b", { handoff, priority: "high" }), ses("c"), ses("d", { handoff: null })],
      connected,
    );
    expect(view).toMatchObject({ text: "2", color: BADGE_COLORS.urgent });
    expect(view.title).toContain("2 waiting for a human");
    expect(badgeFor([ses("c")], connected).title).not.toContain("waiting");
  });

  it("notifies a hand-off request with its reason, and not when switched off", () => {
    vi.useFakeTimers();
    const created: { id: string; title: string; message: string }[] = [];
    let on = true;
    const n = createNotifier({
      api: { create: (id, o) => void created.push({ id, ...o }) },
      enabled: (kind) => kind !== "handoffRequest" || on,
      session: () => makeSession() as Session,
      coalesceMs: 100,
    });
    n.event(ev("handoff_requested", { reason: "Refund of €250 is above the limit", requested_at: TS }), null);
    vi.advanceTimersByTime(100);
    expect(created).toHaveLength(1);
    expect(created[0]?.title).toBe("The AI asks for a human");
    expect(created[0]?.message).toContain("Refund of €250 is above the limit");
    expect(created[0]?.id).toContain(SID);
    on = false;
    n.event(ev("handoff_requested", { reason: "again", requested_at: TS }), null);
    vi.advanceTimersByTime(100);
    expect(created).toHaveLength(1);
    n.dispose();
  });
});
