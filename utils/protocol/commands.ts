/**
 * A command's meaning, beyond its frame: the reason and the payload each
 * action needs. The payloads are one valibot variant keyed by `action`
 * (`CommandPayload`, command-payloads.ts); `decodeCommand` judges a command
 * frame with it and types its payload. Shared by the panel (to refuse early),
 * the worker, the gateway (which decides) and agent runtimes.
 */
import * as v from "valibot";
import { type Action, type Command, CommandPayload } from "./command-payloads";
import type { ErrorCode } from "./frames";
import { REASON_MAX, REASON_MIN } from "./shapes";

export * from "./command-payloads";

export interface CommandProblem {
  code: Extract<ErrorCode, "REASON_REQUIRED" | "VALIDATION_FAILED">;
  message: string;
}

// ---- the reason ----

const REASON_MISSING = "A reason is required.";
const trimmedLength = (s: string) => s.trim().length;
export const Reason = v.pipe(
  v.string(REASON_MISSING),
  v.check((s) => trimmedLength(s) > 0, REASON_MISSING),
  v.check(
    (s) => trimmedLength(s) >= REASON_MIN && trimmedLength(s) <= REASON_MAX,
    (issue) =>
      `The reason must be ${REASON_MIN}–${REASON_MAX} characters (it has ${trimmedLength(String(issue.input))}).`,
  ),
);

// ---- checks ----

function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  if (!issue) return "invalid";
  const path = v.getDotPath(issue);
  return path ? `${path}: ${issue.message}` : `payload: ${issue.message}`;
}

export function checkReason(reason: unknown): CommandProblem | null {
  const r = v.safeParse(Reason, reason);
  return r.success ? null : { code: "REASON_REQUIRED", message: r.issues[0].message };
}

/** The payload an action needs, decoded; or the problem, as `payload.<field>: <what is wrong>`. */
export function decodePayload(
  action: Action,
  payload: Record<string, unknown> | undefined,
): { ok: true; value: CommandPayload } | { ok: false; problem: CommandProblem } {
  const r = v.safeParse(CommandPayload, payload === undefined ? { action } : { action, payload });
  if (r.success) return { ok: true, value: r.output };
  return { ok: false, problem: { code: "VALIDATION_FAILED", message: firstIssue(r.issues) } };
}

export function checkPayload(
  action: Action,
  payload: Record<string, unknown> | undefined,
): CommandProblem | null {
  const r = decodePayload(action, payload);
  return r.ok ? null : r.problem;
}

interface CommandLike {
  action: Action;
  reason?: string | undefined;
  payload?: Record<string, unknown> | undefined;
}

/** A command frame's meaning: the reason first (REASON_REQUIRED), then the payload (VALIDATION_FAILED). */
export function decodeCommand<C extends CommandLike & { cmd_id: string; session_id: string }>(
  cmd: C,
): { ok: true; value: Command } | { ok: false; problem: CommandProblem } {
  const reason = checkReason(cmd.reason);
  if (reason) return { ok: false, problem: reason };
  const p = decodePayload(cmd.action, cmd.payload);
  if (!p.ok) return p;
  return {
    ok: true,
    value: { cmd_id: cmd.cmd_id, session_id: cmd.session_id, reason: cmd.reason ?? "", ...p.value },
  };
}

export function checkCommand(cmd: CommandLike): CommandProblem | null {
  return checkReason(cmd.reason) ?? checkPayload(cmd.action, cmd.payload);
}

/** A decoded command as it travels (the frame's body: the payload left out when there is none). */
export function commandBody(cmd: Command): {
  cmd_id: string;
  session_id: string;
  action: Action;
  reason: string;
  payload?: Record<string, unknown>;
} {
  const { cmd_id, session_id, action, reason, payload } = cmd;
  return { cmd_id, session_id, action, reason, ...(payload === undefined ? {} : { payload }) };
}
