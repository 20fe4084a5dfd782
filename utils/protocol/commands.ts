/**
 * A command's meaning, beyond its frame: the reason and the payload each
 * action needs, as one valibot variant keyed by `action`. The frame
 * (`CommandFrame`, frames.ts) says what may travel; `decodeCommand` says what
 * a command means and types its payload. Shared by the panel (to refuse
 * early), the worker, the gateway (which decides) and agent runtimes.
 *
 * Adding an action: one entry in `ACTIONS` (shapes.ts) and one option here
 * (a missing one fails `tests/unit/command-schema.test.ts` and the type of
 * `PayloadOf`), one entry in `ACTION_LABELS` (action-catalog.ts) and one
 * gateway handler (gateway/intervention-handlers.ts); both are typed
 * `Record<Action, …>`, so leaving one out does not compile.
 */
import * as v from "valibot";
import type { ErrorCode } from "./frames";
import { type Action, REASON_MAX, REASON_MIN } from "./shapes";

export const MAX_TEXT = 4000;

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

// ---- the payloads ----

const TEXT_REQUIRED = "a non-empty text is required.";
const TOO_LONG = `at most ${MAX_TEXT} characters.`;
const nonBlank = (s: string) => s.trim() !== "";

/** system_message, override, whisper, takeover_reply. */
export const TextPayload = v.looseObject(
  {
    text: v.pipe(v.string(TEXT_REQUIRED), v.check(nonBlank, TEXT_REQUIRED), v.maxLength(MAX_TEXT, TOO_LONG)),
  },
  TEXT_REQUIRED,
);

/** Where a transfer goes: another agent, or the human queue. */
export type TransferTarget =
  | { agent_id: string; queue?: undefined; [k: string]: unknown }
  | { queue: "human"; agent_id?: unknown; [k: string]: unknown };
const hasAgent = (p: { agent_id?: unknown }) => typeof p.agent_id === "string" && p.agent_id !== "";
export const TransferPayload = v.pipe(
  v.looseObject({ agent_id: v.optional(v.unknown()), queue: v.optional(v.unknown()) }),
  v.check((p) => hasAgent(p) !== (p.queue !== undefined), 'give either agent_id or queue:"human".'),
  v.forward(
    v.check((p) => p.queue === undefined || p.queue === "human", 'the only queue is "human".'),
    ["queue"],
  ),
  v.guard((p): p is TransferTarget => hasAgent(p) || p.queue === "human"),
);

const AGENT_OR_SESSION = "an agent id, or leave it out for this session only.";
const ENABLED_REQUIRED = "true or false is required.";
/** Review mode on or off, for this session or (admins) for every session of an agent. */
export const ReviewModePayload = v.looseObject(
  {
    enabled: v.boolean(ENABLED_REQUIRED),
    agent_id: v.optional(v.pipe(v.string(AGENT_OR_SESSION), v.minLength(1, AGENT_OR_SESSION))),
  },
  ENABLED_REQUIRED,
);

const DRAFT_REQUIRED = "a draft id is required.";
const DraftId = v.pipe(v.string(DRAFT_REQUIRED), v.minLength(1, DRAFT_REQUIRED));
const EDIT_EMPTY = "an edited text must not be empty.";
/** Approve a waiting draft, as written or with an edited `text`. */
export const ApproveDraftPayload = v.looseObject(
  {
    draft_id: DraftId,
    text: v.optional(
      v.pipe(v.string(EDIT_EMPTY), v.check(nonBlank, EDIT_EMPTY), v.maxLength(MAX_TEXT, TOO_LONG)),
    ),
  },
  DRAFT_REQUIRED,
);
export const RejectDraftPayload = v.looseObject({ draft_id: DraftId }, DRAFT_REQUIRED);

/** Actions without a payload: whatever object is sent along is kept as it came, and means nothing. */
export const NoPayload = v.optional(v.looseObject({}));

/** A payload every action that needs one must carry: missing, it is judged as `{}`. */
const required = <S extends v.GenericSchema>(schema: S) => v.optional(schema, {});
const option = <A extends Action, S extends v.GenericSchema>(action: A, payload: S) =>
  v.looseObject({ action: v.literal(action), payload });

/** Every action with the payload it needs, keyed by `action`. */
export const CommandPayload = v.variant("action", [
  option("pause", NoPayload),
  option("resume", NoPayload),
  option("system_message", required(TextPayload)),
  option("override", required(TextPayload)),
  option("transfer", required(TransferPayload)),
  option("cobrowse_start", NoPayload),
  option("cobrowse_stop", NoPayload),
  option("whisper", required(TextPayload)),
  option("take_over", NoPayload),
  option("takeover_reply", required(TextPayload)),
  option("hand_back", NoPayload),
  option("review_mode", required(ReviewModePayload)),
  option("approve_draft", required(ApproveDraftPayload)),
  option("reject_draft", required(RejectDraftPayload)),
]);
export type CommandPayload = v.InferOutput<typeof CommandPayload>;
/** The payload of one action, typed. */
export type PayloadOf<A extends Action> = Extract<CommandPayload, { action: A }>["payload"];

/** A command as the gateway decides on it: who, where, why, and the action with its typed payload. */
export type Command = { cmd_id: string; session_id: string; reason: string } & CommandPayload;
/** The same, before a cmd_id is given (what the panel builds). */
export type CommandIntent = Omit<Command, "cmd_id">;

/** Actions, in the schema's order (iterated by the coverage test). */
export const COMMAND_ACTIONS: readonly Action[] = CommandPayload.options.map((o) => o.entries.action.literal);

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
