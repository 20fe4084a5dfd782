/**
 * Semantic checks of a command, beyond its shape: the reason and the payload
 * each action needs. Shared by the panel (to refuse early) and the gateway
 * (which decides). Returns null when the command is acceptable.
 */
import type { ErrorCode } from "./frames";
import { type Action, REASON_MAX, REASON_MIN } from "./shapes";

export const MAX_TEXT = 4000;

export interface CommandProblem {
  code: Extract<ErrorCode, "REASON_REQUIRED" | "VALIDATION_FAILED">;
  message: string;
}

export function checkReason(reason: unknown): CommandProblem | null {
  if (typeof reason !== "string" || reason.trim().length === 0)
    return { code: "REASON_REQUIRED", message: "A reason is required." };
  const n = reason.trim().length;
  if (n < REASON_MIN || n > REASON_MAX)
    return {
      code: "REASON_REQUIRED",
      message: `The reason must be ${REASON_MIN}–${REASON_MAX} characters (it has ${n}).`,
    };
  return null;
}

export function checkPayload(
  action: Action,
  payload: Record<string, unknown> | undefined,
): CommandProblem | null {
  const p = payload ?? {};
  const bad = (message: string): CommandProblem => ({ code: "VALIDATION_FAILED", message });
  switch (action) {
    case "system_message":
    case "override":
    case "whisper":
    case "takeover_reply": {
      const text = p.text;
      if (typeof text !== "string" || text.trim() === "")
        return bad("payload.text: a non-empty text is required.");
      if (text.length > MAX_TEXT) return bad(`payload.text: at most ${MAX_TEXT} characters.`);
      return null;
    }
    case "transfer": {
      const hasAgent = typeof p.agent_id === "string" && p.agent_id !== "";
      const hasQueue = p.queue !== undefined;
      if (hasAgent === hasQueue) return bad('payload: give either agent_id or queue:"human".');
      if (hasQueue && p.queue !== "human") return bad('payload.queue: the only queue is "human".');
      return null;
    }
    case "review_mode":
      if (typeof p.enabled !== "boolean") return bad("payload.enabled: true or false is required.");
      if (p.agent_id !== undefined && (typeof p.agent_id !== "string" || p.agent_id === ""))
        return bad("payload.agent_id: an agent id, or leave it out for this session only.");
      return null;
    case "approve_draft":
    case "reject_draft": {
      if (typeof p.draft_id !== "string" || p.draft_id === "")
        return bad("payload.draft_id: a draft id is required.");
      if (action === "reject_draft" || p.text === undefined) return null;
      if (typeof p.text !== "string" || p.text.trim() === "")
        return bad("payload.text: an edited text must not be empty.");
      if (p.text.length > MAX_TEXT) return bad(`payload.text: at most ${MAX_TEXT} characters.`);
      return null;
    }
    case "pause":
    case "resume":
    case "cobrowse_start":
    case "cobrowse_stop":
    case "take_over":
    case "hand_back":
      return null;
  }
}

export function checkCommand(cmd: {
  action: Action;
  reason?: string | undefined;
  payload?: Record<string, unknown> | undefined;
}): CommandProblem | null {
  return checkReason(cmd.reason) ?? checkPayload(cmd.action, cmd.payload);
}
