/**
 * Where a keyword occurs in a text, for highlighting: `[start, end)` ranges in
 * UTF-16 indices of the original text, case-insensitive, non-overlapping, in
 * order. The keyword is matched literally (no regular expression is built, so
 * "a.b" or "(" mean themselves). Lower-casing that changes a string's length
 * (e.g. "İ") is mapped back to the original indices.
 */
import { normalizeKeyword } from "./filter-spec";

export type Range = readonly [start: number, end: number];

/** Hard cap so a one-letter keyword on a long transcript stays cheap to render. */
export const MAX_RANGES = 500;

export function highlightRanges(text: string, keyword: string, maxRanges = MAX_RANGES): Range[] {
  const needle = normalizeKeyword(keyword);
  if (!needle || !text) return [];
  const lower = text.toLowerCase();
  const map = lower.length === text.length ? null : lowerIndexMap(text);
  const out: Range[] = [];
  let from = 0;
  while (out.length < maxRanges) {
    const at = lower.indexOf(needle, from);
    if (at < 0) break;
    const end = at + needle.length;
    out.push(map ? [map[at] ?? text.length, map[end] ?? text.length] : [at, end]);
    from = end;
  }
  return out;
}

/** For each index of `text.toLowerCase()`, the index of the original character it came from (+ the end). */
function lowerIndexMap(text: string): number[] {
  const map: number[] = [];
  let i = 0;
  for (const ch of text) {
    const n = ch.toLowerCase().length;
    for (let k = 0; k < n; k++) map.push(i);
    i += ch.length;
  }
  map.push(text.length);
  return map;
}

export interface TextPart {
  text: string;
  match: boolean;
}

/** The text cut into plain and matching parts, ready to render as text nodes. */
export function splitByRanges(text: string, ranges: readonly Range[]): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) parts.push({ text: text.slice(at, s), match: false });
    if (e > s) parts.push({ text: text.slice(s, e), match: true });
    at = Math.max(at, e);
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), match: false });
  return parts;
}
