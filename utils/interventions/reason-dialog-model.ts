/**
 * The reason dialog: the control it was opened for, the reason, the text or
 * transfer target its action needs, their problems in words (from the command
 * schema), and the submission — one cmd_id per user action, kept for an
 * unchanged resubmission of a failed command so the gateway applies it at most once.
 */
import { computed, type ReadonlySignal, signal } from "@preact/signals";
import {
  type Action,
  type Command,
  checkPayload,
  checkReason,
  decodeCommand,
  type Session,
} from "../protocol";
import type { ControlKind } from "./action-catalog";
import type { ControlView } from "./controls";
import { fieldMessage } from "./field-message";

export interface DialogState {
  kind: ControlKind;
  action: Action;
  session_id: string;
  /** Set when reopened from an earlier submission: reused while nothing changed. */
  prior?: { cmd_id: string; fingerprint: string };
}

const fingerprintOf = (c: { action: Action; session_id: string; reason: string; payload?: unknown }) =>
  JSON.stringify([c.action, c.session_id, c.reason, c.payload ?? {}]);

const TEXT_ACTIONS: readonly Action[] = ["system_message", "override", "whisper", "takeover_reply"];

export function createReasonDialog(deps: {
  session: ReadonlySignal<Session | null>;
  controls: ReadonlySignal<ControlView[]>;
  reviewing: ReadonlySignal<boolean>;
  agentReviewing: ReadonlySignal<boolean>;
  allowed: () => boolean;
  newId: () => string;
  dispatch(cmd: Command, replaces?: string): string;
  /** A take-over was sent with this reason (its replies are audited with it). */
  tookOver(reason: string): void;
}) {
  const dialog = signal<DialogState | null>(null);
  const reason = signal("");
  const text = signal("");
  /** Transfer target: an agent id, "human", or "" (none chosen). */
  const target = signal("");
  const attempted = signal(false);

  /** What the dialog's fields say, as the payload of its action (checked by the schema on submit). */
  const payload = computed<Record<string, unknown> | undefined>(() => {
    const d = dialog.value;
    if (!d) return undefined;
    if (TEXT_ACTIONS.includes(d.action)) return { text: text.value };
    if (d.kind === "review_agent")
      return { agent_id: deps.session.value?.agent.id ?? "", enabled: !deps.agentReviewing.value };
    if (d.action === "review_mode") return { enabled: !deps.reviewing.value };
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

  return {
    dialog,
    reason,
    text,
    target,
    reasonError,
    payloadError,
    /** Opens the reason dialog for a control; false when it does not apply now. */
    open(kind: ControlKind): boolean {
      const s = deps.session.peek();
      if (!deps.allowed() || !s) return false;
      const c = deps.controls.peek().find((x) => x.kind === kind);
      if (!c || c.disabled || c.busy) return false;
      reason.value = "";
      text.value = "";
      target.value = "";
      attempted.value = false;
      dialog.value = { kind, action: c.action, session_id: s.id };
      return true;
    },
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
      const body = {
        action: d.action,
        session_id: d.session_id,
        reason: reason.peek().trim(),
        ...(p ? { payload: p } : {}),
      };
      // The untrimmed reason is what the supervisor typed: judged as typed (as the field shows it).
      const meant = decodeCommand({ ...body, cmd_id: "", reason: reason.peek() });
      if (!meant.ok) return null;
      const cmd = { ...meant.value, reason: body.reason };
      const cmd_id = d.prior && d.prior.fingerprint === fingerprintOf(cmd) ? d.prior.cmd_id : deps.newId();
      const used = deps.dispatch({ ...cmd, cmd_id }, d.prior?.cmd_id);
      if (d.action === "take_over") deps.tookOver(body.reason);
      dialog.value = null;
      attempted.value = false;
      return used;
    },
    /** Reopens the dialog with a sent command's fields; `keepId`: unchanged, it keeps its cmd_id. */
    reopen(cmd: Command, kind: ControlKind, keepId: boolean): void {
      const p: Record<string, unknown> = cmd.payload ?? {};
      reason.value = cmd.reason;
      text.value = typeof p.text === "string" ? p.text : "";
      target.value = p.queue === "human" ? "human" : typeof p.agent_id === "string" ? p.agent_id : "";
      attempted.value = false;
      dialog.value = {
        kind,
        action: cmd.action,
        session_id: cmd.session_id,
        ...(keepId ? { prior: { cmd_id: cmd.cmd_id, fingerprint: fingerprintOf(cmd) } } : {}),
      };
    },
  };
}
