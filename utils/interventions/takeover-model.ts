/**
 * Take-over (issue 12): who holds the session's lock, and the compose box the
 * holder answers the user with (`takeover_reply`, audited with the reason
 * given when taking over).
 */
import { computed, type ReadonlySignal, signal } from "@preact/signals";
import { type Command, checkPayload, checkReason, decodeCommand, type Session, type User } from "../protocol";
import { fieldMessage } from "./field-message";

export function createTakeOver(deps: {
  session: ReadonlySignal<Session | null>;
  user: ReadonlySignal<User | null>;
  allowed: () => boolean;
  newId: () => string;
  dispatch(cmd: Command): string;
}) {
  /** Who holds the session's take-over lock, if anyone. */
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

  return {
    holder,
    heldByMe,
    takeoverReason,
    reply,
    replyError,
    /**
     * Sends the compose box's text to the user as the supervisor (takeover_reply),
     * audited with the take-over's reason. Returns the cmd_id, or null when the text is missing.
     */
    sendReply(): string | null {
      const s = deps.session.peek();
      if (!s || !heldByMe.peek() || !deps.allowed()) return null;
      replyAttempted.value = true;
      const payload = { text: reply.peek() };
      if (checkPayload("takeover_reply", payload)) return null;
      const given = takeoverReason.peek().trim();
      const reason = checkReason(given) ? "Reply while taken over" : given;
      const cmd = decodeCommand({
        cmd_id: deps.newId(),
        action: "takeover_reply",
        session_id: s.id,
        reason,
        payload,
      });
      if (!cmd.ok) return null;
      const used = deps.dispatch(cmd.value);
      reply.value = "";
      replyAttempted.value = false;
      return used;
    },
  };
}
