/**
 * One agent runtime on `/v1/agent`: the `agent_hello` handshake (an agent
 * token, else close 4001 — or 4003 for a supervisor's token), then publishes
 * (answered `published` / `publish_error`), token deltas, intervention
 * results and pings. A frame that fails validation is answered with
 * `agent_error` (or `publish_error` when its pub_id is readable), counted and
 * skipped; the socket stays open. Frames beyond the budget close it with 4110.
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import {
  type AgentHelloFrame,
  type AgentServerFrame,
  CloseCode,
  decodeAgentClientFrame,
  parseJson,
} from "../../utils/protocol/index.ts";
import type { Authenticator, AuthUser } from "../auth/auth.ts";
import type { RateLimiter } from "../auth/rate-limit.ts";
import type { Connection, StreamCounters } from "../stream/connection.ts";
import { createFrameBudget, firstFrame, guardFrames } from "../stream/socket-guard.ts";
import type { AgentHub, RuntimeLink } from "./agent-interventions.ts";
import type { AgentPublisher, PublishContext } from "./agent-publish.ts";

/** The little of a socket this needs: a `ws` WebSocket or the in-process transport. */
export interface AgentSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
  terminate(): void;
  readonly open: boolean;
  onMessage(fn: (text: string) => void): void;
  onClose(fn: (code: number) => void): void;
}

export interface AgentConnectionDeps {
  auth: Authenticator;
  hub: AgentHub;
  publisher: AgentPublisher;
  log: Logger;
  helloTimeoutMs: number;
  heartbeatMs: number;
  idleTimeoutMs: number;
  connectLimiter: RateLimiter;
  /** Frames per second one runtime socket may send, bursts of twice that (the simulation's own is exempt). */
  framesPerSecond: number;
  counters: StreamCounters;
}

const CLOSE_GRACE_MS = 1000;

export function createAgentConnection(
  socket: AgentSocket,
  deps: AgentConnectionDeps,
  onClose: (c: Connection) => void,
): Connection {
  const id = `aconn_${randomBytes(6).toString("hex")}`;
  const log = deps.log.child({ conn: id, endpoint: "agent" });
  let user: AuthUser | null = null;
  let ctx: PublishContext | null = null;
  let detach: (() => void) | null = null;
  let closing = false;
  let closeTimer: NodeJS.Timeout | undefined;

  const send = (frame: AgentServerFrame) => {
    if (socket.open) socket.send(JSON.stringify(frame));
  };
  const helloTimer = setTimeout(
    () => conn.close(CloseCode.unauthenticated, "no agent_hello within the time limit"),
    deps.helloTimeoutMs,
  );
  helloTimer.unref?.();

  const conn: Connection = {
    id,
    get user() {
      return user;
    },
    lastSeen: Date.now(),
    sendMetrics() {},
    close(code, reason) {
      closing = true;
      if (!socket.open) return;
      socket.close(code, reason);
      closeTimer ??= setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
      closeTimer.unref?.();
    },
    terminate() {
      closing = true;
      socket.terminate();
    },
  };

  function onHello(
    token: string,
    runtimeId: string | undefined,
    client: string | undefined,
    listed: readonly string[] | undefined,
  ) {
    const u = deps.auth.authenticate(token);
    if (!u) return conn.close(CloseCode.unauthenticated, "invalid token");
    if (!u.agentIds) return conn.close(CloseCode.forbidden, "/v1/agent needs an agent token (role agent)");
    if (!u.internal && deps.connectLimiter.take(u.id) > 0)
      return conn.close(CloseCode.rateLimited, "too many connections; back off");
    clearTimeout(helloTimer);
    user = u;
    const runtime = runtimeId ?? "default";
    ctx = { user: u, runtimeKey: `${u.id}/${runtime}` };
    const link: RuntimeLink = { orgId: u.org_id, key: ctx.runtimeKey, send };
    const taken = deps.publisher.resume(ctx, listed ?? []);
    send({
      type: "agent_welcome",
      conn_id: id,
      server_time: new Date().toISOString(),
      org_id: u.org_id,
      agent_ids: [...u.agentIds],
      runtime_id: runtime,
      heartbeat_ms: deps.heartbeatMs,
      idle_timeout_ms: deps.idleTimeoutMs,
      sessions: deps.hub.sessionsOf(u.org_id, ctx.runtimeKey),
      resumed: taken.resumed,
      ...(listed ? { not_resumed: taken.not_resumed } : {}),
    });
    // After the welcome: queued interventions follow it.
    detach = deps.hub.attach(link);
    log.info(
      { user: u.id, org: u.org_id, runtime, client, resumed: taken.resumed.length },
      "agent runtime connected",
    );
  }

  function reject(text: string, path: string, message: string): void {
    deps.counters.frames_rejected++;
    const raw = parseJson(text);
    const v = raw.ok ? (raw.value as { type?: unknown; pub_id?: unknown }) : null;
    if (v?.type === "publish" && typeof v.pub_id === "string" && v.pub_id !== "")
      send({
        type: "publish_error",
        pub_id: v.pub_id.slice(0, 200),
        code: "INVALID_EVENT",
        message,
        ...(path ? { path } : {}),
      });
    else send({ type: "agent_error", code: "INVALID_FRAME", message: `${path || "frame"}: ${message}` });
  }

  function onMessage(text: string) {
    conn.lastSeen = Date.now();
    if (!user || !ctx) {
      const first = firstFrame(
        text,
        "agent_hello",
        decodeAgentClientFrame,
        (f): f is AgentHelloFrame => f.type === "agent_hello",
      );
      if (!first.ok) {
        deps.counters.frames_rejected++;
        return conn.close(first.code, first.reason);
      }
      const h = first.hello;
      return onHello(h.token, h.runtime_id, h.client, h.sessions);
    }
    const f = decodeAgentClientFrame(text);
    if (!f.ok) return reject(text, f.error.path, f.error.message);
    const frame = f.value;
    switch (frame.type) {
      case "ping":
        return send({ type: "pong", id: frame.id, server_time: new Date().toISOString() });
      case "publish": {
        const out = deps.publisher.publish(ctx, frame.pub_id, frame.event);
        if (out.ok) return send({ type: "published", pub_id: out.pub_id, seq: out.seq });
        deps.counters.frames_rejected++;
        log.debug({ code: out.code, path: out.path }, "publish refused");
        const { ok: _ok, ...err } = out;
        return send({ type: "publish_error", ...err });
      }
      case "delta": {
        const { type: _t, ...d } = frame;
        const problem = deps.publisher.delta(ctx, d);
        if (problem) {
          deps.counters.frames_rejected++;
          send({ type: "agent_error", ...problem, message: `delta: ${problem.message}` });
        }
        return;
      }
      case "intervention_result": {
        const ok = deps.hub.result(
          { orgId: ctx.user.org_id, key: ctx.runtimeKey, send },
          { intervention_id: frame.intervention_id, outcome: frame.outcome, detail: frame.detail },
        );
        if (!ok)
          send({
            type: "agent_error",
            code: "UNKNOWN_INTERVENTION",
            message: `No intervention ${frame.intervention_id} is waiting for this runtime (answered already, or timed out).`,
          });
        return;
      }
      case "agent_hello":
        return;
    }
  }

  socket.onMessage(
    guardFrames<string>(
      {
        counters: deps.counters,
        log,
        budget: createFrameBudget(deps.framesPerSecond, deps.framesPerSecond * 2),
        sender: "agent runtime",
        frameWords: "an agent frame",
        user: () => user,
        exempt: () => user?.internal === true,
        closing: () => closing,
        close: (code, reason) => conn.close(code, reason),
      },
      onMessage,
    ),
  );
  socket.onClose((code) => {
    clearTimeout(helloTimer);
    clearTimeout(closeTimer);
    detach?.();
    log.debug({ code }, "agent runtime closed");
    onClose(conn);
  });
  return conn;
}
