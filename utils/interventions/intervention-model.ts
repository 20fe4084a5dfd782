/**
 * The intervention controls of one conversation, as a model built from
 * signals and composed here from its parts: the controls (controls.ts), the
 * reason dialog (reason-dialog-model.ts), take-over (takeover-model.ts),
 * review (review-model.ts) and the status wording (command-status.ts). What
 * was sent and what became of it is in the panel's command journal
 * (command-journal.ts), handed in; the model reads it and sends through it.
 */
import { computed, createModel, type ReadonlySignal } from "@preact/signals";
import type { ActivityEntry, StreamingReply } from "../panel-messages";
import type { Agent, Command, Session, User } from "../protocol";
import type { AgentSummary } from "../query";
import type { ControlKind } from "./action-catalog";
import { type AckedCobrowse, isCobrowsing } from "./cobrowse-state";
import type { CommandJournal } from "./command-journal";
import { createCommandStatus } from "./command-status";
import { createControls, kindOf, type OverrideTarget } from "./controls";
import { interventionsFromActivity } from "./log-entries";
import { createReasonDialog } from "./reason-dialog-model";
import { createReview } from "./review-model";
import { createTakeOver } from "./takeover-model";

export type { CommandPhase, CommandView } from "./command-status";
export type { ControlView, OverrideTarget } from "./controls";
export type { DialogState } from "./reason-dialog-model";

export const INTERVENE_PERMISSION = "sessions:intervene";

/** A command as the panel sends it (typed by the command schema). */
export type OutgoingCommand = Command;

export interface InterventionDeps {
  /** The panel's command journal: where commands are sent and their status is read. */
  journal: CommandJournal;
  user: ReadonlySignal<User | null>;
  session: ReadonlySignal<Session | null>;
  agents: ReadonlySignal<readonly Agent[]>;
  streaming: ReadonlySignal<StreamingReply | null>;
  activity?: ReadonlySignal<readonly ActivityEntry[]>;
  /** Every active session (the per-agent review switch shows whether all of the agent's are reviewed). */
  /** Every agent with active sessions (the worker's summary), for the whole-agent review switch. */
  agentSummaries?: ReadonlySignal<readonly AgentSummary[]>;
  newId?: () => string;
}

export type Permission = "unknown" | "allowed" | "denied";

export const InterventionModel = createModel((deps: InterventionDeps) => {
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const { journal } = deps;

  const permission = computed<Permission>(() => {
    const u = deps.user.value;
    if (!u) return "unknown";
    return u.permissions.includes(INTERVENE_PERMISSION) ? "allowed" : "denied";
  });
  const allowed = () => permission.peek() === "allowed";
  const roleName = computed(() => deps.user.value?.roles.join(", ") || "none");
  const interventions = computed(() => interventionsFromActivity(deps.activity?.value ?? []));

  const status = createCommandStatus({ journal, session: deps.session, activity: deps.activity });
  /** Sends through the journal; the same command while it waits: once. */
  const dispatch = (cmd: Command, replaces?: string): string => {
    const existing = journal.entry(cmd.cmd_id);
    if (existing && status.phaseOf(existing) === "pending") return existing.command.cmd_id;
    return journal.send(cmd, replaces);
  };
  const parts = { session: deps.session, user: deps.user, allowed, newId, dispatch };

  const cobrowsing = computed(() => {
    const acked: AckedCobrowse[] = [];
    for (const { command, status: s } of journal.history.value)
      if (
        s?.status === "acked" &&
        (command.action === "cobrowse_start" || command.action === "cobrowse_stop")
      )
        acked.push({ action: command.action, intervention_id: s.intervention_id });
    return isCobrowsing(deps.session.value, deps.user.value?.id ?? null, interventions.value, acked);
  });

  const overrideTarget = computed<OverrideTarget>(() => {
    const st = deps.streaming.value;
    if (st)
      return { kind: "current", phase: st.phase, message_id: st.message_id, preview: st.text.slice(-120) };
    const s = deps.session.value?.status;
    if (s === "thinking" || s === "streaming")
      return { kind: "current", phase: s, message_id: null, preview: "" };
    return { kind: "next" };
  });

  const pendingKinds = computed(() => {
    const sid = deps.session.value?.id;
    const kinds = new Set<ControlKind>();
    for (const e of journal.history.value)
      if (e.command.session_id === sid && status.phaseOf(e) === "pending") kinds.add(kindOf(e.command));
    return kinds;
  });

  const review = createReview({ ...parts, agents: deps.agentSummaries });
  const takeOver = createTakeOver(parts);
  const controls = createControls({
    session: deps.session,
    overrideTarget,
    cobrowsing,
    holder: takeOver.holder,
    heldByMe: takeOver.heldByMe,
    reviewing: review.reviewing,
    agentReviewing: review.agentReviewing,
    isAdmin: review.isAdmin,
    pendingKinds,
  });
  const dialog = createReasonDialog({
    ...parts,
    controls,
    reviewing: review.reviewing,
    agentReviewing: review.agentReviewing,
    tookOver: (reason) => {
      takeOver.takeoverReason.value = reason;
    },
  });

  /** Transfer targets: the org's agents except the current one, online first. */
  const transferAgents = computed(() => {
    const current = deps.session.value?.agent.id;
    return deps.agents.value
      .filter((a) => a.id !== current)
      .slice()
      .sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
  });

  return {
    permission,
    roleName,
    controls,
    holder: takeOver.holder,
    heldByMe: takeOver.heldByMe,
    reply: takeOver.reply,
    replyError: takeOver.replyError,
    sendReply: takeOver.sendReply,
    reviewing: review.reviewing,
    agentReviewing: review.agentReviewing,
    resolveDraft: review.resolveDraft,
    cobrowsing,
    overrideTarget,
    transferAgents,
    dialog: dialog.dialog,
    reason: dialog.reason,
    text: dialog.text,
    target: dialog.target,
    reasonError: dialog.reasonError,
    payloadError: dialog.payloadError,
    recent: status.recent,
    open: dialog.open,
    cancel: dialog.cancel,
    submit: dialog.submit,
    /** Sends a failed command again, unchanged and with the same cmd_id. */
    retry(cmdId: string): boolean {
      const e = journal.entry(cmdId);
      // Accepted by the gateway but not applied by the agent: the same cmd_id would only get the same ack.
      if (!e || status.phaseOf(e) !== "failed" || status.agentFailure(e)) return false;
      dispatch(e.command);
      return true;
    },
    /** Reopens the dialog with a failed command's fields; unchanged, it keeps its cmd_id. */
    edit(cmdId: string): boolean {
      const e = journal.entry(cmdId);
      if (!e || status.phaseOf(e) !== "failed" || !allowed()) return false;
      // After the agent's refusal, sending it again is a new command (a new cmd_id).
      dialog.reopen(e.command, kindOf(e.command), !status.agentFailure(e));
      return true;
    },
    dismiss: (cmdId: string) => journal.dismiss(cmdId),
  };
});

export type InterventionModel = InstanceType<typeof InterventionModel>;

export function createInterventionModel(deps: InterventionDeps): InterventionModel {
  return new InterventionModel(deps);
}
