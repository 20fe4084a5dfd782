/**
 * Pure text helpers for inserting canned replies into a compose field: find
 * the `/shortcut` the caret stands after, and splice a reply's text in.
 */
import type { CannedKind, CannedReply } from "./canned-schema";

export interface FieldState {
  value: string;
  /** Caret / selection, as in HTMLTextAreaElement. */
  start: number;
  end: number;
}

export interface Inserted {
  value: string;
  /** Where the caret goes: after the inserted text. */
  caret: number;
}

/**
 * The `/word` token that ends at the caret, when it starts the field or
 * follows white space; null otherwise (or when text is selected).
 */
export function shortcutToken(f: FieldState): { token: string; from: number } | null {
  if (f.start !== f.end) return null;
  const before = f.value.slice(0, f.start);
  const m = /(^|\s)(\/[^\s/]*)$/.exec(before);
  if (!m?.[2]) return null;
  return { token: m[2].toLowerCase(), from: f.start - m[2].length };
}

/** The reply whose shortcut is exactly the token before the caret, among those allowed for `kind`. */
export function matchShortcut(
  f: FieldState,
  replies: readonly CannedReply[],
  kind: CannedKind,
): { reply: CannedReply; from: number } | null {
  const t = shortcutToken(f);
  if (!t || t.token.length < 2) return null;
  const reply = replies.find((r) => r.shortcut === t.token && r.kinds.includes(kind));
  return reply ? { reply, from: t.from } : null;
}

/** Replaces `from`…`to` (the selection, or a token) with the text. */
export function insertText(value: string, from: number, to: number, text: string): Inserted {
  return { value: value.slice(0, from) + text + value.slice(to), caret: from + text.length };
}

/** Case-insensitive match of title, shortcut or text. */
export function filterReplies(replies: readonly CannedReply[], query: string): CannedReply[] {
  const q = query.trim().toLowerCase().replace(/^\//, "");
  if (!q) return [...replies];
  return replies.filter(
    (r) =>
      r.title.toLowerCase().includes(q) ||
      (r.shortcut ?? "").slice(1).startsWith(q) ||
      r.text.toLowerCase().includes(q),
  );
}
