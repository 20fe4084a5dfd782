/**
 * Text → mdast, through marked's lexer (CommonMark + GFM: tables, task lists,
 * strikethrough, autolinks) and `from-tokens.ts`.
 *
 * - `markdown`: raw HTML is off (it stays literal text) and so is indented
 *   code (chat replies indent prose; fences are the code blocks).
 * - `whatsapp` / `telegram`: only the blocks those apps have (paragraphs,
 *   lists, quotes, fenced code); each paragraph's raw text is formatted by
 *   the channel's own inline rules (`channel-inline.ts`).
 * - `plain`: paragraphs only, then line breaks and bare links.
 *
 * Too long (MAX_FORMATTED_CHARS) or nested too deep (MAX_NESTING containers on
 * one line) and a text is shown as plain: every parser has inputs that cost
 * far more than their length; these bounds keep a hostile message cheap.
 */
import { Lexer, type MarkedOptions, type Token, Tokenizer } from "marked";
import type { Root, RootContent } from "mdast";
import { channelInline } from "./channel-inline";
import { blockNode, type InlineOf, inlineNodes } from "./from-tokens";
import type { FormatMode } from "./nodes";

/** Beyond this a text is shown as plain lines: no formatting, still safe. */
export const MAX_FORMATTED_CHARS = 20_000;
/** Container markers (">", "-", "1.") opening one line beyond which a text is shown plain. */
export const MAX_NESTING = 32;

/** The tokenizer rules each mode turns off (a rule that returns nothing leaves the text to the next one). */
const MARKDOWN_OFF = ["code", "html", "tag"] as const;
const CHANNEL_OFF = [...MARKDOWN_OFF, "heading", "lheading", "hr", "def", "table"] as const;
const PLAIN_OFF = [...CHANNEL_OFF, "blockquote", "list", "fences"] as const;

const options = (off: readonly (keyof Tokenizer)[]): MarkedOptions => ({
  gfm: true,
  breaks: false,
  tokenizer: Object.assign(new Tokenizer(), Object.fromEntries(off.map((rule) => [rule, () => undefined]))),
});
const LEXER_OPTIONS: Record<FormatMode, MarkedOptions> = {
  markdown: options(MARKDOWN_OFF),
  whatsapp: options(CHANNEL_OFF),
  telegram: options(CHANNEL_OFF),
  plain: options(PLAIN_OFF),
};

const INLINE: Record<FormatMode, InlineOf> = {
  markdown: (t) => inlineNodes(t.tokens),
  whatsapp: (t) => channelInline(t.text, "whatsapp"),
  telegram: (t) => channelInline(t.text, "telegram"),
  plain: (t) => channelInline(t.text, "plain"),
};

/** A top-level block and where its source starts in the (newline-normalised) text. */
export interface ParsedBlock {
  node: RootContent;
  start: number;
}

/**
 * The text's top-level blocks. `text` should have "\n" line endings only
 * (offsets count in it); `complete` is false when the raw lengths did not add
 * up to the text, so the offsets cannot be trusted.
 */
export function parseBlocks(text: string, mode: FormatMode): { blocks: ParsedBlock[]; complete: boolean } {
  const m = text.length > MAX_FORMATTED_CHARS || tooDeep(text) ? "plain" : mode;
  const tokens: Token[] = new Lexer(LEXER_OPTIONS[m]).lex(text);
  const blocks: ParsedBlock[] = [];
  let at = 0;
  for (const t of tokens) {
    const node = blockNode(t, INLINE[m]);
    if (node) blocks.push({ node, start: at });
    at += t.raw.length;
  }
  return { blocks, complete: at === text.length };
}

/** Parse a whole text in the given mode. */
export function parseMarkdown(text: string, mode: FormatMode): Root {
  return { type: "root", children: parseBlocks(normalizeNewlines(text), mode).blocks.map((b) => b.node) };
}

export function normalizeNewlines(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

const CONTAINER = /^[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))/;

/** Whether some line opens more than MAX_NESTING containers. */
function tooDeep(text: string): boolean {
  let from = 0;
  while (from < text.length) {
    let end = text.indexOf("\n", from);
    if (end < 0) end = text.length;
    let line = text.slice(from, end);
    for (let depth = 0; ; depth++) {
      const m = CONTAINER.exec(line);
      if (!m) break;
      if (depth >= MAX_NESTING) return true;
      line = line.slice(m[0].length);
    }
    from = end + 1;
  }
  return false;
}
