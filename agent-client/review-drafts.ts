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

/**
 * The part of a review desk that does not depend on where drafts come from or go to: the waiting drafts
 * with their deadlines, and approve (sent as written or edited), reject and expiry (the policy), each
 * followed by `resolved`. The runtime's desk below and the gateway's simulated agent both build on it.
 */
export interface DraftCoreDeps<D extends { draft_id: string; text: string }> {
  timeoutMs: number;
  policy: "hold" | "send";
  /** Calls `fn` after `ms`; returns the cancel. */
  setTimer(ms: number, fn: () => void): () => void;
  /** Sends a draft's text (as written, or the edit) to the user. */
  send(draft: D, text: string, edited: boolean): void;
  /** Announces the outcome (`draft_resolved`). */
  resolved(draft: D, outcome: DraftOutcome, by?: string): void;
  /** After an expiry's send (if any) and announcement. */
  expired?(draft: D, outcome: "expired_held" | "expired_sent"): void;
}

export interface DraftCore<D> {
  /** Starts a draft's deadline; announcing it (`draft_ready`) is the caller's. */
  add(draft: D): void;
  approve(draftId: string, text: string | undefined, by: string | undefined): D | null;
  reject(draftId: string, by: string | undefined): D | null;
  drafts(): D[];
  readonly size: number;
  stop(): void;
}

export function createDraftCore<D extends { draft_id: string; text: string }>(
  deps: DraftCoreDeps<D>,
): DraftCore<D> {
  const waiting = new Map<string, { draft: D; cancel: () => void }>();
  const take = (id: string): D | null => {
    const e = waiting.get(id);
    if (!e) return null;
    e.cancel();
    waiting.delete(id);
    return e.draft;
  };
  return {
    add(draft) {
      const cancel = deps.setTimer(deps.timeoutMs, () => {
        if (!take(draft.draft_id)) return;
        const outcome = deps.policy === "send" ? "expired_sent" : "expired_held";
        if (outcome === "expired_sent") deps.send(draft, draft.text, false);
        deps.resolved(draft, outcome);
        deps.expired?.(draft, outcome);
      });
      waiting.set(draft.draft_id, { draft, cancel });
    },
    approve(draftId, text, by) {
      const d = take(draftId);
      if (!d) return null;
      const edited = text !== undefined && text !== d.text;
      deps.send(d, edited ? text : d.text, edited);
      deps.resolved(d, edited ? "edited" : "approved", by);
      return d;
    },
    reject(draftId, by) {
      const d = take(draftId);
      if (d) deps.resolved(d, "rejected", by);
      return d;
    },
    drafts: () => [...waiting.values()].map((e) => e.draft),
    get size() {
      return waiting.size;
    },
    stop() {
      for (const e of waiting.values()) e.cancel();
      waiting.clear();
    },
  };
}

export function createDraftDesk(client: AgentClient, opts: DraftDeskOptions = {}): DraftDesk {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const core = createDraftCore<HeldDraft>({
    timeoutMs,
    policy: opts.policy ?? "hold",
    setTimer: (ms, fn) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    send: (d, text, edited) =>
      client.agentMessage(d.session_id, text, { id: d.message_id, format: edited ? "text" : "markdown" }),
    resolved: (d, outcome, by) =>
      void client.publish("draft_resolved", d.session_id, {
        draft_id: d.draft_id,
        outcome,
        ...(by ? { by } : {}),
      }),
    expired: (d, outcome) => opts.onExpired?.(d, outcome),
  });

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
      core.add(draft);
      const { session_id: _s, ...data } = draft;
      void client.publish("draft_ready", sessionId, data);
      return draft;
    },
    approve: (draftId, text, by) => core.approve(draftId, text, by),
    reject: (draftId, by) => core.reject(draftId, by),
    waiting: (sid) => core.drafts().filter((d) => d.session_id === sid),
    stop: () => core.stop(),
  };
}
