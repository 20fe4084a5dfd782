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
