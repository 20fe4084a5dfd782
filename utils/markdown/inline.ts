/**
 * Inline parsing for every format mode: code spans, links, bare URLs,
 * emphasis-like delimiters and line breaks. The output holds only the node
 * types of ./ast; a link's href has passed safeHref or the link is dropped
 * (its label stays, as text). Failed searches for a closing delimiter are
 * remembered, so hostile input ("*" × 50 000) stays linear.
 */
import type { FormatMode, Inline } from "./ast";
import { safeHref } from "./safe-href";

type Wrap = "strong" | "em" | "del" | "u" | "spoiler";

interface ModeRules {
  /** Delimiters, longest first; `intraword: false` ones need a non-word character outside. */
  delims: { d: string; node: Wrap; intraword: boolean }[];
  links: boolean;
  autolinks: boolean;
  escapes: RegExp | null;
  code: boolean;
}

const MD_PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

const RULES: Record<FormatMode, ModeRules> = {
  markdown: {
    delims: [
      { d: "**", node: "strong", intraword: true },
      { d: "__", node: "strong", intraword: false },
      { d: "~~", node: "del", intraword: true },
      { d: "*", node: "em", intraword: true },
      { d: "_", node: "em", intraword: false },
    ],
    links: true,
    autolinks: true,
    escapes: MD_PUNCT,
    code: true,
  },
  whatsapp: {
    delims: [
      { d: "**", node: "strong", intraword: false },
      { d: "*", node: "strong", intraword: false },
      { d: "_", node: "em", intraword: false },
      { d: "~", node: "del", intraword: false },
    ],
    links: false,
    autolinks: false,
    escapes: null,
    code: true,
  },
  telegram: {
    delims: [
      { d: "**", node: "strong", intraword: false },
      { d: "__", node: "u", intraword: false },
      { d: "||", node: "spoiler", intraword: true },
      { d: "*", node: "strong", intraword: false },
      { d: "_", node: "em", intraword: false },
      { d: "~", node: "del", intraword: false },
    ],
    links: true,
    autolinks: false,
    escapes: /[_*[\]()~`>#+\-=|{}.!\\]/,
    code: true,
  },
  plain: { delims: [], links: false, autolinks: false, escapes: null, code: false },
};

const MAX_DEPTH = 8;
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/;
const BARE_URL = /^(?:https?:\/\/|mailto:)[^\s<>"'`]+/i;

function isWord(ch: string | undefined): boolean {
  return ch !== undefined && WORD.test(ch);
}
function isSpace(ch: string | undefined): boolean {
  return ch === undefined || SPACE.test(ch);
}
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
    else if (ch === ")") {
      const body = url.slice(0, end);
      const open = body.split("(").length - 1;
      const close = body.split(")").length - 1;
      if (close > open) end--;
      else break;
    } else break;
  }
  return url.slice(0, end);
}

export function parseInline(src: string, mode: FormatMode, depth = 0, inLink = false): Inline[] {
  const rules = RULES[mode];
  const out: Inline[] = [];
  let buf = "";
  const flush = () => {
    if (buf) out.push({ t: "text", v: buf });
    buf = "";
  };
  if (depth > MAX_DEPTH) {
    pushText(out, src);
    return out;
  }
  const noClose = new Set<string>();
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;

    if (ch === "\n") {
      flush();
      out.push({ t: "br" });
      i++;
      continue;
    }

    if (ch === "\\" && rules.escapes && i + 1 < src.length && rules.escapes.test(src[i + 1] as string)) {
      buf += src[i + 1];
      i += 2;
      continue;
    }

    if (ch === "`" && rules.code) {
      const n = runLength(src, i, "`");
      const key = `\`${n}`;
      let close = -1;
      if (!noClose.has(key)) {
        let j = src.indexOf("`", i + n);
        while (j !== -1) {
          const r = runLength(src, j, "`");
          if (r === n) {
            close = j;
            break;
          }
          j = src.indexOf("`", j + r);
        }
        if (close === -1) noClose.add(key);
      }
      if (close > i + n) {
        flush();
        let code = src.slice(i + n, close);
        if (code.length > 2 && code.startsWith(" ") && code.endsWith(" ")) code = code.slice(1, -1);
        out.push({ t: "code", v: code });
        i = close + n;
      } else {
        buf += "`".repeat(n);
        i += n;
      }
      continue;
    }

    if (rules.links && !inLink && (ch === "[" || (ch === "!" && src[i + 1] === "["))) {
      const link = readLink(src, ch === "!" ? i + 1 : i);
      if (link) {
        flush();
        const label = link.label || link.url;
        const href = safeHref(link.url);
        const children = parseInline(label, mode, depth + 1, true);
        if (href) out.push({ t: "link", href, c: children });
        else out.push(...children);
        i = link.end;
        continue;
      }
    }

    if (rules.autolinks && ch === "<" && !inLink) {
      const end = src.indexOf(">", i);
      if (end > i) {
        const inner = src.slice(i + 1, end);
        const href = /^(https?:|mailto:)/i.test(inner) ? safeHref(inner) : null;
        if (href) {
          flush();
          out.push({ t: "link", href, c: [{ t: "text", v: inner }] });
          i = end + 1;
          continue;
        }
      }
    }

    if (!inLink && (ch === "h" || ch === "H" || ch === "m" || ch === "M") && !isWord(src[i - 1])) {
      const m = BARE_URL.exec(src.slice(i, i + 2100));
      if (m) {
        const url = trimUrl(m[0]);
        const href = safeHref(url);
        if (href && url.length > 8) {
          flush();
          out.push({ t: "link", href, c: [{ t: "text", v: url }] });
          i += url.length;
          continue;
        }
      }
    }

    const delim = rules.delims.find((x) => src.startsWith(x.d, i));
    if (delim) {
      const close = noClose.has(delim.d) ? -1 : findCloser(src, i, delim.d, delim.intraword);
      const runCh = delim.d[0] as string;
      const run = runLength(src, i, runCh);
      const opens =
        run === delim.d.length &&
        !isSpace(src[i + delim.d.length]) &&
        (delim.intraword || !isWord(src[i - 1]));
      if (opens && close > i + delim.d.length) {
        flush();
        out.push({
          t: delim.node,
          c: parseInline(src.slice(i + delim.d.length, close), mode, depth + 1, inLink),
        });
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

function pushText(out: Inline[], s: string) {
  s.split("\n").forEach((line, n) => {
    if (n > 0) out.push({ t: "br" });
    if (line) out.push({ t: "text", v: line });
  });
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

/** `[label](url "title")` starting at `at` (the "["). */
function readLink(src: string, at: number): { label: string; url: string; end: number } | null {
  let depth = 0;
  let j = at;
  for (; j < src.length && j < at + 1000; j++) {
    const c = src[j];
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "[") depth++;
    else if (c === "]") {
      depth--;
      if (depth === 0) break;
    } else if (c === "\n" && src[j + 1] === "\n") return null;
  }
  if (src[j] !== "]" || src[j + 1] !== "(") return null;
  const label = src.slice(at + 1, j);
  let k = j + 2;
  while (src[k] === " ") k++;
  let url = "";
  let parens = 0;
  for (; k < src.length; k++) {
    const c = src[k] as string;
    if (c === "(") parens++;
    else if (c === ")") {
      if (parens === 0) break;
      parens--;
    } else if (/\s/.test(c)) break;
    url += c;
  }
  // optional title
  while (src[k] === " ") k++;
  if (src[k] === '"') {
    const endTitle = src.indexOf('"', k + 1);
    if (endTitle === -1) return null;
    k = endTitle + 1;
    while (src[k] === " ") k++;
  }
  if (src[k] !== ")") return null;
  return { label, url, end: k + 1 };
}
