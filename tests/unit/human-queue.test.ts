/**
 * The human queue (issue 24) in the worker and the panel: both reducers
 * derive the same session (status out of "transferring", `queued_at` kept),
 * the badge counts a waiting session like a hand-off request, the "waiting
 * first" order puts it on top, the notifier tells of an expiry (switchable),
 * toasts announce the outcome as it happens, the card's words.
 */
import { signal } from "@preact/signals";
import * as v from "valibot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { humanQueueData } from "../../agent-client/human-queue";
import { queueText } from "../../components/insight/queue-tag";
import { applyEvent, type Sessions } from "../../gateway/org/reducer";
import { BADGE_COLORS, badgeFor } from "../../utils/attention/badge";
import { createNotifier } from "../../utils/attention/notifier";
import { toastForUpsert } from "../../utils/attention/session-toasts";
import type { ConnectionInfo } from "../../utils/panel-messages";
import {
  type EventFrame,
  type EventKind,
  HumanQueueState,
  type Session,
  waitingSince,
} from "../../utils/protocol";
import { sortKeys } from "../../utils/query/session-sort";
import { createChangeSet } from "../../utils/store/change-set";
import { createSessionStore } from "../../utils/store/session-store";
import { makeEvent, makeSession } from "../fixtures/frames";

const SID = "ses_abc123xyz";
const T0 = "2026-06-24T16:30:00.000Z";
const T42 = "2026-06-24T16:30:42.000Z";
const ev = (kind: EventKind, data: unknown, seq: number) => makeEvent(kind, data, seq) as EventFrame;
afterEach(() => vi.useRealTimers());

describe("both reducers", () => {
  it("waiting → transferring; picked up → active, who and since when kept; a transfer to an agent clears it", () => {
    const store = createSessionStore(createChangeSet());
    const sessions: Sessions = new Map();
    const feed: [EventKind, unknown][] = [
      ["session_started", makeSession({ status: "active" })],
      ["session_updated", { agent: { id: "queue_human", name: "Human queue", color: "#6b7280" } }],
      ["human_queue", { status: "waiting", at: T0, queued_at: T0, expires_at: "2026-06-24T16:35:00.000Z" }],
    ];
    const both = () => [store.sessions.get(SID), sessions.get(SID)?.session];
    const apply = (kind: EventKind, data: unknown, seq: number) => {
      store.apply(ev(kind, data, seq));
      applyEvent(sessions, ev(kind, data, seq));
    };
    for (const [i, [k, d]] of feed.entries()) apply(k, d, i + 1);
    for (const s of both()) {
      expect(s?.status).toBe("transferring");
      expect(s && waitingSince(s)).toBe(T0);
    }
    apply("human_queue", { status: "picked_up", at: T42, by: { id: "hum_sam", name: "Sam Lee" } }, 9);
    for (const s of both()) {
      expect(s?.status).toBe("active");
      expect(s?.human_queue).toEqual({
        status: "picked_up",
        at: T42,
        queued_at: T0,
        expires_at: "2026-06-24T16:35:00.000Z",
        by: { id: "hum_sam", name: "Sam Lee" },
      });
      expect(s && waitingSince(s)).toBeNull();
    }
    apply(
      "session_updated",
      { human_queue: null, agent: { id: "agt_sales", name: "Sales", color: "#000" } },
      10,
    );
    for (const s of both()) expect(s?.human_queue).toBeNull();
  });

  it("a paused session stays paused while it waits; expired ends transferring", () => {
    const store = createSessionStore(createChangeSet());
    store.apply(ev("session_started", makeSession({ status: "paused" }), 1));
    store.apply(ev("human_queue", { status: "waiting", at: T0 }, 2));
    expect(store.sessions.get(SID)?.status).toBe("paused");
    expect(store.sessions.get(SID)?.human_queue?.queued_at).toBe(T0);
    store.apply(ev("session_updated", { status: "transferring" }, 3));
    store.apply(ev("human_queue", { status: "expired", at: T42 }, 4));
    expect(store.sessions.get(SID)?.status).toBe("active");
  });
});

describe("badge, order, notification, toasts, words", () => {
  const connected: ConnectionInfo = { state: "connected", latency_ms: 5, since: 0 };
  const waiting = { status: "waiting", at: T0, queued_at: T0 };
  const ses = (id: string, extra: Record<string, unknown> = {}) => makeSession({ id, ...extra }) as Session;

  it("the badge counts a waiting session as waiting for a human; an outcome is not counted", () => {
    const view = badgeFor(
      [ses("a", { human_queue: waiting }), ses("b", { human_queue: { status: "expired", at: T42 } })],
      connected,
    );
    expect(view).toMatchObject({ text: "1", color: BADGE_COLORS.urgent });
    expect(view.title).toContain("1 waiting for a human");
  });

  it("waiting first: a queued session sorts by how long it waits", () => {
    expect(sortKeys(ses("a", { human_queue: waiting })).handoff).toBe(Date.parse(T0));
    expect(sortKeys(ses("b", { human_queue: { status: "picked_up", at: T42 } })).handoff).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it("notifies an expiry, and not when switched off", () => {
    vi.useFakeTimers();
    const created: { title: string; message: string }[] = [];
    let on = true;
    const n = createNotifier({
      api: { create: (_id, o) => void created.push(o) },
      enabled: (kind) => kind !== "queueExpired" || on,
      session: () => makeSession({ user: { id: "u1", name: "Alex Kim" } }) as Session,
      coalesceMs: 100,
    });
    n.event(ev("human_queue", { status: "picked_up", at: T42, by: { id: "h", name: "Sam" } }, 1), null);
    n.event(ev("human_queue", { status: "expired", at: T42 }, 2), null);
    vi.advanceTimersByTime(100);
    expect(created).toHaveLength(1);
    expect(created[0]?.title).toBe("Nobody picked up a transfer");
    expect(created[0]?.message).toContain("Alex Kim");
    on = false;
    n.event(ev("human_queue", { status: "expired", at: T42 }, 3), null);
    vi.advanceTimersByTime(100);
    expect(created).toHaveLength(1);
    n.dispose();
  });

  it("toasts the outcome once, as it happens", () => {
    const before = ses(SID, { human_queue: waiting });
    const picked = ses(SID, {
      human_queue: { status: "picked_up", at: T42, by: { id: "h", name: "Sam Lee" } },
    });
    expect(toastForUpsert(before, picked)).toMatchObject({ title: "Picked up by Sam Lee", severity: "info" });
    expect(toastForUpsert(picked, picked)).toBeNull();
    expect(toastForUpsert(undefined, picked)).toBeNull();
    const expired = ses(SID, { human_queue: { status: "expired", at: T42, queued_at: T0 } });
    expect(toastForUpsert(before, expired)).toMatchObject({ severity: "warning" });
  });

  it("the card's words: the wait, who, or nobody within the time", () => {
    const now = signal(Date.parse(T42)).value;
    expect(queueText({ status: "waiting", at: T0, queued_at: T0 }, now)).toBe("Waiting for a human · 0:42");
    expect(
      queueText({ status: "picked_up", at: T42, queued_at: T0, by: { id: "h", name: "Sam Lee" } }, now),
    ).toBe("Picked up by Sam Lee after 0:42");
    expect(queueText({ status: "expired", at: "2026-06-24T16:35:00.000Z", queued_at: T0 }, now)).toBe(
      "Nobody picked it up within 5:00",
    );
  });
});

describe("the agent client's human queue data", () => {
  it("builds valid events: waiting from now, picked up with who, times as given", () => {
    const at = new Date(T42);
    const waiting = humanQueueData({ status: "waiting", at });
    expect(waiting).toEqual({ status: "waiting", at: T42, queued_at: T42 });
    const picked = humanQueueData({ status: "picked_up", at, by: { id: "crm_1", name: "Rosa Diaz" } });
    expect(picked).toEqual({ status: "picked_up", at: T42, by: { id: "crm_1", name: "Rosa Diaz" } });
    const given = humanQueueData({
      status: "waiting",
      at,
      queuedAt: new Date(T0),
      expiresAt: new Date("2026-06-24T16:35:00.000Z"),
    });
    expect(given).toMatchObject({ queued_at: T0, expires_at: "2026-06-24T16:35:00.000Z" });
    for (const d of [waiting, picked, given]) expect(v.safeParse(HumanQueueState, d).success).toBe(true);
  });
});
