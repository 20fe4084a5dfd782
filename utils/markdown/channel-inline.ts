/**
 * The chat apps' own inline formatting, which no markdown parser knows:
 * WhatsApp (*bold* _italic_ ~strike~ ```mono```), Telegram MarkdownV2 (*bold*
 * _italic_ __underline__ ~strike~ ||spoiler|| [label](url), `\` escapes) and
 * plain text (line breaks and bare links only). Input is one raw text run of
 * a paragraph (micromark found the blocks); output is mdast phrasing nodes. A
 * link's url has passed safeHref or the link is dropped (its label stays, as
 * text). Failed searches for a closing delimiter are remembered, so hostile
 * input ("*" × 50 000) stays linear.
 */
import type { PhrasingContent } from "mdast";
import type { FormatMode } from "./nodes";
import { safeHref } from "./safe-href";

type ChannelMode = Exclude<FormatMode, "markdown">;
type Wrap = "strong" | "emphasis" | "delete" | "underline" | "spoiler";

interface ModeRules {
  /** Delimiters, longest first; each needs a non-word character outside unless `intraword`. */
  delims: { d: string; node: Wrap; intraword: boolean }[];
  links: boolean;
  escapes: RegExp | null;
  code: boolean;
}

const RULES: Record<ChannelMode, ModeRules> = {
  whatsapp: {
    delims: [
      { d: "**", node: "strong", intraword: false },
      { d: "*", node: "strong", intraword: false },
      { d: "_", node: "emphasis", intraword: false },
      { d: "~", node: "delete", intraword: false },
    ],
    links: false,
    escapes: null,
    code: true,
  },
  telegram: {
    delims: [
      { d: "**", node: "strong", intraword: false },
      { d: "__", node: "underline", intraword: false },
      { d: "||", node: "spoiler", intraword: true },
      { d: "*", node: "strong", intraword: false },
      { d: "_", node: "emphasis", intraword: false },
      { d: "~", node: "delete", intraword: false },
    ],
    links: true,
    escapes: /[_*[\]()~`>#+\-=|{}.!\\]/,
    code: true,
  },
  plain: { delims: [], links: false, escapes: null, code: false },
};

const MAX_DEPTH = 8;
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/;
const BARE_URL = /^(?:https?:\/\/|mailto:)[^\s<>"'`]+/i;

const isWord = (ch: string | undefined) => ch !== undefined && WORD.test(ch);
const isSpace = (ch: string | undefined) => ch === undefined || SPACE.test(ch);
function runLength(s: string, at: number, ch: string): number {
  let n = 0;
  while (s[at + n] === ch) n++;
  return n;
}

/** Trailing punctuation is not part of a bare URL; a closing ")" is, when balanced. */
function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0) {
    const ch = url[end - 1] as string;
    if (/[.,;:!?*_~'"]/.test(ch)) end--;
    else if (ch === ")" && url.slice(0, end).split(")").length > url.slice(0, end).split("(").length) end--;
    else break;
  }
  return url.slice(0, end);
}

const link = (url: string, children: PhrasingContent[]): PhrasingContent => ({ type: "link", url, children });

export function channelInline(src: string, mode: ChannelMode, depth = 0, inLink = false): PhrasingContent[] {
  const rules = RULES[mode];
  const out: PhrasingContent[] = [];
  let buf = "";
  const flush = () => {
    if (buf) out.push({ type: "text", value: buf });
    buf = "";
  };
  if (depth > MAX_DEPTH) return [{ type: "text", value: src }];
  const noClose = new Set<string>();
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;

    if (ch === "\\" && rules.escapes && i + 1 < src.length && rules.escapes.test(src[i + 1] as string)) {
      buf += src[i + 1];
      i += 2;
      continue;
    }

    if (ch === "`" && rules.code) {
      const n = runLength(src, i, "`");
      const close = noClose.has(`\`${n}`) ? -1 : findRun(src, i + n, "`", n);
      if (close === -1) noClose.add(`\`${n}`);
      if (close > i + n) {
        flush();
        out.push({ type: "inlineCode", value: src.slice(i + n, close) });
        i = close + n;
      } else {
        buf += "`".repeat(n);
        i += n;
      }
      continue;
    }

    if (rules.links && !inLink && ch === "[") {
      const l = readLink(src, i);
      if (l) {
        flush();
        const href = safeHref(l.url);
        const children = channelInline(l.label || l.url, mode, depth + 1, true);
        out.push(...(href ? [link(href, children)] : children));
        i = l.end;
        continue;
      }
    }

    if (!inLink && (ch === "h" || ch === "H" || ch === "m" || ch === "M") && !isWord(src[i - 1])) {
      const m = BARE_URL.exec(src.slice(i, i + 2100));
      const url = m ? trimUrl(m[0]) : "";
      const href = url.length > 8 ? safeHref(url) : null;
      if (href) {
        flush();
        out.push(link(href, [{ type: "text", value: url }]));
        i += url.length;
        continue;
      }
    }

    const delim = rules.delims.find((x) => src.startsWith(x.d, i));
    if (delim) {
      const close = noClose.has(delim.d) ? -1 : findCloser(src, i, delim.d, delim.intraword);
      const run = runLength(src, i, delim.d[0] as string);
      const opens =
        run === delim.d.length &&
        !isSpace(src[i + delim.d.length]) &&
        (delim.intraword || !isWord(src[i - 1]));
      if (opens && close > i + delim.d.length) {
        flush();
        const children = channelInline(src.slice(i + delim.d.length, close), mode, depth + 1, inLink);
        out.push({ type: delim.node, children } as PhrasingContent);
        i = close + delim.d.length;
        continue;
      }
      if (close === -1) noClose.add(delim.d);
      buf += src.slice(i, i + run);
      i += run;
      continue;
    }

    buf += ch;
    i++;
  }
  flush();
  return out;
}

/** Start of the next run of exactly `n` × `ch` at or after `from`, or -1. */
function findRun(src: string, from: number, ch: string, n: number): number {
  let j = src.indexOf(ch, from);
  while (j !== -1) {
    const r = runLength(src, j, ch);
    if (r === n) return j;
    j = src.indexOf(ch, j + r);
  }
  return -1;
}

/** Position of the closing delimiter for an opener at `at`, or -1. */
function findCloser(src: string, at: number, d: string, intraword: boolean): number {
  const ch = d[0] as string;
  let j = src.indexOf(ch, at + d.length + 1);
  while (j !== -1) {
    const r = runLength(src, j, ch);
    if (r === d.length && !isSpace(src[j - 1]) && (intraword || !isWord(src[j + r]))) return j;
    j = src.indexOf(ch, j + r);
  }
  return -1;
}

/** Telegram's `[label](url)` starting at `at` (the "["). */
function readLink(src: string, at: number): { label: string; url: string; end: number } | null {
  let depth = 0;
  let j = at;
  for (; j < src.length && j < at + 1000; j++) {
    const c = src[j];
    if (c === "\\") j++;
    else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) break;
  }
  if (src[j] !== "]" || src[j + 1] !== "(") return null;
  const close = src.indexOf(")", j + 2);
  if (close === -1 || close - j > 2100) return null;
  const url = src.slice(j + 2, close).trim();
  if (/\s/.test(url)) return null;
  return { label: src.slice(at + 1, j), url, end: close + 1 };
}
