/**
 * A small protocol-speaking gateway for the worker's unit tests (centrifuge
 * style): a real HTTP + ws server on 127.0.0.1 port 0 with an in-memory event
 * log, recording what clients send, with hooks to push events, drop or refuse
 * sockets and answer commands. The real gateway (tests/helpers/gateway.ts) is
 * used by the integration tests.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { CloseCode, type EventFrame, type Session } from "../../utils/protocol";
import { createChangeSet } from "../../utils/store/change-set";
import { createSessionStore } from "../../utils/store/session-store";
import { AGENT, METRICS, makeEvent, makeMessage, makeSession, TS, USER } from "../fixtures/frames";
import { until } from "./until";

export interface FakeGateway {
  url: string;
  token: string;
  epoch: string;
  events: EventFrame[];
  received: Record<string, unknown>[];
  sockets: Set<WebSocket>;
  /** Appends an event and sends it to every live socket (unless `silent`). */
  push(
    kind: "session_started" | "message_received" | "session_updated" | "session_ended",
    sessionId: string,
    data?: unknown,
    silent?: boolean,
  ): EventFrame;
  closeAll(code?: number): void;
  refuseSockets: boolean;
  /** Ignore pings (a link that went silent). */
  mutePings: boolean;
  /** heartbeat_ms / idle_timeout_ms announced in the welcome. */
  timing: { heartbeat_ms: number; idle_timeout_ms: number };
  /** Close code to answer the next hello with, instead of a welcome. */
  refuseHelloWith: number | null;
  /** Answer to commands: default ack. */
  commandAnswer: (cmd: Record<string, unknown>) => Record<string, unknown> | null;
  httpCommands: { key: string | undefined; body: unknown }[];
  sessions(): Session[];
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startFakeGateway(): Promise<FakeGateway> {
  const epoch = "e_fake1";
  const events: EventFrame[] = [];
  const store = createSessionStore(createChangeSet());
  const received: Record<string, unknown>[] = [];
  const sockets = new Set<WebSocket>();
  const httpCommands: { key: string | undefined; body: unknown }[] = [];
  const token = "tok_test";
  let counter = 0;

  function json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }
  function snapshot() {
    return { epoch, seq: events.length, sessions: store.list(), agents: [AGENT], metrics: METRICS };
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/healthz") return json(res, 200, { ok: true });
    if (req.headers.authorization !== `Bearer ${token}`)
      return json(res, 401, { error: { code: "UNAUTHENTICATED", message: "bad token" } });
    if (url.pathname === "/v1/events") {
      const after = Number(url.searchParams.get("after"));
      const limit = Number(url.searchParams.get("limit") ?? 500);
      if (url.searchParams.get("epoch") !== epoch)
        return json(res, 409, { error: { code: "SNAPSHOT_REQUIRED", message: "epoch" } });
      const page = events.slice(after, after + limit);
      return json(res, 200, { epoch, events: page, next_after: after + page.length });
    }
    if (url.pathname === "/v1/snapshot") return json(res, 200, snapshot());
    if (url.pathname === "/v1/me") return json(res, 200, { user: USER });
    if (url.pathname.startsWith("/v1/sessions/")) {
      const id = decodeURIComponent(url.pathname.slice("/v1/sessions/".length));
      const s = store.sessions.get(id);
      if (!s) return json(res, 404, { error: { code: "SESSION_NOT_FOUND", message: id } });
      const messages = events
        .filter((e) => e.session_id === id && e.kind === "message_received")
        .map((e) => e.data);
      return json(res, 200, { session: s, messages, epoch, seq: events.length });
    }
    if (url.pathname === "/v1/commands" && req.method === "POST") {
      let text = "";
      for await (const chunk of req) text += chunk;
      const body = JSON.parse(text) as Record<string, unknown>;
      httpCommands.push({ key: req.headers["idempotency-key"] as string | undefined, body });
      return json(res, 200, { cmd_id: body.cmd_id, intervention_id: "int_0000http" });
    }
    json(res, 404, { error: { code: "NOT_FOUND", message: url.pathname } });
  });

  const gw: FakeGateway = {
    url: "",
    token,
    epoch,
    events,
    received,
    sockets,
    httpCommands,
    refuseSockets: false,
    mutePings: false,
    timing: { heartbeat_ms: 200, idle_timeout_ms: 2000 },
    refuseHelloWith: null,
    commandAnswer: (cmd) => ({ type: "ack", cmd_id: cmd.cmd_id, intervention_id: "int_00000001" }),
    push(kind, sessionId, data, silent = false) {
      const seq = events.length + 1;
      const payload =
        data ??
        (kind === "session_started"
          ? makeSession({ id: sessionId })
          : kind === "message_received"
            ? makeMessage({ id: `msg_${++counter}`, text: `hello ${counter}` })
            : kind === "session_ended"
              ? { reason: "user_left", ended_at: TS }
              : { priority: "high" });
      const ev = makeEvent(kind, payload, seq, {
        epoch,
        session_id: sessionId,
        event_id: `evt_${seq}`,
      }) as EventFrame;
      events.push(ev);
      store.apply(ev);
      if (!silent) for (const ws of sockets) ws.send(JSON.stringify(ev));
      return ev;
    },
    closeAll(code = 1012) {
      for (const ws of sockets) ws.close(code, "test");
    },
    sessions: () => store.list(),
    async waitFor(pred, timeoutMs = 10_000) {
      await until("the fake gateway's condition", pred, timeoutMs);
    },
    async stop() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.close();
      await once(server, "close");
    },
  };

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    // A client that resets while being refused must not become an unhandled error in the test process.
    socket.on("error", () => socket.destroy());
    if (gw.refuseSockets) {
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("message", (raw) => {
        const f = JSON.parse(String(raw)) as Record<string, unknown>;
        received.push(f);
        if (f.type === "hello") {
          if (f.token !== token) return ws.close(CloseCode.unauthenticated, "bad token");
          if (gw.refuseHelloWith !== null) return ws.close(gw.refuseHelloWith, "refused by test");
          const resume = f.resume as { epoch: string; seq: number } | undefined;
          const recovered = !!resume && resume.epoch === epoch && resume.seq <= events.length;
          sockets.add(ws);
          ws.send(
            JSON.stringify({
              type: "welcome",
              conn_id: `c${received.length}`,
              server_time: TS,
              user: USER,
              ...gw.timing,
              epoch,
              seq: events.length,
              recovered,
            }),
          );
          if (recovered) for (const e of events.slice(resume.seq)) ws.send(JSON.stringify(e));
          else ws.send(JSON.stringify({ type: "snapshot", ...snapshot() }));
        } else if (f.type === "ping" && !gw.mutePings)
          ws.send(JSON.stringify({ type: "pong", id: f.id, server_time: TS }));
        else if (f.type === "resync") ws.send(JSON.stringify({ type: "snapshot", ...snapshot() }));
        else if (f.type === "replay") {
          for (const e of events.slice(f.after as number)) ws.send(JSON.stringify(e));
        } else if (f.type === "command") {
          const answer = gw.commandAnswer(f);
          if (answer) ws.send(JSON.stringify(answer));
        }
      });
      ws.on("close", () => sockets.delete(ws));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  gw.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return gw;
}
