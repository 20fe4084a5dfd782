/**
 * Review mode (issues 12 and 24): whether the open session's replies wait for
 * approval, whether all of its agent's do (admins switch that), and the
 * approval, edit or rejection of a waiting draft.
 */
import { computed, type ReadonlySignal } from "@preact/signals";
import { type Command, decodeCommand, type Session, type User } from "../protocol";
import type { AgentSummary } from "../query";

export function createReview(deps: {
  session: ReadonlySignal<Session | null>;
  user: ReadonlySignal<User | null>;
  /** Every agent with active sessions and how many of them are reviewed (the worker's summary). */
  agents?: ReadonlySignal<readonly AgentSummary[]> | undefined;
  allowed: () => boolean;
  newId: () => string;
  dispatch(cmd: Command): string;
}) {
  /** Whether this session's replies wait for approval. */
  const reviewing = computed(() => deps.session.value?.review?.enabled === true);
  /** Admins may switch review mode for a whole agent (the gateway refuses it to anyone else). */
  const isAdmin = computed(() => deps.user.value?.roles.includes("admin") === true);
  /** Review mode for the open session's agent as a whole: every one of its active sessions is reviewed. */
  const agentReviewing = computed(() => {
    const agentId = deps.session.value?.agent.id;
    const a = deps.agents?.value.find((x) => x.id === agentId);
    return a !== undefined && a.sessions > 0 && a.reviewing === a.sessions;
  });

  return {
    reviewing,
    isAdmin,
    agentReviewing,
    /**
     * Approves (with `text`: edited) or rejects a draft waiting for approval. The reason is
     * audited (the rejection's reason is what the agent is told); an edit needs the supervisor's own
     * (it is audited as "Edit draft" with both texts); a plain approval without one gets a fixed
     * reason. Returns the cmd_id, or null when a field has a problem.
     */
    resolveDraft(
      action: "approve_draft" | "reject_draft",
      draftId: string,
      opts: { reason?: string; text?: string } = {},
    ): string | null {
      const s = deps.session.peek();
      if (!s || !deps.allowed()) return null;
      const payload = { draft_id: draftId, ...(opts.text !== undefined ? { text: opts.text } : {}) };
      const given = (opts.reason ?? "").trim();
      const reason =
        action === "reject_draft" || given !== "" || opts.text !== undefined ? given : "Approved in review";
      const cmd = decodeCommand({ cmd_id: "", session_id: s.id, action, reason, payload });
      if (!cmd.ok) return null;
      return deps.dispatch({ ...cmd.value, cmd_id: deps.newId() });
    },
  };
}
