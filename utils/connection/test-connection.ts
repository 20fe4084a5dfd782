/**
 * The options page's "Test connection": takes each step a real connection
 * takes and names the first fault, with its fix (test-connection-faults.ts):
 *
 * 1. `GET /healthz` (no-cors): does anything answer? If not: unreachable, or
 *    a TLS failure (the fetch's cause where the runtime gives one; else a
 *    plain-http request to the https port answers — test-connection-probes.ts).
 * 2. `GET /healthz` (cors): refused by CORS → this origin is not allowed
 *    (printed, with `--allow-origin`); the body's `protocol` → too old / too new.
 * 3. `GET /v1/me` with the token: 401 → bad token; 403 for an agent token, or
 *    a viewer's roles → the wrong kind of token.
 * 4. The WebSocket and its hello: welcome → connected; 4001 / 4003 / 4008 as
 *    the gateway says. A socket that fails without a status (a browser never
 *    shows the upgrade's HTTP status) or never answers is judged by
 *    `GET /v1/stream` over HTTP with the same origin: 403 → the origin; 426
 *    (the gateway would accept it) or anything else after steps 1–3 passed →
 *    something between blocks WebSockets: the panel will poll.
 */

import { CloseCode, decodeServerFrames, PROTOCOL_VERSION } from "../protocol";
import { streamUrl } from "../settings";
import { type CreateSocket, messageText } from "./socket";
import { faults, type TestResult } from "./test-connection-faults";
import {
  answersPlainHttp,
  classifyNetError,
  errorBody,
  errorText,
  type FetchLike,
} from "./test-connection-probes";

export type { TestResult, TestStep } from "./test-connection-faults";

export interface TestDeps {
  fetch?: FetchLike;
  createSocket: CreateSocket;
  /** This extension's origin (the options page's `location.origin`), named when the gateway must allow it. */
  origin: string;
  timeoutMs?: number;
}

export interface TestSettings {
  gatewayUrl: string;
  token: string;
  pollIntervalMs?: number;
}

type SocketOutcome =
  | { kind: "welcome" }
  | { kind: "closed"; code: number; reason: string; opened: boolean }
  | { kind: "silent" };

const versionIn = (text: string): number | null => {
  const m = /\bv(\d+)\b/.exec(text);
  return m ? Number(m[1]) : null;
};

export async function testConnection(settings: TestSettings, deps: TestDeps): Promise<TestResult> {
  const doFetch: FetchLike = deps.fetch ?? ((u, i) => fetch(u, i));
  const timeoutMs = deps.timeoutMs ?? 5000;
  const base = settings.gatewayUrl;
  const health = new URL("/healthz", base).toString();
  const signal = () => AbortSignal.timeout(timeoutMs);

  // 1. Does anything answer there?
  try {
    await doFetch(health, { mode: "no-cors", signal: signal() });
  } catch (e) {
    const net = classifyNetError(e);
    if (net.kind === "tls") return faults.tls(base, net.code);
    if (net.kind === "timeout") return faults.timeout(base, timeoutMs / 1000);
    if (net.kind === "unknown" && (await answersPlainHttp(doFetch, base, timeoutMs))) return faults.tls(base);
    return faults.unreachable(base, net.code ?? "");
  }

  // 2. Does the gateway allow this origin, and which protocol does it speak?
  let healthRes: Response;
  try {
    healthRes = await doFetch(health, { signal: signal() });
  } catch {
    return faults.origin(deps.origin);
  }
  if (!healthRes.ok)
    return faults.other(
      `${health} answered HTTP ${healthRes.status}: this does not look like a Live Conversations gateway.`,
      "Check the gateway URL: it is the gateway's base address, e.g. http://127.0.0.1:8787.",
    );
  const healthBody = (await healthRes.json().catch(() => ({}))) as { protocol?: unknown };
  if (typeof healthBody.protocol === "number" && healthBody.protocol !== PROTOCOL_VERSION)
    return faults.version(healthBody.protocol);

  // 3. Is the token a supervisor's?
  let who = "";
  try {
    const res = await doFetch(new URL("/v1/me", base).toString(), {
      headers: { authorization: `Bearer ${settings.token}` },
      signal: signal(),
    });
    if (res.status === 401) return faults.unauthorized(await errorText(res));
    if (res.status === 403) {
      const err = await errorBody(res);
      return /agent/i.test(err.message ?? "")
        ? faults.agentToken()
        : faults.other(`The gateway refused the token (403): ${err.message ?? ""}`.trim());
    }
    if (!res.ok) return faults.other(`GET /v1/me failed: ${await errorText(res)}`);
    const body = (await res.json()) as { user?: { name?: string; roles?: string[] } };
    const roles = body.user?.roles ?? [];
    if (roles.includes("agent")) return faults.agentToken();
    if (!roles.includes("supervisor") && !roles.includes("admin"))
      return faults.viewerToken(body.user?.name ?? "");
    who = body.user?.name ? ` as ${body.user.name} (${roles.join(", ")})` : "";
  } catch (e) {
    return faults.other(`GET /v1/me failed: ${(e as Error).message}`);
  }

  // 4. Does the live stream accept us?
  const outcome = await trySocket(deps.createSocket, base, settings.token, timeoutMs);
  if (outcome.kind === "welcome")
    return { ok: true, message: `Connected${who}: REST and live stream both work.` };
  if (outcome.kind === "closed" && outcome.opened) {
    const { code, reason } = outcome;
    if (code === CloseCode.unauthenticated)
      return faults.unauthorized(`the live stream closed with ${code} (${reason || "no reason"})`);
    if (code === CloseCode.forbidden)
      return /agent/i.test(reason) ? faults.agentToken() : faults.origin(deps.origin);
    if (code === CloseCode.unsupportedVersion) return faults.version(versionIn(reason));
    return faults.other(`The live stream closed (${code}${reason ? `: ${reason}` : ""}).`);
  }
  // No status: ask the stream path over HTTP what the upgrade would have answered.
  try {
    const probe = await doFetch(streamUrl(base).replace(/^ws/, "http"), { signal: signal() });
    if (probe.status === 403 && (await errorBody(probe)).code === "ORIGIN_NOT_ALLOWED")
      return faults.origin(deps.origin);
  } catch {
    // An older gateway does not answer the probe with CORS headers; steps 1–3 passed all the same.
  }
  return faults.websocket(
    base,
    outcome.kind === "silent" ? "silent" : "refused",
    settings.pollIntervalMs ?? 5000,
  );
}

function trySocket(createSocket: CreateSocket, base: string, token: string, timeoutMs: number) {
  return new Promise<SocketOutcome>((resolve) => {
    let settled = false;
    let opened = false;
    const socket = createSocket(streamUrl(base));
    const done = (r: SocketOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const ignore = () => undefined;
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = ignore;
      try {
        socket.close(CloseCode.normal);
      } catch {
        // already closed
      }
      resolve(r);
    };
    const timer = setTimeout(() => done({ kind: "silent" }), timeoutMs);
    socket.onerror = () => undefined; // the close event that follows says what happened
    socket.onopen = () => {
      opened = true;
      socket.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, token, client: "options-test" }));
    };
    socket.onmessage = (ev) => {
      const frames = decodeServerFrames(messageText(ev.data) ?? "");
      if (frames.some((f) => f.ok && f.value.type === "welcome")) done({ kind: "welcome" });
    };
    socket.onclose = (ev) => done({ kind: "closed", code: ev.code, reason: ev.reason ?? "", opened });
  });
}
