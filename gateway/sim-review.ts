/**
 * Review mode in the simulated agent (issue 12): a finished reply is held as a
 * draft (`draft_ready`) instead of being sent; a supervisor approves it (sent
 * as written), edits it (the edited text is sent) or rejects it (the agent
 * writes another, visibly different one). A draft nobody handles within
 * `timeoutMs` follows the policy: `send` it, or `hold` it back for good.
 * Each outcome is announced with `draft_resolved`. The end user sees only
 * what is sent (`message_sent`).
 */
import type { DraftOutcome } from "../utils/protocol/index.ts";
import type { Clock } from "./clock.ts";
import type { SimOutlet } from "./sim-outlet.ts";
import type { Reply } from "./sim-reply.ts";

export type DraftPolicy = "hold" | "send";

export interface ReviewOptions {
  /** A draft not handled within this time follows `policy` (default 120000). */
  timeoutMs: number;
  policy: DraftPolicy;
}

export const DEFAULT_REVIEW: ReviewOptions = { timeoutMs: 120_000, policy: "hold" };

interface Draft {
  reply: Reply;
  cancel: () => void;
}

export interface ReviewDesk {
  enabled: boolean;
  /** Holds a finished reply as a draft; false when review mode is off (send it as usual). */
  hold(r: Reply): boolean;
  approve(draftId: string, text: string | undefined, by: string | undefined): boolean;
  reject(draftId: string, by: string | undefined): Reply | null;
  readonly waiting: number;
  stop(): void;
}

export interface ReviewDeps {
  sessionId: string;
  org: SimOutlet;
  clock: Clock;
  options: ReviewOptions;
  /** Sends a reply to the user (message_sent), then the conversation goes on. */
  send(r: Reply, text: string, edited: boolean): void;
  /** A draft held back for good at its deadline: the agent's turn ends without a reply. */
  dropped(r: Reply): void;
}

export const draftIdOf = (messageId: string) => `drf_${messageId.replace(/^msg_/, "")}`;

export function createReviewDesk(deps: ReviewDeps): ReviewDesk {
  const { sessionId, org, clock, options } = deps;
  const drafts = new Map<string, Draft>();
  const iso = (ms: number) => new Date(ms).toISOString();
  const resolved = (draft_id: string, outcome: DraftOutcome, by?: string) =>
    org.emit("draft_resolved", sessionId, { draft_id, outcome, ...(by ? { by } : {}) });
  const take = (id: string) => {
    const d = drafts.get(id);
    if (!d) return null;
    d.cancel();
    drafts.delete(id);
    return d.reply;
  };

  const desk: ReviewDesk = {
    enabled: false,
    get waiting() {
      return drafts.size;
    },
    hold(r) {
      if (!desk.enabled) return false;
      const id = draftIdOf(r.id);
      const now = clock.now();
      const cancel = clock.setTimer(options.timeoutMs, () => {
        const reply = take(id);
        if (!reply) return;
        if (options.policy === "send") {
          deps.send(reply, reply.text, false);
          resolved(id, "expired_sent");
        } else {
          resolved(id, "expired_held");
          deps.dropped(reply);
        }
      });
      drafts.set(id, { reply: r, cancel });
      org.emit("draft_ready", sessionId, {
        draft_id: id,
        message_id: r.id,
        text: r.text,
        created_at: iso(now),
        expires_at: iso(now + options.timeoutMs),
      });
      return true;
    },
    approve(id, text, by) {
      const r = take(id);
      if (!r) return false;
      const edited = text !== undefined && text !== r.text;
      deps.send(r, edited ? text : r.text, edited);
      resolved(id, edited ? "edited" : "approved", by);
      return true;
    },
    reject(id, by) {
      const r = take(id);
      if (r) resolved(id, "rejected", by);
      return r;
    },
    stop() {
      for (const d of drafts.values()) d.cancel();
      drafts.clear();
    },
  };
  return desk;
}

/** The agent's next try after a rejection: another reply, opening so that the difference shows. */
export function redraft(next: string): string {
  return `Let me put that another way. ${next}`;
}
