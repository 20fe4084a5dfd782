/**
 * The link to the gateway: one WebSocket at a time with hello/resume, heartbeat and idle detection,
 * full-jitter reconnects, close codes honoured (4001/4003/4008 stop and say why, 41xx back off, 42xx
 * reconnect at a random moment within the close reason's `retry_after_ms` — the spread the gateway sized to
 * its sockets and handshake budget — or `restartSpreadMs`, and keep to that spread until back), and the
 * polling fallback while no socket can be established (after `pollAfterMs` without a socket, the socket is
 * retried every `socketRetryWhilePollingMs`). Frames from either path are decoded here and handed on; what
 * they mean is the sync engine's business.
 */

import {
  type ClientFrame,
  CloseCode,
  closeAction,
  createBackoff,
  type DecodeError,
  decodeCloseReason,
  decodeServerFrames,
  isBackoffCode,
  PROTOCOL_VERSION,
  type SingleServerFrame,
  type WelcomeFrame,
} from "../protocol";
import { streamUrl } from "../settings";
import type { Cursor } from "../store/sequencer";
import type { ConnectionInfo } from "./connection-schema";
import { createConnectionState, type StateChange } from "./connection-state";
import { createHeartbeat } from "./heartbeat";
import { createGatewayHttp, type FetchLike, type GatewayHttp, type GatewayHttpError } from "./http-client";
import { createPoller } from "./poller";
import { type CreateSocket, messageText, SOCKET_OPEN, type SocketLike } from "./socket";
import { type ConnectionTiming, DEFAULT_TIMING } from "./timing";

export interface ConnectionHooks {
  resume(): Cursor | null;
  watch(): string[];
  /** Whether the stream waits for a snapshot (the poller then fetches one). */
  needsSnapshot(): boolean;
  welcome(frame: WelcomeFrame): void;
  frame(frame: SingleServerFrame): void;
  rejected(error: DecodeError): void;
  /** Polling works (again): commands can go by HTTP now. */
  httpReady?(): void;
}

export interface ConnectionOptions {
  gatewayUrl: string;
  token: string;
  createSocket: CreateSocket;
  fetch?: FetchLike;
  timing?: Partial<ConnectionTiming>;
  random?: () => number;
  clientName?: string;
  hooks: ConnectionHooks;
}

export type { ConnectionTiming } from "./timing";
export { DEFAULT_TIMING } from "./timing";

export type SendPath = "socket" | "http" | "none";

export interface Connection {
  readonly info: ConnectionInfo;
  readonly http: GatewayHttp;
  /** Where a command would go now. */
  readonly path: SendPath;
  start(): void;
  stop(): void;
  /** Sends on the socket when a session is up; false otherwise. */
  send(frame: ClientFrame): boolean;
  requestSnapshot(): void;
  requestReplay(after: Cursor): void;
  /** The browser says the network is back: retry at once. */
  online(): void;
  offline(): void;
  subscribe(cb: (change: StateChange) => void): () => void;
  /** Test hook: drop the socket as if the network failed. */
  dropSocket(): void;
}

export function createConnection(opts: ConnectionOptions): Connection {
  const timing = { ...DEFAULT_TIMING, ...opts.timing };
  const { hooks } = opts;
  const state = createConnectionState();
  const random = opts.random ?? Math.random;
  const backoff = createBackoff({
    minMs: timing.backoffMinMs,
    maxMs: timing.backoffMaxMs,
    ...(opts.random ? { random: opts.random } : {}),
  });
  const http = createGatewayHttp({
    baseUrl: opts.gatewayUrl,
    token: opts.token,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  let socket: SocketLike | null = null;
  let welcomed = false;
  let halted = true;
  let pollOk = false;
  let lastSocketAt = Date.now();
  /** A 42xx's spread, until back: a failed attempt meanwhile waits a fresh moment in it (not all at once). */
  let spreadMs: number | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let helloTimer: ReturnType<typeof setTimeout> | undefined;
  let lastError = "";

  const heartbeat = createHeartbeat({
    sendPing: (id) => send({ type: "ping", id }),
    onLatency: (ms) => state.latency(ms),
    onDead: (silent) => lost(`no frame for ${Math.round(silent / 1000)} s`, CloseCode.abnormal, true),
  });

  const poller = createPoller({
    http,
    intervalMs: timing.pollIntervalMs,
    cursor: () => hooks.resume(),
    needsSnapshot: () => hooks.needsSnapshot(),
    frame: (f) => hooks.frame(f),
    rejected: (e) => hooks.rejected(e),
    outcome: pollOutcome,
  });

  function pollOutcome(err: GatewayHttpError | null): void {
    if (welcomed || halted) return;
    if (!err) {
      const wasOk = pollOk;
      pollOk = true;
      if (!wasOk) hooks.httpReady?.();
      state.set("polling", "live stream unavailable; polling", state.info.next_retry_at);
      return;
    }
    pollOk = false;
    if (err.status === 401) {
      halt();
      state.set("unauthorized", "the gateway rejected the token (401)");
      return;
    }
    state.set("offline", err.message, state.info.next_retry_at);
  }

  function detach(s: SocketLike): void {
    const ignore = () => undefined;
    s.onopen = ignore;
    s.onmessage = ignore;
    s.onclose = ignore;
    // Not null: Node's `ws` throws on an error event nobody listens to.
    s.onerror = ignore;
  }

  function closeSocket(code: number = CloseCode.normal): void {
    const s = socket;
    socket = null;
    welcomed = false;
    heartbeat.stop();
    clearTimeout(helloTimer);
    if (!s) return;
    detach(s);
    try {
      s.close(code);
    } catch {
      // already closed
    }
  }

  function connect(): void {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    if (halted || socket) return;
    if (!poller.running) state.set(state.info.state === "connecting" ? "connecting" : "reconnecting");
    let s: SocketLike;
    try {
      s = opts.createSocket(streamUrl(opts.gatewayUrl));
    } catch (e) {
      lastError = (e as Error).message;
      failedToEstablish();
      return;
    }
    socket = s;
    // The whole attempt — opening handshake, hello, welcome — has helloTimeoutMs: an upgrade that a
    // middlebox swallows never opens nor closes, and must not keep the poller from taking over.
    clearTimeout(helloTimer);
    helloTimer = setTimeout(() => {
      if (socket !== s) return;
      const opened = s.readyState === SOCKET_OPEN;
      lost(
        opened ? "no welcome after hello" : "the WebSocket handshake got no answer",
        CloseCode.abnormal,
        false,
      );
    }, timing.helloTimeoutMs);
    s.onopen = () => {
      const resume = hooks.resume();
      s.send(
        JSON.stringify({
          type: "hello",
          v: PROTOCOL_VERSION,
          token: opts.token,
          client: opts.clientName ?? "live-conversations",
          ...(resume ? { resume } : {}),
          watch: hooks.watch(),
        }),
      );
    };
    s.onmessage = (ev) => {
      if (socket !== s) return;
      heartbeat.seen();
      const text = messageText(ev.data);
      if (text === null) {
        hooks.rejected({ path: "", message: "binary frame" });
        return;
      }
      for (const d of decodeServerFrames(text)) {
        if (!d.ok) hooks.rejected(d.error);
        else if (d.value.type === "welcome") onWelcome(d.value);
        else if (d.value.type === "pong") heartbeat.pong(d.value.id);
        else hooks.frame(d.value);
      }
    };
    s.onerror = (ev) => {
      const msg = (ev as { message?: unknown } | null)?.message;
      if (typeof msg === "string" && msg) lastError = msg;
    };
    s.onclose = (ev) => {
      if (socket !== s) return;
      lost(ev.reason || lastError || `closed (${ev.code})`, ev.code, welcomed);
    };
  }

  function onWelcome(w: WelcomeFrame): void {
    clearTimeout(helloTimer);
    welcomed = true;
    lastError = "";
    backoff.reset();
    spreadMs = null;
    lastSocketAt = Date.now();
    poller.stop();
    pollOk = false;
    heartbeat.start(w.heartbeat_ms, w.idle_timeout_ms);
    state.set("connected");
    hooks.welcome(w);
  }

  /** The socket is gone (closed, dead, or never came up): decide what next. */
  function lost(rawReason: string, code: number, wasUp: boolean): void {
    // A 42xx may carry the spread the gateway asks for (JSON reason, docs/protocol.md §6).
    const { text: reason, retryAfterMs } = decodeCloseReason(rawReason);
    closeSocket(code === CloseCode.abnormal ? CloseCode.linkDead : CloseCode.normal);
    if (halted) return;
    if (wasUp) lastSocketAt = Date.now();
    const action = closeAction(code);
    if (action === "spread") spreadMs = retryAfterMs ?? timing.restartSpreadMs;
    if (action === "stop") stopFor(code, reason);
    // 42xx (the server dropped everyone at once): a random moment within retry_after_ms, else restartSpreadMs.
    else if (action === "spread") schedule(Math.round(random() * (spreadMs ?? 0)), reason);
    // 41xx backs off even if the socket never came up; another close does only if it had.
    else if (isBackoffCode(code) || wasUp) schedule(backoff.next(), reason);
    else failedToEstablish(reason);
  }

  /** A refusal that does not fix itself (closeAction "stop"): say why. */
  function stopFor(code: number, reason: string): void {
    if (code === CloseCode.unauthenticated)
      stopWith("unauthorized", `the gateway rejected the token (${code}${reason ? `: ${reason}` : ""})`);
    else if (code === CloseCode.forbidden)
      stopWith("offline", `this extension's origin is not allowed by the gateway (${code})`);
    else stopWith("offline", `the gateway does not support this protocol version (${code})`);
  }

  function failedToEstablish(reason = lastError): void {
    // The socket could not be established: poll meanwhile and keep retrying the socket.
    if (!poller.running) poller.start();
    const base =
      Date.now() - lastSocketAt >= timing.pollAfterMs ? timing.socketRetryWhilePollingMs : backoff.next();
    schedule(Math.round(Math.max(base, random() * (spreadMs ?? 0))), reason);
  }

  function schedule(delay: number, reason: string): void {
    clearTimeout(retryTimer);
    const at = Date.now() + delay;
    if (poller.running && pollOk) state.set("polling", "live stream unavailable; polling", at);
    else if (poller.running && state.info.state === "offline") state.set("offline", state.info.detail, at);
    else state.set("reconnecting", reason || undefined, at);
    retryTimer = setTimeout(connect, delay);
  }

  function stopWith(to: "unauthorized" | "offline", detail: string): void {
    halt();
    state.set(to, detail);
  }

  function halt(): void {
    halted = true;
    clearTimeout(retryTimer);
    poller.stop();
    closeSocket();
  }

  function send(frame: ClientFrame): boolean {
    if (!socket || socket.readyState !== SOCKET_OPEN) return false;
    if (!welcomed && frame.type !== "hello") return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  return {
    get info() {
      return state.info;
    },
    http,
    get path(): SendPath {
      if (welcomed) return "socket";
      if (poller.running && pollOk) return "http";
      return "none";
    },
    start() {
      if (!halted) return;
      halted = false;
      lastSocketAt = Date.now();
      state.set("connecting");
      connect();
    },
    stop() {
      halt();
      state.set("offline", "stopped");
    },
    send,
    requestSnapshot() {
      if (welcomed) send({ type: "resync" });
      else poller.kick();
    },
    requestReplay(after) {
      if (welcomed) send({ type: "replay", epoch: after.epoch, after: after.seq });
      else poller.kick();
    },
    online() {
      if (halted || welcomed) return;
      backoff.reset();
      if (!socket) connect();
    },
    offline() {
      if (halted || welcomed) return;
      state.set("offline", "the browser is offline", state.info.next_retry_at);
    },
    subscribe: (cb) => state.subscribe(cb),
    dropSocket() {
      if (socket) lost("dropped", CloseCode.abnormal, welcomed);
    },
  };
}
