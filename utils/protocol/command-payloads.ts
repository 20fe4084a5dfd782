/**
 * Every action and the payload it needs, as one valibot variant keyed by
 * `action`: the protocol's list of actions (`ACTIONS`) is read from it.
 *
 * Adding an action: one option here, one entry in `ACTION_LABELS`
 * (utils/interventions/action-catalog.ts), one handler in
 * `INTERVENTION_HANDLERS` (gateway/org/intervention-handlers.ts). Both tables are
 * typed `Record<Action, …>`, so leaving one out does not compile, and
 * tests/unit/command-coverage.test.ts fails too.
 */
import * as v from "valibot";

export const MAX_TEXT = 4000;

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

/** Whether an audited intervention (`intervention_triggered`'s `type` and `payload`) sent the session to the human queue. */
export function toHumanQueue(data: { type: string; payload?: unknown }): boolean {
  return data.type === "transfer" && v.is(TransferPayload, data.payload) && data.payload.queue === "human";
}

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
const option = <const A extends string, S extends v.GenericSchema>(action: A, payload: S) =>
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

/** The protocol's actions, in the schema's order. */
export const ACTIONS = CommandPayload.options.map((o) => o.entries.action.literal);
export type Action = CommandPayload["action"];
