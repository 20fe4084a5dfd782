/**
 * How a session summary follows the events of its conversation: the preview
 * and the status the gateway derives, and every client must derive the same
 * way to stay equal to the gateway's snapshot. One definition, used by the
 * gateway's reducer and the worker's session store.
 */
import type { EventKind } from "./events";
import { type HumanQueueState, type Message, PREVIEW_MAX, type Session, type SessionStatus } from "./shapes";

/** A message's text as a one-line preview of at most PREVIEW_MAX characters. */
export function previewOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= PREVIEW_MAX ? flat : `${flat.slice(0, PREVIEW_MAX - 1)}…`;
}

/**
 * The status after an event of `kind` (for messages, with the message's
 * `role`): the agent's final reply ends thinking/streaming (and a transient
 * error); thinking starts from active or error; a stream never overrides a
 * pause or a transfer. Other kinds leave the status to their own data.
 */
export function statusAfter(status: SessionStatus, kind: EventKind, role?: string): SessionStatus {
  switch (kind) {
    case "message_received":
    case "message_sent":
      // An agent's reply ends its turn — and a transfer to it: the session is "transferring" until the new agent speaks.
      return role === "agent" &&
        (status === "thinking" || status === "streaming" || status === "error" || status === "transferring")
        ? "active"
        : status;
    case "agent_thinking":
      return status === "active" || status === "error" ? "thinking" : status;
    case "stream_started":
      return status === "paused" || status === "transferring" ? status : "streaming";
    // Review mode: a finished draft ends the agent's turn like a sent reply.
    case "draft_ready":
      return status === "thinking" || status === "streaming" || status === "error" ? "active" : status;
    default:
      return status;
  }
}

/**
 * AI insight (extension of v1): a user message's `sentiment` becomes the
 * session's latest sentiment, and its `risk` the session's risk when higher
 * (a session's risk is its highest). Mutates `session`; returns whether it changed.
 */
export function insightAfterMessage(session: Session, message: Message): boolean {
  if (message.role !== "user") return false;
  let changed = false;
  if (message.sentiment !== undefined && session.sentiment !== message.sentiment) {
    session.sentiment = message.sentiment;
    changed = true;
  }
  if (message.risk && (!session.risk || message.risk.score > session.risk.score)) {
    session.risk = { score: message.risk.score, reason: message.risk.reason };
    changed = true;
  }
  return changed;
}

/**
 * Review mode (extension of v1): `draft_ready` adds one to the session's
 * `review.drafts_waiting`, `draft_resolved` takes one off (never below 0);
 * `enabled` comes with `session_updated`. Mutates `session`.
 */
export function reviewAfterDraft(session: Session, kind: "draft_ready" | "draft_resolved"): void {
  const r = session.review ?? { enabled: true, drafts_waiting: 0 };
  const n = r.drafts_waiting + (kind === "draft_ready" ? 1 : -1);
  session.review = { ...r, drafts_waiting: Math.max(0, n) };
}

/**
 * The human queue (extension of v1): `human_queue` puts its data on the session (keeping `queued_at` and
 * `expires_at` from the waiting one when the next leaves them out). Waiting moves an active session to
 * `transferring`; picked up or expired ends `transferring` (back to `active`). Mutates `session`.
 */
export function queueAfter(session: Session, data: HumanQueueState): void {
  const prev = session.human_queue;
  const queuedAt = data.queued_at ?? (data.status === "waiting" ? data.at : (prev?.queued_at ?? data.at));
  const next: HumanQueueState = { ...data, queued_at: queuedAt };
  const expiresAt = data.expires_at ?? prev?.expires_at;
  if (expiresAt !== undefined) next.expires_at = expiresAt;
  session.human_queue = next;
  if (data.status === "waiting") {
    if (session.status !== "paused") session.status = "transferring";
  } else if (session.status === "transferring") session.status = "active";
}

/**
 * Since when a session waits for a person, if it does: the AI asked for a human (`handoff`) or it sits in
 * the human queue (`human_queue` waiting). The panel's timer, the badge and the "waiting first" order use it.
 */
export function waitingSince(s: Session): string | null {
  if (s.handoff) return s.handoff.requested_at;
  const q = s.human_queue;
  return q?.status === "waiting" ? (q.queued_at ?? q.at) : null;
}
