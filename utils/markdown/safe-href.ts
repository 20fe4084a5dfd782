const ALLOWED = new Set(["http:", "https:", "mailto:"]);

/**
 * The URL as a safe href, or null. Only absolute http, https and mailto URLs
 * pass; anything else (javascript:, data:, vbscript:, relative, protocol-
 * relative, malformed) is refused. Control characters and whitespace, which
 * browsers strip before reading a scheme, are refused rather than cleaned.
 */
export function safeHref(raw: string): string | null {
  const url = raw.trim();
  if (url.length === 0 || url.length > 2048) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\s\\]/.test(url)) return null;
  if (!/^(https?:\/\/|mailto:)/i.test(url)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!ALLOWED.has(parsed.protocol)) return null;
  if (parsed.protocol !== "mailto:" && parsed.hostname === "") return null;
  return parsed.href;
}

/** A media URL (image, audio, video source): http(s) only. */
export function safeMediaSrc(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const href = safeHref(raw);
  return href?.startsWith("http") ? href : null;
}
