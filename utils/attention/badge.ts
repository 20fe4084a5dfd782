/**
 * The toolbar badge: how many active sessions need attention (urgent or
 * high priority, or waiting for a human: the AI's hand-off request or the human queue;
 * red when any is urgent or waiting, amber when only high), a tooltip
 * breaking the count down, and a distinct badge when disconnected ("off") or
 * unauthorized ("!"). Sessions with an unacknowledged alert whose rule chose
 * the badge count too (once, even when also urgent), and make it red.
 * Recomputed at most every `throttleMs` (well under a second) and written
 * only when it changes.
 */
import type { ConnectionInfo } from "../connection/connection-schema";
import { type Session, waitingSince } from "../protocol";

export interface BadgeApi {
  setText(text: string): Promise<void> | void;
  setColor(color: string): Promise<void> | void;
  setTitle(title: string): Promise<void> | void;
}

export interface BadgeView {
  text: string;
  color: string;
  title: string;
}

const NO_ALERTS: ReadonlySet<string> = new Set();

export const BADGE_COLORS = {
  urgent: "#dc2626",
  high: "#d97706",
  offline: "#6b7280",
  unauthorized: "#7c2d12",
};

export function badgeFor(
  sessions: Iterable<Session>,
  connection: ConnectionInfo,
  alerted: ReadonlySet<string> = NO_ALERTS,
): BadgeView {
  let urgent = 0;
  let high = 0;
  let waiting = 0;
  let drafts = 0;
  let count = 0;
  let active = 0;
  /** Active sessions with an alert: the title and the text count the same sessions (alerts of sessions gone are not counted). */
  let alertedActive = 0;
  for (const s of sessions) {
    if (s.status === "ended") continue;
    active++;
    const alert = alerted.size > 0 && alerted.has(s.id);
    if (alert) alertedActive++;
    if (s.priority === "urgent") urgent++;
    else if (s.priority === "high") high++;
    const waits = waitingSince(s) !== null;
    if (waits) waiting++;
    // Review mode (issue 12): replies waiting for a supervisor's approval.
    drafts += s.review?.drafts_waiting ?? 0;
    if (waits || s.priority === "urgent" || s.priority === "high" || (s.review?.drafts_waiting ?? 0) > 0)
      count++;
    else if (alert) count++;
  }
  if (connection.state === "unauthorized")
    return {
      text: "!",
      color: BADGE_COLORS.unauthorized,
      title: `Live Conversations — not authorized: ${connection.detail ?? "check the token in the options"}`,
    };
  if (
    connection.state === "offline" ||
    connection.state === "reconnecting" ||
    connection.state === "connecting"
  )
    return {
      text: "off",
      color: BADGE_COLORS.offline,
      title: `Live Conversations — disconnected${connection.detail ? ` (${connection.detail})` : ""}; figures may be stale`,
    };
  const parts = [`${urgent} urgent`, `${high} high priority`];
  if (waiting > 0) parts.push(`${waiting} waiting for a human`);
  if (drafts > 0) parts.push(`${drafts} ${drafts === 1 ? "draft" : "drafts"} awaiting approval`);
  if (alertedActive > 0) parts.push(`${alertedActive} with an alert`);
  parts.push(`${active} active in total`);
  const suffix = connection.state === "polling" ? " (polling)" : "";
  return {
    text: count === 0 ? "" : count > 999 ? "999+" : String(count),
    color:
      urgent > 0 || waiting > 0 || drafts > 0 || alertedActive > 0 ? BADGE_COLORS.urgent : BADGE_COLORS.high,
    title: `Live Conversations${suffix} — ${parts.join(", ")}`,
  };
}

export interface Badge {
  schedule(): void;
  update(): Promise<void>;
  readonly view: BadgeView | null;
  dispose(): void;
}

export function createBadge(
  api: BadgeApi,
  read: () => { sessions: Iterable<Session>; connection: ConnectionInfo; alerted?: ReadonlySet<string> },
  throttleMs = 250,
): Badge {
  let last: BadgeView | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  async function update(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const { sessions, connection, alerted } = read();
    const next = badgeFor(sessions, connection, alerted);
    const prev = last;
    last = next;
    try {
      if (prev?.text !== next.text) await api.setText(next.text);
      if (prev?.color !== next.color) await api.setColor(next.color);
      if (prev?.title !== next.title) await api.setTitle(next.title);
    } catch {
      last = null; // try again next time
    }
  }
  return {
    schedule() {
      if (timer === undefined) timer = setTimeout(() => void update(), throttleMs);
    },
    update,
    get view() {
      return last;
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}
