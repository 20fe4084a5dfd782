/** Cuts a text to `max` characters (whole code points), ending with "…" when cut. */
export function cutText(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  if (chars.length <= max) return chars.join("");
  return `${chars
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}

/** Local clock time of an ISO timestamp, "14:05" (with seconds when asked). */
export function clockTime(iso: string, seconds = false): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return "";
  const p = (n: number) => String(n).padStart(2, "0");
  const hm = `${p(t.getHours())}:${p(t.getMinutes())}`;
  return seconds ? `${hm}:${p(t.getSeconds())}` : hm;
}

/**
 * A one-line preview without formatting marks: list markers, emphasis runs at
 * word edges and code ticks go, so "- **Order:** #1" reads "Order: #1".
 */
export function plainPreview(text: string): string {
  return text
    .replace(/^\s*(?:[-*+•]|\d+[.)])\s+/gm, "")
    .replace(/(^|[\s(])[*_~`|]+(?=\S)/g, "$1")
    .replace(/(\S)[*_~`|]+(?=$|[\s.,!?:;)])/gm, "$1")
    .replace(/\s+/g, " ")
    .trim();
}
