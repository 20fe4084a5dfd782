/**
 * A reply while its tokens arrive. `createBlockStream` splits the text into
 * finished blocks, each parsed once and then kept (the same node objects, so
 * a memoised renderer skips them), and the live last block, parsed again on
 * each update. A block is finished once a blank line and the first full line
 * of another block follow it (`isFinished`): nothing later can change it then
 * — a property test checks that finished blocks plus the rest equal the whole
 * text parsed at once. What the live part shows only ever grows (`settleTail`).
 */
import type { RootContent } from "mdast";
import type { FormatMode } from "./nodes";
import { normalizeNewlines, type ParsedBlock, parseBlocks } from "./parse";

/** One top-level block; `key` is its offset in the whole text (stable as it grows). */
export interface StreamBlock {
  key: number;
  node: RootContent;
}

export interface StreamBlocks {
  done: readonly StreamBlock[];
  live: readonly StreamBlock[];
  /** Where the live part starts in the text: everything before it is in `done`. */
  liveFrom: number;
}

export interface BlockStream {
  update(text: string): StreamBlocks;
}

export function createBlockStream(mode: FormatMode): BlockStream {
  let seen = "";
  let offset = 0;
  let done: StreamBlock[] = [];
  return {
    update(raw) {
      const text = normalizeNewlines(raw);
      if (!text.startsWith(seen)) {
        offset = 0;
        done = [];
      }
      seen = text;
      const tail = text.slice(offset);
      const parsed = parseBlocks(tail, mode);
      let blocks = parsed.blocks;
      let live = 0;
      while (live < blocks.length - 1 && parsed.complete && isFinished(tail, blocks, live)) live++;
      if (live > 0) {
        const from = (blocks[live] as ParsedBlock).start;
        done = [...done, ...blocks.slice(0, live).map((b) => ({ key: offset + b.start, node: b.node }))];
        blocks = blocks.slice(live).map((b) => ({ node: b.node, start: b.start - from }));
        offset += from;
      }
      const liveText = text.slice(offset);
      const settled = settleTail(liveText, blocks[blocks.length - 1]?.node.type);
      if (settled !== liveText) blocks = parseBlocks(settled, mode).blocks;
      return { done, live: blocks.map((b) => ({ key: offset + b.start, node: b.node })), liveFrom: offset };
    },
  };
}

const ENDS_IN_BLANK_LINE = /\n[ \t]*\n\s*$/;
const LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

/**
 * Whether block `i` can no longer change: a blank line follows it (no lazy
 * continuation crosses one), the next block's first line is complete (its
 * kind is settled), and a list is followed by something that cannot be more
 * of it (not indented, not another item).
 */
function isFinished(text: string, blocks: readonly ParsedBlock[], i: number): boolean {
  const b = blocks[i] as ParsedBlock;
  const next = (blocks[i + 1] as ParsedBlock).start;
  if (!ENDS_IN_BLANK_LINE.test(text.slice(b.start, next))) return false;
  const eol = text.indexOf("\n", next);
  if (eol < 0) return false;
  if (b.node.type !== "list") return true;
  const first = text.slice(next, eol);
  return !/^[ \t]/.test(first) && !LIST_MARKER.test(first);
}

/** A row of a table (or its header) being written: starts with a pipe. */
const PIPE_ROW = /^ {0,3}\|/;
/** A table's delimiter row, maybe only begun ("|", "|--", "| --- | :-"). */
const PARTIAL_DELIMITER = /^ {0,3}\|?[ \t:|-]*$/;
/** A code fence still being opened: one or two backticks or tildes. */
const FENCE_START = /(^|\n) {0,3}(`{1,2}|~{1,2})$/;

/**
 * The live block's text as it can be shown without a jump: a table's header
 * and partial delimiter row are held back until the table exists (then its
 * rows show as they come), and so is a fence being opened; outside code,
 * `settledStreamingText` holds back a lone list marker and an unfinished link.
 * `lastType` is the type the unsettled text parses to.
 */
export function settleTail(text: string, lastType: string | undefined): string {
  if (lastType === "code" || lastType === "table") return text;
  let out = text.replace(FENCE_START, "$1");
  if (lastType === "paragraph" || lastType === undefined) out = holdTableStart(out);
  return settledStreamingText(out);
}

function holdTableStart(text: string): string {
  const lines = text.split("\n");
  let end = lines.length - 1;
  if (lines[end] === "" && end > 0) end--;
  const last = lines[end] as string;
  let from = -1;
  if (end > 0 && PIPE_ROW.test(lines[end - 1] as string) && PARTIAL_DELIMITER.test(last) && /[-|]/.test(last))
    from = end - 1;
  else if (PIPE_ROW.test(last)) from = end;
  return from < 0 ? text : lines.slice(0, from).join("\n") + (from > 0 ? "\n" : "");
}

/**
 * Markup whose meaning the next token decides is held back until it arrives —
 * a last line that is only a list marker ("-", "2."), and a link not yet
 * complete ("[tra", "[track it](http") shows as its words so far. What is
 * shown therefore only ever grows (no "-" turning into a bullet, no "["
 * vanishing into a link).
 */
export function settledStreamingText(text: string): string {
  let out = text.replace(/(^|\n)[ \t]*(?:[-*+•]|\d{1,9}[.)])[ \t]*$/, "$1");
  out = out.replace(/\[([^\]\n]*)\](\([^)\n]*)?$/, "$1");
  const open = out.lastIndexOf("[");
  if (open >= 0 && out.indexOf("]", open) < 0) out = out.slice(0, open) + out.slice(open + 1);
  return out;
}
