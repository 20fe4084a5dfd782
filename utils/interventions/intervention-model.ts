/**
 * The intervention controls of one conversation, as a model built from
 * signals: which actions apply, the reason dialog, validation with the
 * protocol's own `checkCommand`, one cmd_id per user action (a retry of the
 * same submission reuses it, so the gateway applies it at most once), and the
 * status of each command from the worker's `command_status` reports.
 */
import { computed, createModel, type ReadonlySignal, type Signal, signal } from "@preact/signals";
import type { ActivityEntry, CommandStatus, StreamingReply } from "@/utils/panel-protocol";
import {
  type Action,
  type Agent,
  type CommandProblem,
  checkCommand,
  checkPayload,
  checkReason,
  type Session,
  type User,
} from "@/utils/protocol";
import { ACTION_LABELS, CONTROLS, type ControlKind } from "./action-catalog";
import { agentResultsFrom, describeAgentFailure } from "./agent-results";
import { type AckedCobrowse, isCobrowsing } from "./cobrowse-state";
import { describeCommandError } from "./describe-error";
import { interventionsFromActivity } from "./log-entries";

export const INTERVENE_PERMISSION = "sessions:intervene";

export interface OutgoingCommand {
  cmd_id: string;
  action: Action;
  session_id: string;
  reason: string;
  payload?: Record<string, unknown>;
}

export interface InterventionDeps {
  /** Hands a command to the worker; returns the cmd_id it actually went out with when the sender chose its own. */
  send(cmd: OutgoingCommand): string | undefined;
  user: ReadonlySignal<User | null>;
  session: ReadonlySignal<Session | null>;
  agents: ReadonlySignal<readonly Agent[]>;
  streaming: ReadonlySignal<StreamingReply | null>;
  /** command_status reports from the worker, by cmd_id. */
  statuses: ReadonlySignal<ReadonlyMap<string, CommandStatus>>;
  activity?: ReadonlySignal<readonly ActivityEntry[]>;
  /** Every active session (the per-agent review switch shows whether all of the agent's are reviewed). */
  allSessions?: ReadonlySignal<readonly Session[]>;
  /** Where sent commands are kept; hand in one that outlives the view to keep their status across navigation. */
  journal?: Signal<readonly TrackedCommand[]>;
  newId?: () => string;
}

export type Permission = "unknown" | "allowed" | "denied";

export interface ControlView {
  kind: ControlKind;
  action: Action;
  /** The full name (accessible name, tooltip). */
  label: string;
  /** What the button shows in the narrow panel; part of `label`. */
  short: string;
  keys: string;
  /** Tooltip: what it does and its shortcut. */
  title: string;
  /** The session has ended (or none is open): nothing applies. */
  disabled: boolean;
  /** A command of this toggle is waiting for the gateway: it stays focusable but does nothing. */
  busy: boolean;
  /** For the toggles (pause, co-browse): aria-pressed. */
  pressed?: boolean;
}

export type OverrideTarget =
  | { kind: "current"; phase: "thinking" | "streaming"; message_id: string | null; preview: string }
  | { kind: "next" };

export interface DialogState {
  kind: ControlKind;
  action: Action;
  session_id: string;
  /** Set when reopened from an earlier submission: reused while nothing changed. */
  prior?: { cmd_id: string; fingerprint: string };
}

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

/** A command this panel sent, kept while its status matters. */
export interface TrackedCommand {
  cmd: OutgoingCommand;
  kind: ControlKind;
  /** The status object known when (re)sent: unchanged means the answer to this send has not come yet. */
  statusAtSend: CommandStatus | undefined;
}

const MAX_TRACKED = 30;
const SHOWN_PER_SESSION = 3;

const fingerprintOf = (c: Omit<OutgoingCommand, "cmd_id">) =>
  JSON.stringify([c.action, c.session_id, c.reason, c.payload ?? {}]);

/** The payload problem in words for the field it belongs to. */
function fieldMessage(action: Action, p: CommandProblem | null): string | null {
  if (!p) return null;
  if (action === "transfer") return "Choose an agent or the human handoff queue.";
  if (/non-empty text/.test(p.message)) return "Write the text to send.";
  const m = p.message.replace(/^payload(\.[a-z_]+)?:\s*/i, "");
  return m.charAt(0).toUpperCase() + m.slice(1);
}

export const InterventionModel = createModel((deps: InterventionDeps) => {
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const dialog = signal<DialogState | null>(null);
  const reason = signal("");
  const text = signal("");
  /** Transfer target: an agent id, "human", or "" (none chosen). */
  const target = signal("");
  const attempted = signal(false);
  const tracked = deps.journal ?? signal<readonly TrackedCommand[]>([]);

  const permission = computed<Permission>(() => {
    const u = deps.user.value;
    if (!u) return "unknown";
    return u.permissions.includes(INTERVENE_PERMISSION) ? "allowed" : "denied";
  });
  const roleName = computed(() => deps.user.value?.roles.join(", ") || "none");

  const interventions = computed(() => interventionsFromActivity(deps.activity?.value ?? []));

  const statusOf = (t: TrackedCommand): CommandStatus | undefined => {
    const s = deps.statuses.value.get(t.cmd.cmd_id);
    return s === t.statusAtSend && s?.status !== "pending" ? undefined : s;
  };
  const agentResults = computed(() => agentResultsFrom(deps.activity?.value ?? []));
  /** The agent's answer to an acked command that it did not apply. */
  const agentFailure = (t: TrackedCommand) => {
    const s = statusOf(t);
    const r = s?.status === "acked" ? agentResults.value.get(s.intervention_id) : undefined;
    return r && r.outcome !== "applied" ? r : undefined;
  };
  const phaseOf = (t: TrackedCommand): CommandPhase => {
    const s = statusOf(t);
    if (s?.status === "acked") return agentFailure(t) ? "failed" : "succeeded";
    return s?.status === "failed" ? "failed" : "pending";
  };

  const cobrowsing = computed(() => {
    const acked: AckedCobrowse[] = [];
    for (const t of tracked.value) {
      const s = statusOf(t);
      if (s?.status === "acked" && (t.cmd.action === "cobrowse_start" || t.cmd.action === "cobrowse_stop"))
        acked.push({ action: t.cmd.action, intervention_id: s.intervention_id });
    }
    return isCobrowsing(deps.session.value, deps.user.value?.id ?? null, interventions.value, acked);
  });

  const overrideTarget = computed<OverrideTarget>(() => {
    const st = deps.streaming.value;
    if (st)
      return { kind: "current", phase: st.phase, message_id: st.message_id, preview: st.text.slice(-120) };
    const status = deps.session.value?.status;
    if (status === "thinking" || status === "streaming")
      return { kind: "current", phase: status, message_id: null, preview: "" };
    return { kind: "next" };
  });

  const pendingKinds = computed(() => {
    const sid = deps.session.value?.id;
    const kinds = new Set<ControlKind>();
    for (const t of tracked.value)
      if (t.cmd.session_id === sid && phaseOf(t) === "pending") kinds.add(t.kind);
    return kinds;
  });

  const actionFor = (kind: ControlKind): Action => {
    switch (kind) {
      case "pause":
        return deps.session.value?.status === "paused" ? "resume" : "pause";
      case "message":
        return "system_message";
      case "whisper":
        return "whisper";
      case "override":
        return "override";
      case "transfer":
        return "transfer";
      case "cobrowse":
        return cobrowsing.value ? "cobrowse_stop" : "cobrowse_start";
      case "takeover":
        return heldByMe.value ? "hand_back" : "take_over";
      case "review":
      case "review_agent":
        return "review_mode";
    }
  };
  /** Review mode (issue 12): whether this session's replies wait for approval. */
  const reviewing = computed(() => deps.session.value?.review?.enabled === true);
  /** Admins may switch review mode for a whole agent (the gateway refuses it to anyone else). */
  const isAdmin = computed(() => deps.user.value?.roles.includes("admin") === true);
  /** Review mode for the open session's agent as a whole: every one of its active sessions is reviewed. */
  const agentReviewing = computed(() => {
    const agentId = deps.session.value?.agent.id;
    const all = (deps.allSessions?.value ?? []).filter((x) => x.agent.id === agentId && x.status !== "ended");
    return all.length > 0 && all.every((x) => x.review?.enabled === true);
  });

  /** Who holds the session's take-over lock (issue 12), if anyone. */
  const holder = computed(() => deps.session.value?.taken_over_by ?? null);
  const heldByMe = computed(() => {
    const h = holder.value;
    return h !== null && h.id === deps.user.value?.id;
  });
  /** The reason given when this supervisor took over: each reply while holding it is audited with it. */
  const takeoverReason = signal("");
  const reply = signal("");
  const replyAttempted = signal(false);
  const replyError = computed(() =>
    replyAttempted.value
      ? fieldMessage("takeover_reply", checkPayload("takeover_reply", { text: reply.value }))
      : null,
  );

  const controls = computed<ControlView[]>(() => {
    const s = deps.session.value;
    const live = s !== null && s.status !== "ended";
    const agentName = s?.agent.name ?? "this agent";
    return CONTROLS.filter((c) => c.kind !== "review_agent" || isAdmin.value).map((c) => {
      const action = actionFor(c.kind);
      const label =
        c.kind === "review_agent"
          ? `${agentReviewing.value ? "Stop reviewing" : "Review"} every reply of ${agentName}`
          : ACTION_LABELS[action].verb;
      const toggle =
        c.kind === "pause" || c.kind === "cobrowse" || c.kind === "review" || c.kind === "review_agent";
      const busy = (toggle || c.kind === "takeover") && pendingKinds.value.has(c.kind);
      const otherHolder =
        c.kind === "takeover" && holder.value !== null && !heldByMe.value ? holder.value : null;
      const what =
        c.kind === "override"
          ? overrideTarget.value.kind === "current"
            ? "replaces the reply being written now"
            : "replaces the agent's next reply"
          : c.kind === "cobrowse"
            ? "silent monitoring, neither party is told"
            : c.kind === "whisper"
              ? "a hidden instruction the agent follows; the user never sees it"
              : otherHolder
                ? `${otherHolder.name} has taken over`
                : c.kind === "takeover" && action === "take_over"
                  ? "you reply to the user yourself; the agent stays silent"
                  : c.kind === "review"
                    ? reviewing.value
                      ? "on: replies wait for your approval; press to switch off"
                      : "hold the agent's replies as drafts until approved"
                    : c.kind === "review_agent"
                      ? "every conversation of this agent, open and later ones; every supervisor sees it"
                      : null;
      return {
        kind: c.kind,
        action,
        label,
        short: c.kind === "review_agent" ? "Review agent" : ACTION_LABELS[action].short,
        keys: c.keys,
        title: `${label}${what ? ` (${what})` : ""} — ${c.hint}`,
        disabled: !live || otherHolder !== null,
        busy,
        ...(c.kind === "pause" ? { pressed: s?.status === "paused" } : {}),
        ...(c.kind === "cobrowse" ? { pressed: cobrowsing.value } : {}),
        ...(c.kind === "takeover" ? { pressed: heldByMe.value } : {}),
        ...(c.kind === "review" ? { pressed: reviewing.value } : {}),
        ...(c.kind === "review_agent" ? { pressed: agentReviewing.value } : {}),
      };
    });
  });

  const payload = computed<Record<string, unknown> | undefined>(() => {
    const d = dialog.value;
    if (!d) return undefined;
    if (
      d.action === "system_message" ||
      d.action === "override" ||
      d.action === "whisper" ||
      d.action === "takeover_reply"
    )
      return { text: text.value };
    if (d.kind === "review_agent")
      return { agent_id: deps.session.value?.agent.id ?? "", enabled: !agentReviewing.value };
    if (d.action === "review_mode") return { enabled: !reviewing.value };
    if (d.action === "transfer") {
      const t = target.value;
      return t === "human" ? { queue: "human" } : t ? { agent_id: t } : {};
    }
    return undefined;
  });
  const reasonError = computed(() => (attempted.value ? (checkReason(reason.value)?.message ?? null) : null));
  const payloadError = computed(() => {
    const d = dialog.value;
    if (!d || !attempted.value) return null;
    return fieldMessage(d.action, checkPayload(d.action, payload.value));
  });

  /** Transfer targets: the org's agents except the current one, online first. */
  const transferAgents = computed(() => {
    const current = deps.session.value?.agent.id;
    return deps.agents.value
      .filter((a) => a.id !== current)
      .slice()
      .sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
  });

  const describe = (t: TrackedCommand): CommandView => {
    const s = statusOf(t);
    const labels = ACTION_LABELS[t.cmd.action];
    const base = { cmd_id: t.cmd.cmd_id, action: t.cmd.action, session_id: t.cmd.session_id };
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

  /** The latest commands of this session, newest first. */
  const recent = computed<CommandView[]>(() => {
    const sid = deps.session.value?.id;
    return tracked.value
      .filter((t) => t.cmd.session_id === sid)
      .slice(-SHOWN_PER_SESSION)
      .reverse()
      .map(describe);
  });

  const dispatch = (cmd: OutgoingCommand, kind: ControlKind, replaces?: string) => {
    const list = tracked.peek();
    const existing = list.find((t) => t.cmd.cmd_id === cmd.cmd_id);
    if (existing && phaseOf(existing) === "pending") return existing.cmd.cmd_id; // the same action twice: once
    const used = deps.send(cmd) ?? cmd.cmd_id;
    const entry: TrackedCommand = {
      cmd: { ...cmd, cmd_id: used },
      kind,
      statusAtSend: deps.statuses.peek().get(used),
    };
    const drop = new Set([cmd.cmd_id, used, replaces ?? ""]);
    tracked.value = [...list.filter((t) => !drop.has(t.cmd.cmd_id)), entry].slice(-MAX_TRACKED);
    return used;
  };

  const open = (kind: ControlKind): boolean => {
    const s = deps.session.peek();
    if (permission.peek() !== "allowed" || !s) return false;
    const c = controls.peek().find((x) => x.kind === kind);
    if (!c || c.disabled || c.busy) return false;
    reason.value = "";
    text.value = "";
    target.value = "";
    attempted.value = false;
    dialog.value = { kind, action: c.action, session_id: s.id };
    return true;
  };

  return {
    permission,
    roleName,
    controls,
    holder,
    heldByMe,
    reply,
    replyError,
    /**
     * Sends the compose box's text to the user as the supervisor (takeover_reply),
     * audited with the take-over's reason. Returns the cmd_id, or null when the text is missing.
     */
    sendReply(): string | null {
      const s = deps.session.peek();
      if (!s || !heldByMe.peek() || permission.peek() !== "allowed") return null;
      replyAttempted.value = true;
      const payload = { text: reply.peek() };
      if (checkPayload("takeover_reply", payload)) return null;
      const given = takeoverReason.peek().trim();
      const reason = checkReason(given) ? "Reply while taken over" : given;
      const used = dispatch(
        { cmd_id: newId(), action: "takeover_reply", session_id: s.id, reason, payload },
        "takeover",
      );
      reply.value = "";
      replyAttempted.value = false;
      return used;
    },
    reviewing,
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
      if (!s || permission.peek() !== "allowed") return null;
      const payload = { draft_id: draftId, ...(opts.text !== undefined ? { text: opts.text } : {}) };
      const given = (opts.reason ?? "").trim();
      const reason =
        action === "reject_draft" || given !== "" || opts.text !== undefined ? given : "Approved in review";
      if (checkCommand({ action, reason, payload })) return null;
      return dispatch({ cmd_id: newId(), action, session_id: s.id, reason, payload }, "review");
    },
    cobrowsing,
    overrideTarget,
    transferAgents,
    dialog,
    reason,
    text,
    target,
    reasonError,
    payloadError,
    recent,
    /** Opens the reason dialog for a control; false when it does not apply now. */
    open,
    cancel() {
      dialog.value = null;
      attempted.value = false;
    },
    /**
     * Validates and sends the dialog's command. Returns the cmd_id, or null
     * when a field has a problem (shown under it; nothing is sent).
     */
    submit(): string | null {
      const d = dialog.peek();
      if (!d) return null;
      attempted.value = true;
      const p = payload.peek();
      if (checkCommand({ action: d.action, reason: reason.peek(), payload: p })) return null;
      const body = {
        action: d.action,
        session_id: d.session_id,
        reason: reason.peek().trim(),
        ...(p ? { payload: p } : {}),
      };
      const fp = fingerprintOf(body);
      const cmd_id = d.prior && d.prior.fingerprint === fp ? d.prior.cmd_id : newId();
      const used = dispatch({ cmd_id, ...body }, d.kind, d.prior?.cmd_id);
      if (d.action === "take_over") takeoverReason.value = body.reason;
      dialog.value = null;
      attempted.value = false;
      return used;
    },
    /** Sends a failed command again, unchanged and with the same cmd_id. */
    retry(cmdId: string): boolean {
      const t = tracked.peek().find((x) => x.cmd.cmd_id === cmdId);
      // Accepted by the gateway but not applied by the agent: the same cmd_id would only get the same ack.
      if (!t || phaseOf(t) !== "failed" || agentFailure(t)) return false;
      dispatch(t.cmd, t.kind);
      return true;
    },
    /** Reopens the dialog with a failed command's fields; unchanged, it keeps its cmd_id. */
    edit(cmdId: string): boolean {
      const t = tracked.peek().find((x) => x.cmd.cmd_id === cmdId);
      if (!t || phaseOf(t) !== "failed" || permission.peek() !== "allowed") return false;
      const { cmd } = t;
      const p = cmd.payload ?? {};
      reason.value = cmd.reason;
      text.value = typeof p.text === "string" ? p.text : "";
      target.value = p.queue === "human" ? "human" : typeof p.agent_id === "string" ? p.agent_id : "";
      attempted.value = false;
      dialog.value = {
        kind: t.kind,
        action: cmd.action,
        session_id: cmd.session_id,
        // After the agent's refusal, sending it again is a new command (a new cmd_id).
        ...(agentFailure(t) ? {} : { prior: { cmd_id: cmd.cmd_id, fingerprint: fingerprintOf(cmd) } }),
      };
      return true;
    },
    dismiss(cmdId: string) {
      tracked.value = tracked.peek().filter((t) => t.cmd.cmd_id !== cmdId);
    },
  };
});

export type InterventionModel = InstanceType<typeof InterventionModel>;

export function createInterventionModel(deps: InterventionDeps): InterventionModel {
  return new InterventionModel(deps);
}
