/**
 * The one way tests wait for a fact: `until(what, fn, timeoutMs)` calls `fn`
 * every `everyMs` until it returns a value (anything but `undefined`, `null`
 * or `false`) and resolves to that value. A throw counts as "not yet" (a page
 * still loading, a socket not up). On timeout it throws an error naming
 * `what` and the last value (or error) seen, so a failure says what was
 * expected and how far it got.
 */

type NotYet = undefined | null | false;

export async function until<T>(
  what: string,
  fn: () => T | NotYet | Promise<T | NotYet>,
  timeoutMs = 5_000,
  everyMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown } | null = null;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v;
      last = { value: v };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${seen(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function seen(last: { value: unknown } | { error: unknown } | null): string {
  if (!last) return "never checked";
  if ("error" in last)
    return `last error: ${last.error instanceof Error ? last.error.message : String(last.error)}`;
  return `last value: ${short(last.value)}`;
}

function short(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
