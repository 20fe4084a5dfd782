/**
 * Review mode from the runtime's side (issue 24): a helper that holds a
 * finished reply as a draft (`draft_ready`) instead of sending it, and carries
 * out the supervisors' decisions — approve (the draft is sent), edit (the
 * edited text is sent instead, `format: "text"`), reject (dropped; the runtime
 * writes another) — each announced with `draft_resolved`. A draft nobody
 * handles by its deadline follows the policy: held back for good
 * (`expired_held`) or sent as written (`expired_sent`). Drafts live in memory.
 */
import type { DraftOutcome } from "../utils/protocol";
import type { AgentClient } from "./client";

export interface HeldDraft {
  draft_id: string;
  session_id: string;
  message_id: string;
  text: string;
  created_at: string;
  expires_at: string;
}

export interface DraftDeskOptions {
  /** A draft not handled within this time follows `policy` (default 120000, the gateway's default too). */
  timeoutMs?: number;
  policy?: "hold" | "send";
  /** A draft expired (held back or sent): the runtime may go on with the conversation. */
  onExpired?(draft: HeldDraft, outcome: "expired_held" | "expired_sent"): void;
}

export interface DraftDesk {
  /** Publishes `draft_ready` for a finished reply (its message id becomes the draft's). */
  hold(sessionId: string, messageId: string, text: string): HeldDraft;
  /** Sends a waiting draft — as written, or `text` instead (an edit). Null when no such draft waits. */
  approve(draftId: string, text: string | undefined, by: string | undefined): HeldDraft | null;
  /** Drops a waiting draft (the runtime then writes another). Null when no such draft waits. */
  reject(draftId: string, by: string | undefined): HeldDraft | null;
  /** The drafts of a session still waiting, oldest first. */
  waiting(sessionId: string): HeldDraft[];
  /** Cancels the deadlines (the runtime stops). */
  stop(): void;
}

export const draftIdFor = (messageId: string) => `drf_${messageId.replace(/^msg_/, "")}`;

export function createDraftDesk(client: AgentClient, opts: DraftDeskOptions = {}): DraftDesk {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const drafts = new Map<string, { draft: HeldDraft; timer: ReturnType<typeof setTimeout> }>();
  const resolved = (d: HeldDraft, outcome: DraftOutcome, by?: string) =>
    void client.publish("draft_resolved", d.session_id, {
      draft_id: d.draft_id,
      outcome,
      ...(by ? { by } : {}),
    });
  const send = (d: HeldDraft, text: string, edited: boolean) =>
    client.agentMessage(d.session_id, text, { id: d.message_id, format: edited ? "text" : "markdown" });
  const take = (id: string): HeldDraft | null => {
    const e = drafts.get(id);
    if (!e) return null;
    clearTimeout(e.timer);
    drafts.delete(id);
    return e.draft;
  };

  return {
    hold(sessionId, messageId, text) {
      const now = Date.now();
      const draft: HeldDraft = {
        draft_id: draftIdFor(messageId),
        session_id: sessionId,
        message_id: messageId,
        text,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + timeoutMs).toISOString(),
      };
      const timer = setTimeout(() => {
        if (!take(draft.draft_id)) return;
        const outcome = opts.policy === "send" ? "expired_sent" : "expired_held";
        if (outcome === "expired_sent") send(draft, draft.text, false);
        resolved(draft, outcome);
        opts.onExpired?.(draft, outcome);
      }, timeoutMs);
      drafts.set(draft.draft_id, { draft, timer });
      const { session_id: _s, ...data } = draft;
      void client.publish("draft_ready", sessionId, data);
      return draft;
    },
    approve(draftId, text, by) {
      const d = take(draftId);
      if (!d) return null;
      const edited = text !== undefined && text !== d.text;
      send(d, edited ? text : d.text, edited);
      resolved(d, edited ? "edited" : "approved", by);
      return d;
    },
    reject(draftId, by) {
      const d = take(draftId);
      if (d) resolved(d, "rejected", by);
      return d;
    },
    waiting: (sid) => [...drafts.values()].map((e) => e.draft).filter((d) => d.session_id === sid),
    stop() {
      for (const e of drafts.values()) clearTimeout(e.timer);
      drafts.clear();
    },
  };
}
