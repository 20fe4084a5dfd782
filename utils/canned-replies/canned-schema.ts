/**
 * A canned reply: a saved text a supervisor inserts into an intervention's
 * compose field (system message, override, take-over reply, whisper), by its
 * shortcut (`/refund` + Tab or Enter) or from the picker (Alt+R).
 *
 * Stored records (IndexedDB, see canned-store.ts) are validated on read with
 * `CannedRecordSchema`; a draft from the editor is checked with
 * `checkCannedDraft`, which names every field that is wrong.
 */
import * as v from "valibot";
import { MAX_TEXT } from "../protocol";
import { recordDecoder, userRecordSchema } from "../user-db";

/** The intervention fields a canned reply may be inserted into. */
export const CANNED_KINDS = ["system_message", "override", "takeover_reply", "whisper"] as const;
export type CannedKind = (typeof CANNED_KINDS)[number];

export const CANNED_KIND_LABELS: Record<CannedKind, string> = {
  system_message: "System message",
  override: "Override",
  takeover_reply: "Take-over reply",
  whisper: "Whisper",
};

export const CANNED_TITLE_MAX = 60;
/** The same limit as the protocol's message text: an inserted reply can always be sent. */
export const CANNED_TEXT_MAX = MAX_TEXT;
export const CANNED_SHORTCUT_MAX = 24;
/** `/` then a letter or digit, then letters, digits, `-` or `_`. */
export const SHORTCUT_PATTERN = /^\/[a-z0-9][a-z0-9_-]*$/;

export function isCannedKind(s: string): s is CannedKind {
  return (CANNED_KINDS as readonly string[]).includes(s);
}

export const CannedReplySchema = v.object({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  title: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(CANNED_TITLE_MAX)),
  text: v.pipe(
    v.string(),
    v.check((s) => s.trim().length > 0, "the text is empty"),
    v.maxLength(CANNED_TEXT_MAX),
  ),
  kinds: v.pipe(v.array(v.picklist(CANNED_KINDS)), v.minLength(1)),
  shortcut: v.optional(
    v.pipe(v.string(), v.maxLength(CANNED_SHORTCUT_MAX), v.regex(SHORTCUT_PATTERN, "not a /shortcut")),
  ),
});
export type CannedReply = v.InferOutput<typeof CannedReplySchema>;

export const CannedRecordSchema = userRecordSchema(CannedReplySchema.entries);
export type CannedRecord = v.InferOutput<typeof CannedRecordSchema>;

export const decodeCannedRecord = recordDecoder(CannedRecordSchema);

/** What the editor hands in; `id` is absent for a new reply. */
export interface CannedDraft {
  id?: string;
  title: string;
  text: string;
  kinds: readonly string[];
  shortcut: string;
}

export type CannedField = "title" | "text" | "kinds" | "shortcut";
export type CannedFieldErrors = Partial<Record<CannedField, string>>;

/** Lower case, trimmed, with the leading `/` added when missing; "" stays "". */
export function normalizeShortcut(s: string): string {
  const t = s.trim().toLowerCase();
  if (!t) return "";
  return t.startsWith("/") ? t : `/${t}`;
}

/**
 * Checks a draft against the other replies of the user. Returns either the
 * reply to store or the message for each field that is wrong.
 */
export function checkCannedDraft(
  draft: CannedDraft,
  others: readonly CannedReply[],
  newId: () => string,
): { ok: true; reply: CannedReply } | { ok: false; errors: CannedFieldErrors } {
  const errors: CannedFieldErrors = {};
  const title = draft.title.trim();
  if (!title) errors.title = "Give the reply a title.";
  else if (title.length > CANNED_TITLE_MAX)
    errors.title = `A title has at most ${CANNED_TITLE_MAX} characters.`;
  if (!draft.text.trim()) errors.text = "Write the text to insert.";
  else if (draft.text.length > CANNED_TEXT_MAX)
    errors.text = `The text is too long: at most ${CANNED_TEXT_MAX} characters (it has ${draft.text.length}).`;
  const kinds = CANNED_KINDS.filter((k) => draft.kinds.includes(k));
  if (kinds.length === 0) errors.kinds = "Choose at least one action the reply is for.";
  const shortcut = normalizeShortcut(draft.shortcut);
  if (shortcut) {
    if (shortcut.length > CANNED_SHORTCUT_MAX)
      errors.shortcut = `A shortcut has at most ${CANNED_SHORTCUT_MAX} characters.`;
    else if (!SHORTCUT_PATTERN.test(shortcut))
      errors.shortcut = "A shortcut is / followed by letters, digits, - or _ (e.g. /refund).";
    else {
      const clash = others.find((o) => o.id !== draft.id && o.shortcut === shortcut);
      if (clash) errors.shortcut = `${shortcut} is already the shortcut of “${clash.title}”.`;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const reply: CannedReply = { id: draft.id ?? newId(), title, text: draft.text, kinds };
  if (shortcut) reply.shortcut = shortcut;
  return { ok: true, reply };
}

/** Written for a user the first time their canned replies are opened. */
export const EXAMPLE_REPLIES: readonly CannedReply[] = [
  {
    id: "example-refund",
    title: "Refund on its way",
    text: "I have arranged a full refund; you will see it on your statement within 5 business days.",
    kinds: ["system_message", "override", "takeover_reply"],
    shortcut: "/refund",
  },
  {
    id: "example-human",
    title: "A person is taking over",
    text: "A member of our team is joining this conversation now and will help you from here.",
    kinds: ["system_message", "takeover_reply"],
    shortcut: "/human",
  },
  {
    id: "example-apology",
    title: "Apology for the mistake",
    text: "I am sorry — the previous answer was wrong. Here is the correct information:",
    kinds: ["override", "takeover_reply"],
    shortcut: "/sorry",
  },
  {
    id: "example-retention",
    title: "Offer the retention discount",
    text: "Offer the customer the 20 % retention discount before accepting the cancellation.",
    kinds: ["whisper"],
    shortcut: "/retain",
  },
];
