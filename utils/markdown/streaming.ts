/**
 * The part of a reply still being streamed that can be shown without a jump:
 * markup whose meaning the next token decides is held back until it arrives —
 * a last line that is only a list marker ("-", "2."), and a link not yet
 * complete ("[tra", "[track it](http") shows as its words so far. What is shown therefore only ever grows (no "-" turning into a
 * bullet, no "[" vanishing into a link).
 */
export function settledStreamingText(text: string): string {
  let out = text.replace(/(^|\n)[ \t]*(?:[-*+•]|\d{1,9}[.)])[ \t]*$/, "$1");
  out = out.replace(/\[([^\]\n]*)\](\([^)\n]*)?$/, "$1");
  const open = out.lastIndexOf("[");
  if (open >= 0 && out.indexOf("]", open) < 0) out = out.slice(0, open) + out.slice(open + 1);
  return out;
}
