import type { InterventionModel } from "@/utils/interventions";
import { CannedAssist } from "../canned/canned-assist";

/**
 * Take-over (issue 12) in the conversation: who holds it, and — for the
 * holder — the compose box whose replies the user gets from the supervisor
 * (Enter sends, Shift+Enter is a new line), audited with the take-over's reason.
 */
export function TakeoverPanel({ model }: { model: InterventionModel }) {
  const holder = model.holder.value;
  if (!holder) return null;
  if (!model.heldByMe.value)
    return (
      <p class="iv-takeover-holder" role="status" data-holder-id={holder.id}>
        Taken over by <strong>{holder.name}</strong> — the agent is silent until it is handed back.
      </p>
    );
  const error = model.replyError.value;
  const send = (e: Event) => {
    e.preventDefault();
    model.sendReply();
  };
  return (
    <form
      class="iv-takeover-compose"
      aria-label="Reply as supervisor"
      onSubmit={send}
      data-holder-id={holder.id}
    >
      <p class="iv-takeover-holder" role="status">
        You have taken over — the agent is silent. Hand back to let it continue.
      </p>
      <label for="iv-takeover-text">Your reply to the user</label>
      <textarea
        id="iv-takeover-text"
        rows={2}
        value={model.reply.value}
        onInput={(e) => {
          model.reply.value = e.currentTarget.value;
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) send(e);
        }}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? "iv-takeover-error" : undefined}
      />
      <CannedAssist kind="takeover_reply" field={model.reply} inputId="iv-takeover-text" />
      {error && (
        <p id="iv-takeover-error" class="iv-field-error">
          {error}
        </p>
      )}
      <button type="submit" class="iv-button iv-button-primary iv-takeover-send">
        Send reply
      </button>
    </form>
  );
}
