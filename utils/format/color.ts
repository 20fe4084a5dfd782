/** An agent colour from the gateway, if it is a plain CSS colour literal; else a neutral grey. */
export function safeColor(raw: string | undefined, fallback = "#8a8f98"): string {
  if (!raw) return fallback;
  const c = raw.trim();
  if (/^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(c)) return c;
  if (/^(?:rgb|rgba|hsl|hsla)\(\s*[\d.%\s,/-]+\)$/i.test(c)) return c;
  if (/^[a-z]{3,20}$/i.test(c)) return c.toLowerCase();
  return fallback;
}
