/**
 * The WebSocket endpoint `/v1/stream`. The Origin is checked before the
 * upgrade: it must be in the allowlist, else 403; a request without Origin
 * (a Node client, curl, a server-side tool) is refused too unless
 * `allowNoOrigin` (it still has to present a token).
 * Frames over 64 KiB close the socket with 1009 (ws `maxPayload`). Closing
 * every socket with a 42xx puts `retry_after_ms` in the close reason.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { CloseCode, isSpreadCode, MAX_FRAME_BYTES } from "../../utils/protocol/index.ts";
import {
  type AgentConnectionDeps,
  type AgentSocket,
  createAgentConnection,
} from "../agents/agent-connection.ts";
import { type Connection, type ConnectionDeps, createConnection } from "./connection.ts";
import { restartCloseReason } from "./restart-spread.ts";
import { originAllowed } from "./stream-probe.ts";

export interface StreamServer {
  connections(): Connection[];

  closeAll(code: number, reason: string): void;
  /** Drops every socket without a close frame (as a network failure would). */
  terminateAll(): void;
  /** Closes the sockets `pred` picks; returns how many. */
  closeWhere(pred: (c: Connection) => boolean, code: number, reason: string): number;
  close(): Promise<void>;
}

export interface StreamServerOptions extends ConnectionDeps {
  allowOrigins: readonly string[];
  /** Accept upgrades that carry no Origin header at all (non-browser clients). */
  allowNoOrigin?: boolean;
  maxConnections: number;
  /** Sizes the reconnect spread a 42xx to every socket asks for (`restart-spread.ts`). */
  handshakesPerSecond: number;
  metricsIntervalMs: number;
  /** The agent runtimes' endpoint `/v1/agent`. */
  agent: AgentConnectionDeps;
}

/** A `ws` socket as the agent endpoint sees it. */
export function wsAgentSocket(ws: WebSocket): AgentSocket {
  ws.on("error", () => {});
  return {
    send: (text) => ws.send(text),
    close: (code, reason) => ws.close(code, reason),
    terminate: () => ws.terminate(),
    get open() {
      return ws.readyState === ws.OPEN;
    },
    onMessage: (fn) => ws.on("message", (data) => fn(data.toString())),
    onClose: (fn) => ws.on("close", (code) => fn(code)),
  };
}

export function createStreamServer(server: Server, opts: StreamServerOptions): StreamServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const conns = new Set<Connection>();
  const allowed = new Set(opts.allowOrigins.map((o) => o.toLowerCase()));

  function refuse(socket: Duplex, status: number, text: string): void {
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
    );
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    // Once Node hands over an upgrade, errors of its socket are ours: a client that resets while
    // being refused (or mid-handshake) must not become an unhandled error that takes the gateway down.
    socket.on("error", () => socket.destroy());
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/v1/stream" && path !== "/v1/agent") return refuse(socket, 404, "Not Found");
    const origin = req.headers.origin;
    // Agent runtimes are server-side programs: no Origin is their normal case (a browser page may not connect).
    const noOriginOk = path === "/v1/agent" || opts.allowNoOrigin === true;
    if (!originAllowed(origin, allowed, noOriginOk)) {
      opts.log.warn({ origin }, "WebSocket upgrade refused: origin not allowed");
      return refuse(socket, 403, "Forbidden");
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (conns.size >= opts.maxConnections) {
        opts.log.warn(
          { open: conns.size },
          `over capacity: closing a new socket with ${CloseCode.overCapacity}`,
        );
        ws.close(CloseCode.overCapacity, "over capacity; try again later");
        return;
      }
      const c =
        path === "/v1/agent"
          ? createAgentConnection(wsAgentSocket(ws), opts.agent, (closed) => conns.delete(closed))
          : createConnection(ws, opts, (closed) => conns.delete(closed));
      conns.add(c);
    });
  }
  server.on("upgrade", onUpgrade);

  const ticker = setInterval(() => {
    const now = Date.now();
    for (const c of conns) {
      if (c.user) c.sendMetrics();
      if (now - c.lastSeen > opts.idleTimeoutMs * 2)
        c.close(CloseCode.stateInvalidated, "no frame from the client for too long");
    }
  }, opts.metricsIntervalMs);
  ticker.unref();

  return {
    connections: () => [...conns],

    closeAll(code, reason) {
      // Every client at once: a 42xx tells them how long to spread their reconnects over.
      const text = isSpreadCode(code)
        ? restartCloseReason(reason, conns.size, opts.handshakesPerSecond)
        : reason;
      for (const c of conns) c.close(code, text);
    },
    terminateAll() {
      for (const c of conns) c.terminate();
    },
    closeWhere(pred, code, reason) {
      let n = 0;
      for (const c of conns)
        if (pred(c)) {
          c.close(code, reason);
          n++;
        }
      return n;
    },
    close() {
      clearInterval(ticker);
      server.off("upgrade", onUpgrade);
      const reason = restartCloseReason("server restarting", conns.size, opts.handshakesPerSecond);
      for (const c of conns) c.close(CloseCode.restarting, reason);
      return new Promise((resolve) => {
        const t = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 500);
        wss.close(() => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  };
}
