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

const off = () => undefined;

class MarkdownTokenizer extends Tokenizer {
  override code = off;
  override html = off;
  override tag = off;
}
class ChannelTokenizer extends MarkdownTokenizer {
  override heading = off;
  override lheading = off;
  override hr = off;
  override def = off;
  override table = off;
}
class PlainTokenizer extends ChannelTokenizer {
  override blockquote = off;
  override list = off;
  override fences = off;
}

const options = (tokenizer: Tokenizer): MarkedOptions => ({ gfm: true, breaks: false, tokenizer });
const LEXER_OPTIONS: Record<FormatMode, MarkedOptions> = {
  markdown: options(new MarkdownTokenizer()),
  whatsapp: options(new ChannelTokenizer()),
  telegram: options(new ChannelTokenizer()),
  plain: options(new PlainTokenizer()),
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
