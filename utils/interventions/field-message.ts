import type { Action, CommandProblem } from "../protocol";

/** A payload problem in words for the dialog field it belongs to. */
export function fieldMessage(action: Action, p: CommandProblem | null): string | null {
  if (!p) return null;
  if (action === "transfer") return "Choose an agent or the human handoff queue.";
  if (/non-empty text/.test(p.message)) return "Write the text to send.";
  const m = p.message.replace(/^payload(\.[a-z_]+)?:\s*/i, "");
  return m.charAt(0).toUpperCase() + m.slice(1);
}
