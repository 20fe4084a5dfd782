/**
 * Real servers on 127.0.0.1 port 0 for the connection test's faults, and a
 * fetch that behaves as an extension page's does (the tests run the test
 * logic in Node): it sends the page's Origin, refuses an answer without a
 * matching Access-Control-Allow-Origin (CORS) and, with `opaqueErrors`,
 * says only "Failed to fetch" as a browser does.
 */
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { createSecureContext, TLSSocket } from "node:tls";
import { WebSocketServer } from "ws";
import type { FetchLike } from "../../utils/connection/test-connection-probes";
import { CloseCode } from "../../utils/protocol";

const TLS_DIR = new URL("../fixtures/tls/", import.meta.url);
const TLS = {
  key: readFileSync(new URL("key.pem", TLS_DIR)),
  cert: readFileSync(new URL("cert.pem", TLS_DIR)),
};

export function browserLikeFetch(origin: string, opts: { opaqueErrors?: boolean } = {}): FetchLike {
  return async (url, init = {}) => {
    const cors = init.mode !== "no-cors";
    const headers = new Headers(init.headers);
    if (cors) headers.set("origin", origin);
    let res: Response;
    try {
      res = await fetch(url, { ...init, mode: "cors", headers });
    } catch (e) {
      // A browser rejects an aborted fetch with the abort's reason (TimeoutError), any other failure opaquely.
      const aborted = ["TimeoutError", "AbortError"].includes((e as Error).name);
      throw opts.opaqueErrors && !aborted ? failed() : e;
    }
    if (cors && res.headers.get("access-control-allow-origin") !== origin) throw failed();
    return res;
  };
}
const failed = () => new TypeError("Failed to fetch");

export interface Running {
  url: string;
  close(): Promise<void>;
}

const urlOf = (s: Server | NetServer, scheme: string) =>
  `${scheme}://127.0.0.1:${(s.address() as AddressInfo).port}`;
async function listen<S extends Server | NetServer>(s: S): Promise<S> {
  s.listen(0, "127.0.0.1");
  await once(s, "listening");
  return s;
}
const closer = (s: Server | NetServer, sockets?: Set<Socket>) => () =>
  new Promise<void>((resolve) => {
    for (const c of sockets ?? []) c.destroy();
    if ("closeAllConnections" in s) s.closeAllConnections();
    s.close(() => resolve());
  });

/** A port on 127.0.0.1 with nothing listening (bound, read, released). */
export async function closedPortUrl(): Promise<string> {
  const s = await listen(createNetServer());
  const url = urlOf(s, "http");
  await closer(s)();
  return url;
}

/** A port that accepts connections and never answers (a host behind a firewall that drops, an overloaded one). */
export async function startSilentServer(): Promise<Running> {
  const sockets = new Set<Socket>();
  const s = await listen(
    createNetServer((sock) => {
      sockets.add(sock);
      sock.on("error", () => undefined);
      sock.on("close", () => sockets.delete(sock));
    }),
  );
  return { url: urlOf(s, "http"), close: closer(s, sockets) };
}

/** node:https with a self-signed certificate (Node's own server: closes plain HTTP without an answer). */
export async function startSelfSignedHttps(): Promise<Running> {
  const s = await listen(createHttpsServer(TLS, (_req, res) => res.end('{"ok":true}')));
  return { url: urlOf(s, "https"), close: closer(s) };
}

/**
 * A self-signed TLS server that, like nginx, Caddy or Go, answers a plain-HTTP request on its port with a
 * 400 ("plain HTTP request sent to an HTTPS port"): TLS when the first byte is a handshake (0x16).
 */
export async function startTlsLikeNginx(): Promise<Running> {
  const context = createSecureContext(TLS);
  const sockets = new Set<Socket>();
  const s = await listen(
    createNetServer((sock) => {
      sockets.add(sock);
      sock.on("close", () => sockets.delete(sock));
      sock.on("error", () => undefined);
      sock.once("data", (first) => {
        sock.pause();
        sock.unshift(first);
        if (first[0] === 0x16) {
          const tls = new TLSSocket(sock, { isServer: true, secureContext: context });
          tls.on("error", () => sock.destroy());
          tls.on("data", () =>
            tls.end("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"),
          );
          return;
        }
        const text = "The plain HTTP request was sent to HTTPS port";
        sock.end(
          `HTTP/1.1 400 Bad Request\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`,
        );
      });
    }),
  );
  return { url: urlOf(s, "https"), close: closer(s, sockets) };
}

/**
 * A tiny gateway that speaks protocol `version`: `/healthz` (CORS for `origin`) says so unless `silent`,
 * and the stream closes a hello of another version with 4008 naming its own, as the real gateway does.
 */
export async function startVersionServer(version: number, origin: string, silent = false): Promise<Running> {
  const http = createHttpServer((req, res) => {
    if (req.headers.origin === origin) res.setHeader("access-control-allow-origin", origin);
    res.setHeader("content-type", "application/json");
    const me = {
      user: { id: "u_sup", name: "Sam", org_id: "org_1", roles: ["supervisor"], permissions: [] },
    };
    const health = silent ? { ok: true } : { ok: true, protocol: version };
    res.end(JSON.stringify(req.url === "/v1/me" ? me : health));
  });
  const wss = new WebSocketServer({ server: http, path: "/v1/stream" });
  wss.on("connection", (ws) =>
    ws.once("message", () =>
      ws.close(CloseCode.unsupportedVersion, `unsupported protocol version (this server speaks v${version})`),
    ),
  );
  await listen(http);
  return {
    url: urlOf(http, "http"),
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await closer(http)();
    },
  };
}
