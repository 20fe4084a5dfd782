/**
 * Review mode in the simulated agent (issue 12): a finished reply is held as a
 * draft (`draft_ready`) instead of being sent; a supervisor approves it (sent
 * as written), edits it (the edited text is sent) or rejects it (the agent
 * writes another, visibly different one). A draft nobody handles within
 * `timeoutMs` follows the policy: `send` it, or `hold` it back for good.
 * Each outcome is announced with `draft_resolved`. The end user sees only
 * what is sent (`message_sent`).
 */
import { createDraftCore, draftIdFor } from "../../agent-client/index.ts";
import type { Clock } from "../clock.ts";
import type { SimOutlet } from "./sim-outlet.ts";
import type { Reply } from "./sim-reply.ts";

export type DraftPolicy = "hold" | "send";

export interface ReviewOptions {
  /** A draft not handled within this time follows `policy` (default 120000). */
  timeoutMs: number;
  policy: DraftPolicy;
}

export const DEFAULT_REVIEW: ReviewOptions = { timeoutMs: 120_000, policy: "hold" };

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

/** The simulated agent's desk: the agent client's draft core on the simulation's clock and outlet. */
export function createReviewDesk(deps: ReviewDeps): ReviewDesk {
  const { sessionId, org, clock, options } = deps;
  const iso = (ms: number) => new Date(ms).toISOString();
  const core = createDraftCore<{ draft_id: string; text: string; reply: Reply }>({
    timeoutMs: options.timeoutMs,
    policy: options.policy,
    setTimer: (ms, fn) => clock.setTimer(ms, fn),
    send: (d, text, edited) => deps.send(d.reply, text, edited),
    resolved: (d, outcome, by) =>
      org.emit("draft_resolved", sessionId, { draft_id: d.draft_id, outcome, ...(by ? { by } : {}) }),
    expired: (d, outcome) => {
      if (outcome === "expired_held") deps.dropped(d.reply);
    },
  });

  const desk: ReviewDesk = {
    enabled: false,
    get waiting() {
      return core.size;
    },
    hold(r) {
      if (!desk.enabled) return false;
      const id = draftIdFor(r.id);
      const now = clock.now();
      core.add({ draft_id: id, text: r.text, reply: r });
      org.emit("draft_ready", sessionId, {
        draft_id: id,
        message_id: r.id,
        text: r.text,
        created_at: iso(now),
        expires_at: iso(now + options.timeoutMs),
      });
      return true;
    },
    approve: (id, text, by) => core.approve(id, text, by) !== null,
    reject: (id, by) => core.reject(id, by)?.reply ?? null,
    stop: () => core.stop(),
  };
  return desk;
}

/** The agent's next try after a rejection: another reply, opening so that the difference shows. */
export function redraft(next: string): string {
  return `Let me put that another way. ${next}`;
}
