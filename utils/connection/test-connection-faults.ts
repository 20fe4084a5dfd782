/**
 * What the connection test says for each fault it can name: what failed, in
 * words, and the fix. The token never appears in any of them.
 */
import { CloseCode, PROTOCOL_VERSION } from "../protocol";

export type TestStep =
  | "unreachable"
  | "tls"
  | "websocket"
  | "origin"
  | "unauthorized"
  | "role"
  | "version"
  | "timeout"
  | "other";

/** The heading the options page shows for each fault. */
export const STEP_TITLE: Record<TestStep, string> = {
  unreachable: "Unreachable",
  tls: "TLS failure",
  websocket: "WebSockets blocked",
  origin: "Origin not allowed",
  unauthorized: "Token rejected",
  role: "Wrong kind of token",
  version: "Protocol version",
  timeout: "No answer",
  other: "Failed",
};

export type TestFailure = { ok: false; step: TestStep; message: string; fix: string };
export type TestResult = { ok: true; message: string } | TestFailure;

const fail = (step: TestStep, message: string, fix: string): TestFailure => ({
  ok: false,
  step,
  message,
  fix,
});
const hostOf = (base: string) => new URL(base).host;

export const faults = {
  unreachable: (base: string, detail: string) =>
    fail(
      "unreachable",
      `Nothing answers at ${hostOf(base)}${detail ? ` (${detail})` : ""}.`,
      new URL(base).protocol === "https:"
        ? "Check the gateway URL (scheme, host, port) and that the gateway runs; a firewall or VPN may block the port. If it does run, open its /healthz in a tab: a certificate warning there means a TLS problem."
        : "Check the gateway URL (scheme, host, port) and that the gateway runs (npm run gateway); a firewall or VPN may block the port.",
    ),
  tls: (base: string, code?: string) =>
    fail(
      "tls",
      `The TLS handshake with ${hostOf(base)} failed${code ? ` (${code})` : ""}: a server listens there, but this browser does not trust its certificate (self-signed, expired or for another name) or the TLS setup is broken.`,
      `Give the gateway a certificate this browser trusts (or add its CA to the system's trust store); open ${new URL("/healthz", base)} in a tab to see the browser's certificate error.`,
    ),
  origin: (origin: string) =>
    fail(
      "origin",
      `The gateway does not allow this extension's origin ${origin}.`,
      `Add it to the gateway's allowlist: start it with --allow-origin ${origin} (or add it to LC_ALLOW_ORIGIN, comma-separated).`,
    ),
  unauthorized: (detail: string) =>
    fail(
      "unauthorized",
      `The gateway rejected the token (401): ${detail}`,
      "Paste a current supervisor token (your gateway's admin has them; a revoked or mistyped token gives 401).",
    ),
  agentToken: () =>
    fail(
      "role",
      "This is an agent runtime's token (role agent): it publishes on /v1/agent and cannot watch sessions.",
      "Paste a supervisor's or an admin's token here; keep the agent token for your agent runtime.",
    ),
  viewerToken: (name: string) =>
    fail(
      "role",
      `This token belongs to ${name || "a user"}, a viewer: it can watch sessions but not intervene.`,
      "Paste a supervisor's or an admin's token to pause, take over or transfer.",
    ),
  version: (theirs: number | null) =>
    theirs === null
      ? fail(
          "version",
          `The gateway does not speak protocol v${PROTOCOL_VERSION} (it closed the stream with ${CloseCode.unsupportedVersion}) and does not say which it speaks.`,
          `Run a gateway release that speaks protocol v${PROTOCOL_VERSION}, or the extension release that matches your gateway.`,
        )
      : theirs > PROTOCOL_VERSION
        ? fail(
            "version",
            `The gateway speaks protocol v${theirs}; this extension speaks v${PROTOCOL_VERSION}: the gateway is newer than the extension.`,
            `Update the extension, or run a gateway release that still speaks v${PROTOCOL_VERSION}.`,
          )
        : fail(
            "version",
            `The gateway speaks protocol v${theirs}; this extension speaks v${PROTOCOL_VERSION}: the gateway is too old.`,
            `Upgrade the gateway to a release that speaks protocol v${PROTOCOL_VERSION}.`,
          ),
  websocket: (base: string, how: "refused" | "silent", pollIntervalMs: number) =>
    fail(
      "websocket",
      `HTTP reaches the gateway, but the WebSocket upgrade ${how === "refused" ? "was refused or reset without a status" : "was never answered"} on the way: your network blocks WebSockets; the panel will poll every ${Math.round(pollIntervalMs / 1000)} s.`,
      `Polling works but is slower; for the live stream, ask your network admin to let WebSocket upgrades (Connection: Upgrade) through to ${hostOf(base)}, or bypass the proxy for it.`,
    ),
  timeout: (base: string, seconds: number) =>
    fail(
      "timeout",
      `${hostOf(base)} did not answer within ${seconds} s.`,
      "Check that the gateway runs and is not overloaded; a firewall that drops packets also looks like this.",
    ),
  other: (message: string, fix = "Check the gateway's log for this request.") => fail("other", message, fix),
};
