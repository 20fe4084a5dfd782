/**
 * The status wording of sent commands: each journal entry's phase (waiting,
 * done, failed — an agent runtime's refusal of an acked command counts as
 * failed) and the line that says so, e.g. "Pausing — waiting for the gateway…".
 */
import { computed, type ReadonlySignal } from "@preact/signals";
import type { ActivityEntry } from "../panel-messages";
import type { Action, Session } from "../protocol";
import { ACTION_LABELS } from "./action-catalog";
import { agentResultsFrom, describeAgentFailure } from "./agent-results";
import type { CommandJournal, JournalEntry } from "./command-journal";
import { describeCommandError } from "./describe-error";

export type CommandPhase = "pending" | "succeeded" | "failed";

export interface CommandView {
  cmd_id: string;
  action: Action;
  session_id: string;
  phase: CommandPhase;
  /** The whole status line, e.g. "Pausing — waiting for the gateway…". */
  text: string;
  intervention_id?: string;
  error?: string;
  /** On a session an agent runtime owns: what the runtime did with it, once it said. */
  agent?: "applied" | "rejected" | "failed";
  /** False when sending the same command again cannot help (the gateway already accepted it). */
  retryable?: boolean;
}

const SHOWN_PER_SESSION = 3;

export function createCommandStatus(deps: {
  journal: CommandJournal;
  session: ReadonlySignal<Session | null>;
  activity?: ReadonlySignal<readonly ActivityEntry[]> | undefined;
}) {
  const agentResults = computed(() => agentResultsFrom(deps.activity?.value ?? []));
  /** The agent's answer to an acked command that it did not apply. */
  const agentFailure = (e: JournalEntry) => {
    const r = e.status?.status === "acked" ? agentResults.value.get(e.status.intervention_id) : undefined;
    return r && r.outcome !== "applied" ? r : undefined;
  };
  const phaseOf = (e: JournalEntry): CommandPhase => {
    if (e.status?.status === "acked") return agentFailure(e) ? "failed" : "succeeded";
    return e.status?.status === "failed" ? "failed" : "pending";
  };

  const describe = ({ command, status: s }: JournalEntry): CommandView => {
    const labels = ACTION_LABELS[command.action];
    const base = { cmd_id: command.cmd_id, action: command.action, session_id: command.session_id };
    if (s?.status === "acked") {
      const r = agentResults.value.get(s.intervention_id);
      if (r && r.outcome !== "applied") {
        const error = describeAgentFailure(r);
        return {
          ...base,
          phase: "failed",
          intervention_id: s.intervention_id,
          agent: r.outcome,
          retryable: false,
          error,
          text: `${labels.noun} not applied: ${error}`,
        };
      }
      return {
        ...base,
        phase: "succeeded",
        intervention_id: s.intervention_id,
        ...(r ? { agent: "applied" as const } : {}),
        text: r
          ? `${labels.done} — applied by the agent (logged as ${s.intervention_id})`
          : `${labels.done} — logged as ${s.intervention_id}`,
      };
    }
    if (s?.status === "failed") {
      const error = describeCommandError(s.code, s.message, s.retry_after_ms);
      return { ...base, phase: "failed", error, text: `${labels.noun} failed: ${error}` };
    }
    return { ...base, phase: "pending", text: `${labels.doing} — waiting for the gateway…` };
  };

  /** The latest commands of the open session, newest first. */
  const recent = computed<CommandView[]>(() => {
    const sid = deps.session.value?.id;
    return deps.journal.history.value
      .filter((e) => e.command.session_id === sid)
      .slice(-SHOWN_PER_SESSION)
      .reverse()
      .map(describe);
  });

  return { agentFailure, phaseOf, recent };
}
