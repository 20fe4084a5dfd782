/**
 * The client for agent runtimes: publish what happens in your conversations
 * and obey the supervisors' interventions. Typed helpers over `publish`:
 *
 *   const agent = createAgentClient({ url, token, WebSocket });
 *   const sid = agent.startSession({ agent: { id: "agt_example", name: "Example", color: "#2563eb" } });
 *   agent.userMessage(sid, "Where is my order?");
 *   await agent.streamReply(sid, llm.stream(prompt));
 *   agent.onIntervention((iv) => { if (iv.action === "pause") paused = true; });
 *   agent.endSession(sid, "resolved");
 *
 * Every publish returns a promise of its outcome that never rejects: either
 * `{ok: true, seq}` or `{ok: false, code, message, path}`.
 */

import type {
  AgentServerFrame,
  BackoffOptions,
  Channel,
  Message,
  Priority,
  PublishKind,
  Session,
  SessionPatch,
} from "../utils/protocol";
import { type HumanQueueUpdate, humanQueueData } from "./human-queue";
import { createInterventionRouter, type InterventionHandler } from "./interventions";
import { createLink, type LinkState, type WebSocketCtor } from "./link";
import { type StreamOptions, type StreamResult, streamTokens } from "./stream-reply";

export type PublishResult =
  | { ok: true; seq: number }
  | { ok: false; code: string; message: string; path?: string | undefined };

export interface AgentClientOptions {
  /** The gateway's URL (http(s)://host:port) or the endpoint itself (ws(s)://host:port/v1/agent). */
  url: string;
  /** An agent token (`npm run mint-agent-token`). */
  token: string;
  /** Names this process among runtimes sharing the token (interventions go to the one that started the session). */
  runtimeId?: string;
  /** Node < 22: pass the `ws` package's WebSocket. */
  WebSocket?: WebSocketCtor;
  /** Aborting closes the client. */
  signal?: AbortSignal;
  backoff?: BackoffOptions;
  onState?(state: LinkState, detail: string): void;
  /** Something the gateway refused outside a publish (a bad delta, an unknown intervention id). */
  onError?(code: string, message: string): void;
  /**
   * One of this client's open sessions can no longer be published to: it ended
   * while the runtime was away (`ended`, e.g. `runtime_lost` after the gateway's
   * grace) or the gateway does not know it (`unknown`). Issue 19.
   */
  onSessionLost?(sessionId: string, reason: "ended" | "unknown"): void;
}

export interface StartSessionInit {
  id?: string;
  agent: { id: string; name: string; color: string };
  channel?: Channel;
  user?: { id: string; name?: string };
  priority?: Priority;
  tags?: string[];
  metadata?: Record<string, unknown>;
  /** Review mode from the start (its agent is reviewed as a whole). */
  review?: { enabled: boolean; drafts_waiting: number };
}

export type MessageExtra = Partial<Omit<Message, "id" | "role" | "text">> & { id?: string };

export interface AgentClient {
  /** Publishes session_started; returns the session id at once (`idle()` waits for the gateway's answers). */
  startSession(init: StartSessionInit): string;
  updateSession(sessionId: string, patch: SessionPatch): Promise<PublishResult>;
  /** The user said something (message_received). Returns the message id. */
  userMessage(sessionId: string, text: string, extra?: MessageExtra): string;
  /** A complete agent message at once (message_sent). Returns the message id. */
  agentMessage(sessionId: string, text: string, extra?: MessageExtra): string;
  /** A supervisor's own reply during a take-over (message_sent, role supervisor), as the runtime delivered it. */
  supervisorMessage(sessionId: string, text: string): string;
  /** A system line the user sees (message_sent, role system). */
  systemMessage(sessionId: string, text: string, kind?: NonNullable<Message["system_kind"]>): string;
  /** agent_thinking → stream_started → deltas (idx 0, 1, …) → message_sent with the whole text. */
  streamReply(sessionId: string, tokens: AsyncIterable<string>, opts?: StreamOptions): Promise<StreamResult>;
  /** The agent is preparing a reply (agent_thinking). Returns the message id it will use. */
  thinking(sessionId: string, messageId?: string): string;
  error(
    sessionId: string | null,
    err: { code: string; message: string; severity?: "warning" | "error" | "critical" },
  ): Promise<PublishResult>;
  endSession(sessionId: string, reason: string): Promise<PublishResult>;
  /** The human queue's news about a session: waiting, picked up (by whom), expired (`human_queue`). */
  humanQueue(sessionId: string, update: HumanQueueUpdate): Promise<PublishResult>;
  /** Any publishable event (the typed helpers use this). */
  publish(kind: PublishKind, sessionId: string | null, data: unknown): Promise<PublishResult>;
  /** A token of a streaming reply (ephemeral: dropped while offline). */
  delta(sessionId: string, messageId: string, idx: number, text: string): void;
  onIntervention(handler: InterventionHandler): () => void;
  readonly state: LinkState;
  /** Publishes not yet answered by the gateway. */
  readonly unanswered: number;
  /** Resolves once every publish made so far is answered. */
  idle(): Promise<void>;
  close(): void;
}

const rand = () => Math.random().toString(36).slice(2, 10).padEnd(8, "0");

export function createAgentClient(opts: AgentClientOptions): AgentClient {
  const waiting = new Map<string, (r: PublishResult) => void>();
  const idleWaiters = new Set<() => void>();
  const router = createInterventionRouter();
  /** Sessions started (the gateway numbered their session_started) and not ended: taken back in every hello. */
  const open = new Set<string>();
  /** Started, not yet numbered (an end before the answer keeps it out of `open`). */
  const starting = new Set<string>();
  let n = 0;

  const link = createLink({
    url: opts.url,
    token: opts.token,
    ...(opts.runtimeId ? { runtimeId: opts.runtimeId } : {}),
    ...(opts.WebSocket ? { WebSocket: opts.WebSocket } : {}),
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
    onFrame,
    ...(opts.onState ? { onState: opts.onState } : {}),
    sessions: () => [...open],
  });

  function lost(sid: string, reason: "ended" | "unknown"): void {
    if (open.delete(sid)) opts.onSessionLost?.(sid, reason);
  }

  function settle(pubId: string, r: PublishResult): void {
    link.settle(pubId);
    const w = waiting.get(pubId);
    waiting.delete(pubId);
    w?.(r);
    if (link.unanswered === 0) for (const f of [...idleWaiters]) f();
  }

  function onFrame(frame: AgentServerFrame) {
    switch (frame.type) {
      case "published":
        return settle(frame.pub_id, { ok: true, seq: frame.seq });
      case "publish_error":
        return settle(frame.pub_id, {
          ok: false,
          code: frame.code,
          message: frame.message,
          path: frame.path,
        });
      case "intervention":
        return router.receive(frame, (result) => link.sendNow(result));
      case "agent_error":
        opts.onError?.(frame.code, frame.message);
        return;
      case "agent_welcome":
        for (const r of frame.not_resumed ?? []) lost(r.session_id, r.reason);
        return;
      default:
        return;
    }
  }

  function publish(kind: PublishKind, sessionId: string | null, data: unknown): Promise<PublishResult> {
    const pub_id = `pub_${rand()}${(++n).toString(36)}`;
    const p = new Promise<PublishResult>((resolve) => waiting.set(pub_id, resolve));
    if (sessionId !== null)
      void p.then((r) => {
        if (kind === "session_started" && starting.delete(sessionId) && r.ok) open.add(sessionId);
        else if (!r.ok && r.code === "SESSION_ENDED") lost(sessionId, "ended");
      });
    if (link.state === "stopped")
      settle(pub_id, { ok: false, code: "CLOSED", message: "The client is closed." });
    else link.publish({ type: "publish", pub_id, event: { kind, session_id: sessionId, data } });
    return p;
  }

  const now = () => new Date().toISOString();
  const msgId = () => `msg_${rand()}${(++n).toString(36)}`;
  function message(sessionId: string, role: Message["role"], text: string, extra: MessageExtra = {}): string {
    const id = extra.id ?? msgId();
    void publish(role === "user" ? "message_received" : "message_sent", sessionId, {
      format: "text",
      ts: now(),
      ...extra,
      id,
      role,
      text,
    });
    return id;
  }

  const client: AgentClient = {
    startSession(init) {
      const id = init.id ?? `ses_${rand()}${(++n).toString(36)}`;
      const session: Session = {
        id,
        agent: init.agent,
        channel: init.channel ?? "web",
        user: init.user ?? { id: `usr_${rand()}` },
        priority: init.priority ?? "normal",
        status: "active",
        started_at: now(),
        last_activity_at: now(),
        preview: "",
        message_count: 0,
        ...(init.tags ? { tags: init.tags } : {}),
        ...(init.metadata ? { metadata: init.metadata } : {}),
        ...(init.review ? { review: init.review } : {}),
      };
      starting.add(id);
      void publish("session_started", id, session);
      return id;
    },
    updateSession: (sid, patch) => publish("session_updated", sid, patch),
    userMessage: (sid, text, extra) => message(sid, "user", text, extra),
    agentMessage: (sid, text, extra) => message(sid, "agent", text, extra),
    supervisorMessage: (sid, text) => message(sid, "supervisor", text),
    systemMessage: (sid, text, kind = "notice") => message(sid, "system", text, { system_kind: kind }),
    streamReply(sid, tokens, o = {}) {
      return streamTokens(
        {
          publish,
          delta: client.delta,
          newId: msgId,
        },
        sid,
        tokens,
        o,
      );
    },
    thinking(sid, messageId) {
      const id = messageId ?? msgId();
      void publish("agent_thinking", sid, { message_id: id });
      return id;
    },
    error: (sid, e) => publish("error_occurred", sid, { severity: "error", ...e }),
    endSession(sid, reason) {
      open.delete(sid);
      starting.delete(sid);
      return publish("session_ended", sid, { reason, ended_at: now() });
    },
    humanQueue: (sid, update) => publish("human_queue", sid, humanQueueData(update)),
    publish,
    delta(sid, mid, idx, text) {
      link.sendNow({ type: "delta", session_id: sid, message_id: mid, idx, text });
    },
    onIntervention: (handler) => router.add(handler),
    get state() {
      return link.state;
    },
    get unanswered() {
      return link.unanswered;
    },
    idle() {
      if (link.unanswered === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const f = () => {
          idleWaiters.delete(f);
          resolve();
        };
        idleWaiters.add(f);
      });
    },
    close() {
      link.close();
      for (const [pubId] of waiting)
        settle(pubId, { ok: false, code: "CLOSED", message: "The client closed first." });
    },
  };
  opts.signal?.addEventListener("abort", () => client.close(), { once: true });
  return client;
}
