/**
 * Desktop notifications for what needs a human: an urgent session (started
 * urgent or raised to urgent), an error of severity error/critical, a handoff
 * to the human queue, the AI asking for a human (`handoff_requested`), the
 * connection lost for more than a minute. Each kind
 * is coalesced over `coalesceMs` (a burst of 50 urgent sessions is one
 * notification) and switchable. The notification id carries the session to
 * focus when it is clicked. Plain "basic" notifications, so Firefox works too.
 */

import type { Alert } from "../alerts/alert-schema";
import type { ConnectionInfo } from "../connection/connection-schema";
import { CHANNEL_LABEL } from "../format";
import { type EventFrame, type Session, toHumanQueue } from "../protocol";
import type { NotificationKind } from "../settings";

export interface NotificationsApi {
  create(id: string, options: { title: string; message: string }): Promise<unknown> | undefined;
}

export interface NotifierOptions {
  api: NotificationsApi;
  enabled(kind: NotificationKind): boolean;
  session(id: string): Session | undefined;
  coalesceMs?: number;
  connectionLostMs?: number;
  /** Whether alert rules may notify (the rule chose it; this is the global switch). */
  alertsEnabled?: () => boolean;
}

interface Item {
  sessionId: string | null;
  line: string;
}

export interface Notifier {
  event(event: EventFrame, before: { priority?: string } | null): void;
  connection(info: ConnectionInfo): void;
  /** An alert rule that chose a desktop notification fired: one notification naming the rule and why. */
  alert(alert: Alert): void;
  readonly created: number;
  dispose(): void;
}

const PREFIX = "lc";

export function notificationId(kind: NotificationKind, sessionId: string | null, n: number): string {
  return `${PREFIX}|${kind}|${sessionId ?? ""}|${n}`;
}

/** The session a clicked notification should open the panel on, if any. */
export function sessionOfNotification(id: string): string | null {
  const [prefix, , sessionId] = id.split("|");
  return prefix === PREFIX && sessionId ? sessionId : null;
}

function who(s: Session | undefined, fallback: string): string {
  if (!s) return fallback;
  return `${s.user.name?.trim() || s.user.id} (${CHANNEL_LABEL[s.channel] ?? s.channel}, ${s.agent.name})`;
}

/** "Who: what", or just "Who" when there is nothing to say (no dangling colon); at most 160 characters. */
export function notificationLine(whoText: string, what: string | undefined): string {
  const text = what?.replace(/\s+/g, " ").trim();
  return (text ? `${whoText}: ${text}` : whoText).slice(0, 160);
}

export function createNotifier(opts: NotifierOptions): Notifier {
  const coalesceMs = opts.coalesceMs ?? 1500;
  const lostMs = opts.connectionLostMs ?? 60_000;
  const queued = new Map<NotificationKind, Item[]>();
  const timers = new Map<NotificationKind, ReturnType<typeof setTimeout>>();
  let lostTimer: ReturnType<typeof setTimeout> | undefined;
  let lostNotified = false;
  let created = 0;

  const titles: Record<NotificationKind, (n: number) => string> = {
    urgent: (n) => (n === 1 ? "Urgent session" : `${n} urgent sessions`),
    errors: (n) => (n === 1 ? "Agent error" : `${n} agent errors`),
    handoff: (n) => (n === 1 ? "Handoff to the human queue" : `${n} handoffs to the human queue`),
    connection: () => "Live Conversations is disconnected",
    handoffRequest: (n) => (n === 1 ? "The AI asks for a human" : `${n} sessions wait for a human`),
    queueExpired: (n) => (n === 1 ? "Nobody picked up a transfer" : `${n} transfers nobody picked up`),
  };

  function fire(kind: NotificationKind): void {
    timers.delete(kind);
    const items = queued.get(kind) ?? [];
    queued.delete(kind);
    if (items.length === 0 || !opts.enabled(kind)) return;
    const lines = items.slice(0, 3).map((i) => i.line);
    if (items.length > 3) lines.push(`…and ${items.length - 3} more`);
    const first = items.find((i) => i.sessionId)?.sessionId ?? null;
    created++;
    void Promise.resolve(
      opts.api.create(notificationId(kind, first, created), {
        title: titles[kind](items.length),
        message: lines.join("\n"),
      }),
    ).catch(() => undefined);
  }

  const alertQueue = new Map<string, { name: string; items: Item[] }>();
  const alertTimers = new Map<string, ReturnType<typeof setTimeout>>();
  function fireAlert(ruleId: string): void {
    const q = alertQueue.get(ruleId);
    alertQueue.delete(ruleId);
    alertTimers.delete(ruleId);
    if (!q || q.items.length === 0) return;
    const lines = q.items.slice(0, 3).map((i) => i.line);
    if (q.items.length > 3) lines.push(`…and ${q.items.length - 3} more`);
    const first = q.items.find((i) => i.sessionId)?.sessionId ?? null;
    created++;
    void Promise.resolve(
      opts.api.create(`${PREFIX}|alert|${first ?? ""}|${created}`, {
        title: q.items.length === 1 ? `Rule ‘${q.name}’` : `Rule ‘${q.name}’ — ${q.items.length} alerts`,
        message: lines.join("\n"),
      }),
    ).catch(() => undefined);
  }

  function queue(kind: NotificationKind, item: Item): void {
    if (!opts.enabled(kind)) return;
    const list = queued.get(kind) ?? [];
    if (item.sessionId && list.some((i) => i.sessionId === item.sessionId)) return;
    list.push(item);
    queued.set(kind, list);
    if (!timers.has(kind))
      timers.set(
        kind,
        setTimeout(() => fire(kind), coalesceMs),
      );
  }

  return {
    event(e, before) {
      const sid = e.session_id;
      switch (e.kind) {
        case "session_started":
          if (e.data.priority === "urgent")
            queue("urgent", {
              sessionId: sid,
              line: notificationLine(who(e.data, sid ?? ""), e.data.preview),
            });
          break;
        case "session_updated":
          if (e.data.priority === "urgent" && before && before.priority !== "urgent" && sid) {
            const s = opts.session(sid);
            queue("urgent", { sessionId: sid, line: `${who(s, sid)} raised to urgent` });
          }
          break;
        case "error_occurred":
          if (e.data.severity === "error" || e.data.severity === "critical")
            queue("errors", {
              sessionId: sid,
              line: `${e.data.severity}: ${e.data.code} — ${e.data.message}`.slice(0, 160),
            });
          break;
        case "intervention_triggered": {
          if (toHumanQueue(e.data) && sid)
            queue("handoff", {
              sessionId: sid,
              line: notificationLine(who(opts.session(sid), sid), e.data.reason),
            });
          break;
        }
        case "handoff_requested":
          if (sid)
            queue("handoffRequest", {
              sessionId: sid,
              line: notificationLine(who(opts.session(sid), sid), e.data.reason),
            });
          break;
        case "human_queue":
          if (e.data.status === "expired" && sid)
            queue("queueExpired", {
              sessionId: sid,
              line: `${who(opts.session(sid), sid)}: nobody from the human queue picked it up in time`,
            });
          break;
        case "message_sent":
        case "message_received":
          if (e.data.system_kind === "handoff_initiated" && sid)
            queue("handoff", {
              sessionId: sid,
              line: notificationLine(who(opts.session(sid), sid), e.data.text),
            });
          break;
        default:
          break;
      }
    },
    connection(info) {
      const lost = info.state !== "connected" && info.state !== "polling";
      if (!lost) {
        clearTimeout(lostTimer);
        lostTimer = undefined;
        lostNotified = false;
        return;
      }
      if (lostTimer !== undefined || lostNotified) return;
      lostTimer = setTimeout(() => {
        lostTimer = undefined;
        lostNotified = true;
        queue("connection", { sessionId: null, line: info.detail ?? "The gateway cannot be reached." });
      }, lostMs);
    },
    alert(a) {
      if (opts.alertsEnabled && !opts.alertsEnabled()) return;
      // Coalesced per rule like the other kinds: a rule firing on a burst of messages is one notification.
      const sid = a.session_id;
      const line = sid ? notificationLine(who(opts.session(sid), sid), a.why) : a.why.slice(0, 160);
      let q = alertQueue.get(a.rule_id);
      if (!q) {
        q = { name: a.rule_name, items: [] };
        alertQueue.set(a.rule_id, q);
        alertTimers.set(
          a.rule_id,
          setTimeout(() => fireAlert(a.rule_id), coalesceMs),
        );
      }
      q.items.push({ sessionId: sid, line });
    },
    get created() {
      return created;
    },
    dispose() {
      for (const t of timers.values()) clearTimeout(t);
      for (const t of alertTimers.values()) clearTimeout(t);
      clearTimeout(lostTimer);
    },
  };
}
