/**
 * The connection test's HTTP probes and how a failed request is read. A
 * browser's fetch says only "Failed to fetch" for a refused port, a bad
 * certificate or a CORS refusal alike; these helpers combine requests to
 * tell them apart: `no-cors` (does anything answer?) against `cors` (does the
 * gateway allow this origin?), and for https a plain-http request to the same
 * port (TLS servers such as nginx, Caddy or Go answer plain HTTP with a 400,
 * so an answer there means a server listens and the TLS handshake failed).
 * Where the runtime exposes the cause (Node's fetch: `cause.code`), it is used.
 */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export type NetFailure = "refused" | "tls" | "timeout" | "unknown";

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|EPROTO/i;
const NET_CODE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ECONNRESET|EADDRNOTAVAIL/i;

/** The innermost error code a runtime attaches to a failed fetch (Node: `cause.code`, or an AggregateError's). */
export function causeCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur && typeof cur === "object"; depth++) {
    const o = cur as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof o.code === "string" && depth > 0) return o.code;
    cur = o.cause ?? o.errors?.[0];
  }
  return undefined;
}

export function classifyNetError(e: unknown): { kind: NetFailure; code?: string } {
  const name = (e as { name?: string } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") return { kind: "timeout" };
  const code = causeCode(e);
  if (!code) return { kind: "unknown" };
  if (TLS_CODE.test(code)) return { kind: "tls", code };
  if (NET_CODE.test(code)) return { kind: "refused", code };
  return { kind: "unknown", code };
}

/** The same host and port over plain http (443 when the https URL names none). */
export function plainHttpTwin(base: string): string | null {
  const u = new URL(base);
  if (u.protocol !== "https:") return null;
  const port = u.port || "443";
  return `http://${u.hostname}:${port}/`; // an IPv6 hostname keeps its brackets
}

/** Does anything answer plain HTTP at the https URL's port? (An answer means a TLS server listens there.) */
export async function answersPlainHttp(
  doFetch: FetchLike,
  base: string,
  timeoutMs: number,
): Promise<boolean> {
  const twin = plainHttpTwin(base);
  if (!twin) return false;
  try {
    await doFetch(twin, { mode: "no-cors", signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

/** `{error:{code,message,origin?}}` of a gateway error answer, when there is one. */
export async function errorBody(
  res: Response,
): Promise<{ code?: string; message?: string; origin?: string }> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; origin?: string } };
    return body.error ?? {};
  } catch {
    return {};
  }
}

export async function errorText(res: Response): Promise<string> {
  const e = await errorBody(res);
  return e.message ? `${e.code ?? ""} ${e.message}`.trim() : `HTTP ${res.status}`;
}
