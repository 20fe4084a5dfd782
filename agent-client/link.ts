/**
 * The agent client's socket to `/v1/agent`: hello → welcome, a ping every
 * `heartbeat_ms` (no frame for `idle_timeout_ms` = a dead link), reconnection
 * with full-jitter backoff (the extension's `backoff.ts`), and an outbox of
 * publishes not yet answered, resent in order after every reconnect (the
 * gateway answers a resent `pub_id` with its first outcome, so nothing
 * happens twice). Deltas and intervention results are ephemeral: sent when
 * the link is up, else dropped (the gateway redelivers an unanswered
 * intervention on reconnect). 4001/4003/4008 stop it for good: a token or
 * version problem does not fix itself. Every hello lists the open sessions to
 * take back; the welcome says what the gateway numbered last for each, and
 * what it already has is not resent (`alreadyNumbered`).
 */
import {
  type AgentServerFrame,
  type AgentWelcomeFrame,
  type BackoffOptions,
  CloseCode,
  closeAction,
  createBackoff,
  decodeAgentServerFrame,
  decodeCloseReason,
  PROTOCOL_VERSION,
  type PublishedFrame,
  type PublishFrame,
} from "../utils/protocol";

/** What the link needs of a WebSocket: the browser's, Node 22's global one, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: never) => void) | null;
  onmessage: ((ev: never) => void) | null;
  onclose: ((ev: never) => void) | null;
  onerror: ((ev: never) => void) | null;
}
export type WebSocketCtor = new (url: string) => WebSocketLike;

export type LinkState = "connecting" | "open" | "reconnecting" | "stopped";

export interface LinkOptions {
  /** ws(s)://host:port/v1/agent, or the gateway's http(s) base URL. */
  url: string;
  token: string;
  runtimeId?: string;
  client?: string;
  WebSocket?: WebSocketCtor;
  backoff?: BackoffOptions;
  onFrame(frame: AgentServerFrame): void;
  onState?(state: LinkState, detail: string): void;
  /** The open sessions to take back in every hello (issue 19: after a drop or a gateway restart). */
  sessions?(): string[];
}

export interface Link {
  /** Queued until answered (published / publish_error), resent after reconnects. */
  publish(frame: PublishFrame): void;
  /** Sent now if the link is up, else dropped; false when dropped. */
  sendNow(frame: object): boolean;
  /** The gateway answered this publish: forget it. */
  settle(pubId: string): void;
  readonly state: LinkState;
  readonly welcome: AgentWelcomeFrame | null;
  /** Publishes not answered yet. */
  readonly unanswered: number;
  close(): void;
}

const OPEN = 1;
/** The outbox keeps at most this many unanswered publishes; beyond it the oldest go (and are reported). */
export const MAX_OUTBOX = 20_000;

export function agentUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol === "http:") u.protocol = "ws:";
  if (u.protocol === "https:") u.protocol = "wss:";
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/v1/agent";
  return u.toString();
}

export function createLink(opts: LinkOptions): Link {
  const found = opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
  if (!found) throw new Error("No WebSocket: pass one (e.g. the `ws` package's) as the WebSocket option.");
  const Ctor: WebSocketCtor = found;
  const url = agentUrl(opts.url);
  const backoff = createBackoff(opts.backoff);
  const outbox = new Map<string, PublishFrame>();
  let ws: WebSocketLike | null = null;
  let state: LinkState = "connecting";
  let welcome: AgentWelcomeFrame | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let lastInbound = Date.now();
  let pings = 0;

  const setState = (s: LinkState, detail: string) => {
    if (state === "stopped") return;
    state = s;
    opts.onState?.(s, detail);
  };
  const raw = (frame: object) => {
    if (ws && ws.readyState === OPEN && welcomeOrHello(frame)) ws.send(JSON.stringify(frame));
  };
  const welcomeOrHello = (frame: object) =>
    welcome !== null || (frame as { type?: string }).type === "agent_hello";

  function connect(): void {
    if (state === "stopped") return;
    welcome = null;
    const sock = new Ctor(url);
    ws = sock;
    sock.onopen = () => {
      if (ws !== sock) return;
      lastInbound = Date.now();
      raw({
        type: "agent_hello",
        v: PROTOCOL_VERSION,
        token: opts.token,
        ...(opts.runtimeId ? { runtime_id: opts.runtimeId } : {}),
        client: opts.client ?? "live-conversations-agent-client/0.1.0",
        ...(opts.sessions ? { sessions: opts.sessions() } : {}),
      });
    };
    sock.onmessage = (ev: { data: unknown }) => {
      if (ws !== sock) return;
      lastInbound = Date.now();
      const f = decodeAgentServerFrame(typeof ev.data === "string" ? ev.data : String(ev.data));
      if (!f.ok) return;
      const frame = f.value;
      if (frame.type === "agent_welcome") {
        welcome = frame;
        backoff.reset();
        startHeartbeat(frame.heartbeat_ms, frame.idle_timeout_ms);
        setState("open", `connected as ${frame.runtime_id}`);
        const numbered = alreadyNumbered(frame);
        for (const p of [...outbox.values()]) raw(p);
        opts.onFrame(frame);
        for (const f of numbered) opts.onFrame(f);
        return;
      }
      opts.onFrame(frame);
    };
    sock.onerror = () => {};
    sock.onclose = (ev: { code: number; reason: string }) => {
      if (ws !== sock) return;
      ws = null;
      welcome = null;
      clearInterval(pingTimer);
      if (state === "stopped") return;
      const action = closeAction(ev.code);
      if (action === "stop") {
        setState("stopped", `refused by the gateway (${ev.code}${ev.reason ? `: ${ev.reason}` : ""})`);
        state = "stopped";
        return;
      }
      // A 42xx may name the spread to reconnect within (docs/protocol.md §6): a uniform moment in it.
      const { retryAfterMs } = decodeCloseReason(ev.reason ?? "");
      const restart = action === "spread" && retryAfterMs !== null;
      const delay = restart ? Math.round(Math.random() * retryAfterMs) : backoff.next();
      setState("reconnecting", `closed (${ev.code}); retrying in ${delay} ms`);
      retryTimer = setTimeout(connect, delay);
    };
  }

  /**
   * What the gateway numbered before it lost track (a restart): per resumed
   * session, every queued publish up to and including its `last_pub_id` leaves
   * the outbox and is answered `published` (with that last seq), so only what
   * the gateway never numbered is resent.
   */
  function alreadyNumbered(w: AgentWelcomeFrame): PublishedFrame[] {
    const out: PublishedFrame[] = [];
    for (const r of w.resumed ?? []) {
      if (r.last_pub_id === undefined || !outbox.has(r.last_pub_id)) continue;
      for (const [id, p] of outbox) {
        if (p.event.session_id !== r.session_id) continue;
        outbox.delete(id);
        out.push({ type: "published", pub_id: id, seq: r.seq });
        if (id === r.last_pub_id) break;
      }
    }
    return out;
  }

  function startHeartbeat(everyMs: number, idleMs: number): void {
    clearInterval(pingTimer);
    pingTimer = setInterval(
      () => {
        if (Date.now() - lastInbound > idleMs) {
          const dead = ws;
          ws = null;
          dead?.close(CloseCode.linkDead, "no frame from the gateway for too long");
          // The close event of a dead link may never come: reconnect now (its late close is ignored).
          clearInterval(pingTimer);
          const delay = backoff.next();
          setState("reconnecting", `link silent; retrying in ${delay} ms`);
          retryTimer = setTimeout(connect, delay);
          return;
        }
        raw({ type: "ping", id: ++pings });
      },
      Math.max(50, Math.min(everyMs, idleMs / 2)),
    );
    (pingTimer as { unref?: () => void }).unref?.();
  }

  connect();

  return {
    publish(frame) {
      if (outbox.size >= MAX_OUTBOX) {
        const oldest = outbox.keys().next();
        if (!oldest.done) outbox.delete(oldest.value);
      }
      outbox.set(frame.pub_id, frame);
      raw(frame);
    },
    sendNow(frame) {
      if (!ws || ws.readyState !== OPEN || !welcome) return false;
      raw(frame);
      return true;
    },
    settle(pubId) {
      outbox.delete(pubId);
    },
    get state() {
      return state;
    },
    get welcome() {
      return welcome;
    },
    get unanswered() {
      return outbox.size;
    },
    close() {
      if (state === "stopped") return;
      setState("stopped", "closed by the runtime");
      state = "stopped";
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      const s = ws;
      ws = null;
      s?.close(CloseCode.normal, "runtime closing");
    },
  };
}
