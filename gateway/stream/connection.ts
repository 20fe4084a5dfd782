/**
 * One client on /v1/stream: the hello handshake (close 4001 without a valid
 * hello in time, 4008 for another protocol version), resume with replay or a
 * snapshot, live events of the client's org, deltas for watched sessions,
 * ping/pong, replay/resync requests and commands. A client sending frames
 * faster than its budget (`framesPerSecond`, bursts of `frameBurst`) is closed
 * with 4110; once the gateway closes a socket it looks at none of its frames.
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { RawData, WebSocket } from "ws";
import {
  CloseCode,
  decodeClientFrame,
  type EventFrame,
  type HelloFrame,
  parseJson,
} from "../../utils/protocol/index.ts";
import { type Authenticator, type AuthUser, publicUser } from "../auth/auth.ts";
import type { RateLimiter } from "../auth/rate-limit.ts";
import type { SnapshotDelay } from "../config.ts";
import type { CommandHandler } from "../org/commands.ts";
import type { OrgRuntime } from "../org/interventions.ts";
import { viewEvent } from "../org/views.ts";
import { createFrameSender } from "./frame-sender.ts";
import type { HandshakeGate } from "./handshake-gate.ts";
import { presenceFor } from "./presence.ts";
import { replayInChunks } from "./replay-stream.ts";
import { createFrameBudget, firstFrame, guardFrames } from "./socket-guard.ts";

export interface ConnectionDeps {
  auth: Authenticator;
  orgs: Map<string, OrgRuntime>;
  commands: CommandHandler;
  log: Logger;
  helloTimeoutMs: number;
  heartbeatMs: number;
  idleTimeoutMs: number;
  batchMs: number;
  /** Handshakes per user (0 = allowed, else ms to wait): over the limit closes with 4110. */
  connectLimiter: RateLimiter;
  /** The gateway's handshake budget (`handshake-gate.ts`): a hello waits here for its welcome. */
  handshakeGate: HandshakeGate;
  /** Tests only (fault suite): delays each snapshot on the stream, see `GatewayOptions.snapshotDelay`. */
  snapshotDelay?: SnapshotDelay | null;
  /** Tests only (fault suite): live events not sent to this socket, see `GatewayOptions.dropLiveEvent`. */
  dropLiveEvent?: ((event: EventFrame, connId: string) => boolean) | null;
  /** Benchmarks only: each text written to a stream socket, as it leaves (see `GatewayOptions.onWrite`). */
  onWrite?: ((text: string) => void) | null;
  /** Frames per second one socket may send (sustained), with bursts of `frameBurst`; more closes it with 4110. */
  framesPerSecond: number;
  frameBurst: number;
  /** Shared by all connections of the gateway. */
  counters: StreamCounters;
}

/** What the gateway counts about client frames (`gateway.counters`). */
export interface StreamCounters {
  /** Frames received from clients. */
  frames_received: number;
  /** Frames that failed validation: answered (command_error, or a close code before the hello) or skipped. */
  frames_rejected: number;
  /** Frames that arrived after the gateway decided to close their socket: not looked at. */
  frames_ignored: number;
  /** Errors thrown while handling a frame (a bug in the gateway: stays 0). */
  frame_errors: number;
  /** Sockets closed with 4110 for sending frames faster than `framesPerSecond`. */
  frame_rate_closes: number;
}

export function createStreamCounters(): StreamCounters {
  return { frames_received: 0, frames_rejected: 0, frames_ignored: 0, frame_errors: 0, frame_rate_closes: 0 };
}

export interface Connection {
  readonly id: string;
  readonly user: AuthUser | null;
  lastSeen: number;
  sendMetrics(): void;
  close(code: number, reason: string): void;
  /** Drops the TCP connection without a close frame, as a network failure would. */
  terminate(): void;
}

/** An in-stream replay request larger than this is answered with replay_unavailable and a snapshot. */
const MAX_INLINE_REPLAY = 20_000;
const MAX_BACKLOG = 16 * 1024 * 1024;
/** A peer that does not answer our close frame within this is dropped (a dead link never answers; ws would wait 30 s). */
const CLOSE_GRACE_MS = 1000;

export function createConnection(
  ws: WebSocket,
  deps: ConnectionDeps,
  onClose: (c: Connection) => void,
): Connection {
  const id = `conn_${randomBytes(6).toString("hex")}`;
  const sender = createFrameSender(ws, deps.batchMs, deps.onWrite ?? null);
  const log = deps.log.child({ conn: id });
  let user: AuthUser | null = null;
  let org: OrgRuntime | null = null;
  let watch = new Set<string>();
  let live = false;
  /** A valid hello waits for the handshake budget (`deps.handshakeGate`). */
  let admitting = false;
  /** Set once the gateway closes the socket: later frames are ignored (a revoked token, a flood, a bad hello). */
  let closing = false;
  let closeTimer: NodeJS.Timeout | undefined;
  const budget = createFrameBudget(deps.framesPerSecond, deps.frameBurst);
  const unsubscribe: (() => void)[] = [];

  const helloTimer = setTimeout(
    () => conn.close(CloseCode.unauthenticated, "no hello within the time limit"),
    deps.helloTimeoutMs,
  );

  const conn: Connection = {
    id,
    get user() {
      return user;
    },
    lastSeen: Date.now(),
    sendMetrics() {
      if (org) sender.send({ type: "metrics", data: org.state.metrics() });
    },
    close(code, reason) {
      closing = true;
      sender.flush();
      if (ws.readyState !== ws.OPEN && ws.readyState !== ws.CONNECTING) return;
      ws.close(code, reason);
      closeTimer ??= setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    },
    terminate() {
      closing = true;
      ws.terminate();
    },
  };

  function sendEvent(ev: EventFrame): void {
    sender.send(viewEvent(ev, user?.isAdmin ?? false));
    if (sender.backlog() > MAX_BACKLOG) {
      log.warn(`slow consumer: closing with ${CloseCode.overCapacity}`);
      conn.close(CloseCode.overCapacity, "client too slow to keep up");
    }
  }

  /** The viewers of a session as this user may see them (presence frame, ephemeral). */
  function sendPresence(sessionId: string): void {
    if (!org?.presence || !user) return;
    const viewers = presenceFor(
      org.presence.viewers(sessionId),
      org.state.session(sessionId)?.session,
      user.isAdmin,
    );
    sender.send({ type: "presence", session_id: sessionId, viewers });
  }

  function sendSnapshot(): void {
    if (!org || !user) return;
    const state = org.state;
    const admin = user.isAdmin;
    const delay = deps.snapshotDelay?.();
    if (!delay) {
      sender.send({ type: "snapshot", ...state.snapshot(admin) });
      return;
    }
    // Test hook: live events keep flowing while the snapshot is captured late and sent later still.
    later(delay.capture, () => {
      const snap = structuredClone(state.snapshot(admin)); // the state objects live on: copy them now
      later(delay.send, () => sender.send({ type: "snapshot", ...snap }));
    });
  }

  const timers = new Set<NodeJS.Timeout>();
  function later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  /** Sends the events after `after` at once (an in-stream replay request); false when not possible. */
  function replayNow(after: number): boolean {
    const history = org?.state.log;
    if (!history || history.lastSeq() - after > MAX_INLINE_REPLAY) return false;
    const events = history.readAfter(after, MAX_INLINE_REPLAY);
    if (!events) return false;
    for (const ev of events) sendEvent(ev);
    return true;
  }

  function onHello(hello: HelloFrame) {
    const u = deps.auth.authenticate(hello.token);
    if (!u) return conn.close(CloseCode.unauthenticated, "invalid token");
    if (u.agentIds)
      return conn.close(CloseCode.forbidden, "an agent token cannot read the supervisors' stream");
    const o = deps.orgs.get(u.org_id);
    if (!o) return conn.close(CloseCode.unauthenticated, "unknown organisation");
    if (deps.connectLimiter.take(u.id) > 0)
      return conn.close(CloseCode.rateLimited, "too many connections; back off");
    // The client has done its part: from here the wait is the gateway's (its handshake budget).
    clearTimeout(helloTimer);
    admitting = true;
    const cancel = deps.handshakeGate.enter(() => welcome(u, o, hello));
    if (!cancel) {
      log.warn(`handshake queue full: closing with ${CloseCode.overCapacity}`);
      return conn.close(CloseCode.overCapacity, "over capacity; try again later");
    }
    unsubscribe.push(cancel);
  }

  function welcome(u: AuthUser, o: OrgRuntime, hello: HelloFrame) {
    if (closing) return;
    user = u;
    org = o;
    watch = new Set(hello.watch ?? []);
    const history = o.state.log;
    const r = hello.resume;
    const recovered =
      r !== undefined &&
      r.epoch === history.epoch &&
      r.seq <= history.lastSeq() &&
      r.seq >= history.firstSeq() - 1;
    sender.send({
      type: "welcome",
      conn_id: id,
      server_time: new Date().toISOString(),
      user: publicUser(u),
      heartbeat_ms: deps.heartbeatMs,
      idle_timeout_ms: deps.idleTimeoutMs,
      epoch: history.epoch,
      seq: history.lastSeq(),
      recovered,
    });
    // Live events are held back while a resume replays from the log; the replay
    // switches to live synchronously once caught up, so nothing is lost or repeated.
    unsubscribe.push(
      o.state.onEvent((ev) => {
        if (live && !deps.dropLiveEvent?.(ev, id)) sendEvent(ev);
        // Who co-browses changed: silent viewers appear or disappear for this user.
        if (ev.kind === "session_updated" && ev.session_id && "monitored_by" in ev.data)
          sendPresence(ev.session_id);
      }),
    );
    unsubscribe.push(
      o.state.onDelta((d) => {
        if (live && watch.has(d.session_id)) sender.send(d);
      }),
    );
    if (recovered && r) {
      const cancel = replayInChunks({
        log: history,
        after: r.seq,
        send: (ev) => sender.send(viewEvent(ev, u.isAdmin)),
        backlog: () => sender.backlog(),
        isOpen: () => ws.readyState === ws.OPEN,
        onDone(result) {
          if (result === "trimmed") sendSnapshot();
          live = true;
        },
      });
      unsubscribe.push(cancel);
    } else {
      sendSnapshot();
      live = true;
    }
    conn.sendMetrics();
    // Presence after the snapshot (or the start of the replay): who views what now, then each change.
    const presence = o.presence;
    if (presence) {
      unsubscribe.push(presence.onChange(sendPresence));
      // Off the presence list when the socket closes (after this connection's listener is gone).
      unsubscribe.push(() => presence.setWatch(id, u, []));
      presence.setWatch(id, u, watch);
      for (const sid of presence.sessions()) sendPresence(sid);
    }
    log.info(
      { user: u.id, org: u.org_id, client: hello.client, recovered, resume: r ?? null },
      "client connected",
    );
  }

  function onMessage(data: RawData) {
    conn.lastSeen = Date.now();
    const text = data.toString();
    if (admitting && !user) {
      // A frame before the welcome, while the hello waits for its turn: not looked at.
      deps.counters.frames_ignored++;
      return;
    }
    if (!user) {
      const first = firstFrame(text, "hello", decodeClientFrame, (f): f is HelloFrame => f.type === "hello");
      if (!first.ok) {
        deps.counters.frames_rejected++;
        return conn.close(first.code, first.reason);
      }
      return onHello(first.hello);
    }
    const f = decodeClientFrame(text);
    if (!f.ok) {
      deps.counters.frames_rejected++;
      const raw = parseJson(text);
      const v = raw.ok ? (raw.value as { type?: unknown; cmd_id?: unknown }) : null;
      if (v?.type === "command" && typeof v.cmd_id === "string" && v.cmd_id !== "")
        sender.send({
          type: "command_error",
          cmd_id: v.cmd_id.slice(0, 200),
          code: "VALIDATION_FAILED",
          message: `${f.error.path}: ${f.error.message}`,
        });
      log.debug({ path: f.error.path, message: f.error.message }, "bad client frame skipped");
      return;
    }
    const frame = f.value;
    switch (frame.type) {
      case "ping":
        return sender.send({ type: "pong", id: frame.id, server_time: new Date().toISOString() });
      case "watch":
        watch = new Set(frame.session_ids);
        if (user) org?.presence?.setWatch(id, user, watch);
        return;
      case "resync":
        return sendSnapshot();
      case "replay": {
        const history = org?.state.log;
        if (!history) return;
        if (!live) return;
        if (frame.epoch === history.epoch && replayNow(frame.after)) return;
        const reason =
          frame.epoch !== history.epoch
            ? "epoch_changed"
            : frame.after < history.firstSeq() - 1
              ? "history_trimmed"
              : "gap_too_large";
        sender.send({
          type: "replay_unavailable",
          epoch: history.epoch,
          after: frame.after,
          seq: history.lastSeq(),
          reason,
        });
        return sendSnapshot();
      }
      case "command": {
        const { type: _t, ...body } = frame;
        const result = deps.commands.handle(user, body);
        if (!result.ok) {
          const { ok: _ok, ...err } = result;
          return sender.send({ type: "command_error", ...err });
        }
        sender.send({ type: "ack", cmd_id: result.cmd_id, intervention_id: result.intervention_id });
        result.apply();
        return;
      }
      case "hello":
        return;
    }
  }

  ws.on(
    "message",
    guardFrames<RawData>(
      {
        counters: deps.counters,
        log,
        budget,
        sender: "client",
        frameWords: "a client frame",
        user: () => user,
        closing: () => closing,
        close: (code, reason) => conn.close(code, reason),
      },
      onMessage,
    ),
  );
  ws.on("close", (code) => {
    clearTimeout(helloTimer);
    clearTimeout(closeTimer);
    for (const t of timers) clearTimeout(t);
    for (const u of unsubscribe) u();
    sender.dispose();
    log.debug({ code }, "client closed");
    onClose(conn);
  });
  ws.on("error", (e) => log.debug({ err: e.message }, "socket error"));
  return conn;
}
