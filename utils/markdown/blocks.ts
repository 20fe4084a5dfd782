/**
 * Block structure: fenced code, headings (markdown only), quotes, bullet and
 * numbered lists, paragraphs (single newlines are line breaks, as in chat).
 */
import type { Block, FormatMode, Inline } from "./ast";
import { parseInline } from "./inline";

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const BULLET = /^ {0,3}([-*+•])\s+(.*)$/;
const NUMBERED = /^ {0,3}(\d{1,9})[.)]\s+(.*)$/;
const MAX_QUOTE_DEPTH = 4;

function startsBlock(line: string, mode: FormatMode): boolean {
  if (mode === "plain") return false;
  return (
    FENCE.test(line) ||
    (mode === "markdown" && HEADING.test(line)) ||
    QUOTE.test(line) ||
    BULLET.test(line) ||
    NUMBERED.test(line)
  );
}

export function parseBlocks(src: string, mode: FormatMode, depth = 0): Block[] {
  const lines = src.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  const inline = (s: string): Inline[] => parseInline(s, mode);
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === "") {
      i++;
      continue;
    }
    if (mode !== "plain") {
      const fence = FENCE.exec(line);
      if (fence) {
        const marker = (fence[1] as string)[0] as string;
        const size = (fence[1] as string).length;
        const body: string[] = [];
        i++;
        while (i < lines.length) {
          const l = lines[i] as string;
          const t = l.trim();
          if (t.length >= size && t === marker.repeat(t.length)) break;
          body.push(l);
          i++;
        }
        i++; // closing fence (or end of text)
        blocks.push({ t: "pre", v: body.join("\n") });
        continue;
      }
      const heading = mode === "markdown" ? HEADING.exec(line) : null;
      if (heading) {
        blocks.push({ t: "h", level: (heading[1] as string).length, c: inline(heading[2] as string) });
        i++;
        continue;
      }
      if (QUOTE.test(line)) {
        const body: string[] = [];
        while (i < lines.length) {
          const m = QUOTE.exec(lines[i] as string);
          if (!m) break;
          body.push(m[1] as string);
          i++;
        }
        const inner = body.join("\n");
        blocks.push({
          t: "quote",
          c: depth < MAX_QUOTE_DEPTH ? parseBlocks(inner, mode, depth + 1) : [{ t: "p", c: inline(inner) }],
        });
        continue;
      }
      const ordered = NUMBERED.exec(line);
      if (ordered || BULLET.test(line)) {
        const re = ordered ? NUMBERED : BULLET;
        const items: string[] = [];
        while (i < lines.length) {
          const l = lines[i] as string;
          const m = re.exec(l);
          if (m) {
            items.push(m[2] as string);
          } else if (l.trim() !== "" && /^\s+/.test(l) && !startsBlock(l, mode) && items.length > 0) {
            items[items.length - 1] += `\n${l.trim()}`;
          } else break;
          i++;
        }
        const parsed = items.map(inline);
        blocks.push(
          ordered
            ? { t: "ol", start: Number.parseInt(ordered[1] as string, 10), items: parsed }
            : { t: "ul", items: parsed },
        );
        continue;
      }
    }
    const para: string[] = [line];
    i++;
    while (i < lines.length) {
      const l = lines[i] as string;
      if (l.trim() === "" || startsBlock(l, mode)) break;
      para.push(l);
      i++;
    }
    blocks.push({ t: "p", c: inline(para.join("\n")) });
  }
  return blocks;
}
