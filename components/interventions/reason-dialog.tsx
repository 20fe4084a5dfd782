import { useLayoutEffect, useRef } from "preact/hooks";
import { isCannedKind } from "@/utils/canned-replies";
import { ACTION_LABELS, type InterventionModel, isTypingTarget } from "@/utils/interventions";
import { REASON_MAX, REASON_MIN } from "@/utils/protocol";
import { CannedAssist } from "../canned/canned-assist";

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

const DIALOG_TITLES: Record<string, string> = {
  pause: "Pause the conversation",
  resume: "Resume the conversation",
  system_message: "Send a system message",
  override: "Override the agent's response",
  whisper: "Whisper to the agent",
  take_over: "Take over the conversation",
  takeover_reply: "Reply as supervisor",
  hand_back: "Hand back to the agent",
  transfer: "Transfer the conversation",
  cobrowse_start: "Start silent co-browsing",
  cobrowse_stop: "Stop co-browsing",
};

/**
 * The reason dialog every intervention goes through: modal, labelled, focus
 * kept inside and given back on close. Enter submits (Shift+Enter is a new
 * line in the message text), Escape cancels.
 */
export function ReasonDialog({ model }: { model: InterventionModel }) {
  const d = model.dialog.value;
  const box = useRef<HTMLDivElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const open = d !== null;

  useLayoutEffect(() => {
    if (!open) return;
    const active = document.activeElement;
    returnTo.current = active instanceof HTMLElement ? active : null;
    const first = box.current?.querySelector<HTMLElement>("[data-autofocus]");
    first?.focus();
    // Focus that escapes (a click on the backdrop, a tool moving it) comes back.
    const onFocusIn = (e: FocusEvent) => {
      const el = box.current;
      if (el && e.target instanceof Node && !el.contains(e.target)) first?.focus();
    };
    document.addEventListener("focusin", onFocusIn);
    return () => {
      document.removeEventListener("focusin", onFocusIn);
      const el = returnTo.current;
      returnTo.current = null;
      if (el?.isConnected) el.focus();
    };
  }, [open, d?.kind]);

  if (!d) return null;
  const labels = ACTION_LABELS[d.action];
  /** Review mode for a whole agent (admins): the dialog says which agent and which way. */
  const agentWide =
    d.kind === "review_agent"
      ? (model.controls.value.find((c) => c.kind === "review_agent")?.label ?? null)
      : null;
  const reasonError = model.reasonError.value;
  const payloadError = model.payloadError.value;
  const hasText =
    d.action === "system_message" ||
    d.action === "override" ||
    d.action === "whisper" ||
    d.action === "takeover_reply";
  const reasonLength = model.reason.value.trim().length;

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      model.cancel();
      return;
    }
    if (e.key === "Tab") {
      const items = [...(box.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
      const first = items[0];
      const last = items.at(-1);
      if (!first || !last) return;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
      return;
    }
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      const t = e.target;
      if (t instanceof HTMLButtonElement) return; // Enter on Cancel cancels, on Send sends
      if (!isTypingTarget(t) && !(t instanceof HTMLSelectElement)) return;
      e.preventDefault();
      e.stopPropagation();
      model.submit();
    }
    // Keys typed in the dialog are not the conversation's shortcuts.
    e.stopPropagation();
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    model.submit();
  };

  const target = model.overrideTarget.value;
  return (
    <div class="iv-backdrop">
      <div
        ref={box}
        class="iv-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="iv-dialog-title"
        aria-describedby="iv-dialog-desc"
        onKeyDown={onKeyDown}
        data-action={d.action}
      >
        <form onSubmit={onSubmit} noValidate>
          <h2 id="iv-dialog-title" class="iv-dialog-title">
            {agentWide ?? DIALOG_TITLES[d.action] ?? labels.verb}
          </h2>
          <p id="iv-dialog-desc" class="iv-dialog-desc">
            {agentWide
              ? model.agentReviewing.value
                ? "Replies of this agent's conversations go to the users again without approval (drafts already waiting still wait)."
                : "Every conversation of this agent, open now or started later, holds each reply as a draft until a supervisor approves it; every supervisor sees it."
              : describeEffect(d.action)}{" "}
            Every intervention is logged with your reason.
          </p>
          {d.action === "override" && (
            <p class="iv-override-target" data-target={target.kind}>
              {target.kind === "current" ? (
                <>
                  Replaces the reply the agent is {target.phase === "streaming" ? "writing" : "preparing"} now
                  {target.preview ? (
                    <>
                      : <q class="iv-override-preview">{target.preview}</q>
                    </>
                  ) : (
                    "."
                  )}
                </>
              ) : (
                "No reply is in progress: your text replaces the agent's next reply."
              )}
            </p>
          )}
          {hasText && (
            <div class="iv-field">
              <label for="iv-text">
                {d.action === "override"
                  ? "Reply to send instead"
                  : d.action === "whisper"
                    ? "Instruction to the agent (the user never sees it)"
                    : "Message the user sees"}
              </label>
              <textarea
                id="iv-text"
                data-autofocus
                rows={3}
                value={model.text.value}
                onInput={(e) => {
                  model.text.value = e.currentTarget.value;
                }}
                aria-invalid={payloadError ? "true" : undefined}
                aria-describedby={describedBy("iv-text", payloadError, true)}
              />
              <FieldNote id="iv-text" error={payloadError} hint="Shift+Enter for a new line." />
              {isCannedKind(d.action) && (
                <CannedAssist kind={d.action} field={model.text} inputId="iv-text" />
              )}
            </div>
          )}
          {d.action === "transfer" && (
            <div class="iv-field">
              <label for="iv-target">Transfer to</label>
              <select
                id="iv-target"
                data-autofocus
                value={model.target.value}
                onChange={(e) => {
                  model.target.value = e.currentTarget.value;
                }}
                aria-invalid={payloadError ? "true" : undefined}
                aria-describedby={describedBy("iv-target", payloadError, false)}
              >
                <option value="">Choose an agent or the human queue…</option>
                <option value="human">Human handoff queue</option>
                {model.transferAgents.value.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                    {a.online ? "" : " (offline)"}
                  </option>
                ))}
              </select>
              <FieldNote id="iv-target" error={payloadError} />
            </div>
          )}
          <div class="iv-field">
            <label for="iv-reason">Reason (required)</label>
            <input
              id="iv-reason"
              type="text"
              {...(hasText || d.action === "transfer" ? {} : { "data-autofocus": true })}
              value={model.reason.value}
              maxLength={REASON_MAX + 50}
              onInput={(e) => {
                model.reason.value = e.currentTarget.value;
              }}
              aria-required="true"
              aria-invalid={reasonError ? "true" : undefined}
              aria-describedby={describedBy("iv-reason", reasonError, true)}
            />
            <FieldNote
              id="iv-reason"
              error={reasonError}
              hint={`${REASON_MIN}–${REASON_MAX} characters (${reasonLength} so far).`}
            />
          </div>
          <div class="iv-dialog-buttons">
            <button type="button" class="iv-button" onClick={() => model.cancel()}>
              Cancel
            </button>
            <button type="submit" class="iv-button iv-button-primary">
              {agentWide ?? labels.verb}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

function describeEffect(action: string): string {
  switch (action) {
    case "pause":
      return "The agent stops replying (a reply in progress is cancelled) and the user sees a paused notice.";
    case "resume":
      return "The agent continues and the user is told.";
    case "system_message":
      return "The user sees this message in the conversation.";
    case "override":
      return "Your text is sent as the agent's reply; the original reply is discarded.";
    case "transfer":
      return "The conversation moves with its context.";
    case "whisper":
      return "Only the agent gets this instruction and follows it in its next reply; the user never sees it.";
    case "take_over":
      return "You reply to the user yourself while the agent stays silent; no other supervisor can take over until you hand back.";
    case "takeover_reply":
      return "The user sees your reply from a member of the team.";
    case "hand_back":
      return "The agent resumes the conversation, with your replies in its context.";
    case "cobrowse_start":
      return "You watch silently; neither the user nor the agent is told.";
    case "cobrowse_stop":
      return "Silent monitoring ends.";
    default:
      return "";
  }
}

/** The words under a field: its error when it has one, else its hint (if any). */
function FieldNote({ id, error, hint }: { id: string; error: string | null | undefined; hint?: string }) {
  if (error)
    return (
      <p id={`${id}-error`} class="iv-field-error">
        {error}
      </p>
    );
  return hint === undefined ? null : (
    <p id={`${id}-hint`} class="iv-field-hint">
      {hint}
    </p>
  );
}

/** What a field's `aria-describedby` names: its error, else its hint when it has one. */
const describedBy = (id: string, error: string | null | undefined, hasHint: boolean) =>
  error ? `${id}-error` : hasHint ? `${id}-hint` : undefined;
