/**
 * The options page's "Test connection": checks each step a real connection
 * takes and reports exactly the first that failed — unreachable, token
 * rejected (401), origin refused (403 on the socket or 4003), unsupported
 * version (4008) — or success with who we are. The token never appears in
 * any message.
 */
import { type CreateSocket, messageText } from "../connection/socket";
import { decodeServerFrames, PROTOCOL_VERSION } from "../protocol";
import { streamUrl } from "../settings";

export type TestStep = "unreachable" | "unauthorized" | "origin" | "version" | "timeout" | "other";
export type TestResult = { ok: true; message: string } | { ok: false; step: TestStep; message: string };

export interface TestDeps {
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  createSocket: CreateSocket;
  timeoutMs?: number;
}

async function errorText(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    return body.error?.message
      ? `${body.error.code ?? ""} ${body.error.message}`.trim()
      : `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

export async function testConnection(
  settings: { gatewayUrl: string; token: string },
  deps: TestDeps,
): Promise<TestResult> {
  const doFetch = deps.fetch ?? ((u, i) => fetch(u, i));
  const timeoutMs = deps.timeoutMs ?? 5000;
  const base = settings.gatewayUrl;

  // 1. Is anything listening there? (no-cors: reachability only, whatever the CORS policy)
  try {
    await doFetch(new URL("/healthz", base).toString(), {
      mode: "no-cors",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    return { ok: false, step: "unreachable", message: `Cannot reach ${base}: ${(e as Error).message}` };
  }

  // 2. Does it accept the token?
  let who = "";
  try {
    const res = await doFetch(new URL("/v1/me", base).toString(), {
      headers: { authorization: `Bearer ${settings.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status === 401)
      return {
        ok: false,
        step: "unauthorized",
        message: `The gateway rejected the token (401): ${await errorText(res)}`,
      };
    if (res.status === 403)
      return {
        ok: false,
        step: "origin",
        message: `The gateway refused this request (403): ${await errorText(res)}`,
      };
    if (!res.ok) return { ok: false, step: "other", message: `GET /v1/me failed: ${await errorText(res)}` };
    const body = (await res.json()) as { user?: { name?: string; roles?: string[] } };
    who = body.user?.name ? ` as ${body.user.name} (${(body.user.roles ?? []).join(", ")})` : "";
  } catch (e) {
    return {
      ok: false,
      step: "origin",
      message: `The gateway answers but refused this extension's request (CORS/origin): ${(e as Error).message}`,
    };
  }

  // 3. Does the live stream accept us (origin allowlist, protocol version)?
  return new Promise<TestResult>((resolve) => {
    let settled = false;
    let opened = false;
    const socket = deps.createSocket(streamUrl(base));
    const done = (r: TestResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const ignore = () => undefined;
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = ignore;
      try {
        socket.close(1000);
      } catch {
        // already closed
      }
      resolve(r);
    };
    const timer = setTimeout(
      () => done({ ok: false, step: "timeout", message: "The live stream did not answer within 5 s." }),
      timeoutMs,
    );
    socket.onerror = () => undefined; // the close event that follows says what happened
    socket.onopen = () => {
      opened = true;
      socket.send(
        JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, token: settings.token, client: "options-test" }),
      );
    };
    socket.onmessage = (ev) => {
      const frames = decodeServerFrames(messageText(ev.data) ?? "");
      if (frames.some((f) => f.ok && f.value.type === "welcome"))
        done({ ok: true, message: `Connected${who}: REST and live stream both work.` });
    };
    socket.onclose = (ev) => {
      if (ev.code === 4001)
        done({ ok: false, step: "unauthorized", message: "The live stream rejected the token (4001)." });
      else if (ev.code === 4003)
        done({
          ok: false,
          step: "origin",
          message: "The gateway does not allow this extension's origin (4003).",
        });
      else if (ev.code === 4008)
        done({
          ok: false,
          step: "version",
          message: `The gateway does not speak protocol v${PROTOCOL_VERSION} (4008).`,
        });
      else if (!opened)
        done({
          ok: false,
          step: "origin",
          message:
            "The live stream refused the connection (403 at the upgrade): this extension's origin is probably not in the gateway's allowlist.",
        });
      else
        done({
          ok: false,
          step: "other",
          message: `The live stream closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ""}).`,
        });
    };
  });
}
