/**
 * Load mode: instead of the lifelike simulation, an org carries `sessions`
 * live conversations at once and a paced stream of `rate` numbered events/s
 * (user and agent messages spread over them), plus `tokensPerSecond` token
 * deltas into one watched session (`watchedId`). It is how `npm run bench`
 * loads the real pipeline.
 *
 * Every message text starts with a probe mark `[#n]` and every token ends in
 * `wN ` (N counting up; the replies are markdown with tables and code,
 * `load-markdown.ts`); `emittedAt(n)` / `tokenEmittedAt(N)` give the
 * gateway's emit time of each (epoch ms), so a page can measure
 * emit-to-paint from what it shows.
 */
import type { DeltaFrame, Session } from "../../utils/protocol/index.ts";
import type { OrgState } from "../org/org-state.ts";
import { markdownToken } from "./load-markdown.ts";

export interface LoadOptions {
  sessions: number;
  /** Numbered events per second (messages). */
  rate: number;
  /** Token deltas per second into the watched session (0 = none). */
  tokensPerSecond: number;
  /** Tokens per streamed reply before it is sent and the next one starts. */
  replyTokens?: number;
  /** Pacing tick. */
  tickMs?: number;
}

export interface LoadGenerator {
  readonly watchedId: string;
  readonly sessionIds: readonly string[];
  /** Probe marks emitted so far (messages). */
  readonly emitted: number;
  readonly tokensEmitted: number;
  start(): void;
  stop(): void;
  setRate(eventsPerSecond: number): void;
  setTokenRate(tokensPerSecond: number): void;
  /**
   * Emits `n` messages at once (a burst, e.g. while a client is away), spread over every session, or over
   * the first `among` of them (the others unchanged: what a snapshot-path resync should then send).
   */
  burst(n: number, among?: number): void;
  emittedAt(mark: number): number | undefined;
  tokenEmittedAt(token: number): number | undefined;
  /** The token number N (`wN`) of the delta `idx` of the streamed reply `messageId` (recent replies only). */
  tokenOf(messageId: string, idx: number): number | undefined;
}

/** Streamed replies whose first token number is kept for `tokenOf`. */
const REPLIES_KEPT = 4096;

const RING = 1 << 21;
const TEXTS = [
  "I was charged twice for my order, can you check?",
  "Sure — I can see two charges on the 14th; one is a pre-authorisation that will drop off.",
  "When will the replacement arrive?",
  "It ships today and should arrive within 2 business days.",
  "Can I change the delivery address?",
  "Yes, I have updated it to the new address you gave me.",
];

export function createLoadGenerator(org: OrgState, opts: LoadOptions): LoadGenerator {
  const tickMs = opts.tickMs ?? 5;
  const replyTokens = opts.replyTokens ?? 200;
  const ids = Array.from(
    { length: Math.max(1, opts.sessions) },
    (_, i) => `ses_load${String(i).padStart(6, "0")}`,
  );
  const watchedId = ids[0] as string;
  const markTimes = new Float64Array(RING);
  const tokenTimes = new Float64Array(RING);
  let rate = opts.rate;
  let tokenRate = opts.tokensPerSecond;
  let marks = 0;
  let tokens = 0;
  let msgN = 0;
  let timer: NodeJS.Timeout | null = null;
  let last = 0;
  let owedEvents = 0;
  let owedTokens = 0;
  let reply: { id: string; idx: number; text: string[] } | null = null;
  /** Each recent reply's first token number. */
  const replyStarts = new Map<string, number>();

  const iso = (ms: number) => new Date(ms).toISOString();

  function startSessions(): void {
    const now = Date.now();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string;
      const status = org.session(id)?.session.status;
      if (status && status !== "ended") continue;
      const agent = org.agents[i % org.agents.length];
      const session: Session = {
        id,
        agent: agent
          ? { id: agent.id, name: agent.name, color: agent.color }
          : { id: "agt_load", name: "Load agent", color: "#5b6ee1" },
        channel: i % 5 === 0 ? "phone" : "web",
        user: { id: `usr_load${i}`, name: `Customer ${i}` },
        priority: i % 50 === 0 ? "urgent" : i % 7 === 0 ? "high" : "normal",
        status: "active",
        started_at: iso(now),
        last_activity_at: iso(now),
        preview: "",
        message_count: 0,
        tags: i % 3 === 0 ? ["billing"] : ["orders"],
        metadata: { locale: "en-US" },
      };
      org.emit("session_started", id, session);
    }
  }

  function message(spread = ids.length - 1): void {
    // Spread over every session but the watched one (its transcript is the token stream).
    const n = marks++;
    const sid = ids.length > 1 ? (ids[1 + (n % spread)] as string) : watchedId;
    const user = (n & 1) === 0;
    const now = Date.now();
    markTimes[n % RING] = now;
    org.emit(user ? "message_received" : "message_sent", sid, {
      id: `msg_load${(++msgN).toString(36)}`,
      ts: iso(now),
      role: user ? "user" : "agent",
      format: "text",
      text: `[#${n}] ${TEXTS[n % TEXTS.length]}`,
    });
  }

  function token(): void {
    if (!reply) {
      reply = { id: `msg_loadr${(++msgN).toString(36)}`, idx: 0, text: [] };
      org.emit("stream_started", watchedId, { message_id: reply.id });
      replyStarts.set(reply.id, tokens);
      if (replyStarts.size > REPLIES_KEPT) replyStarts.delete(replyStarts.keys().next().value as string);
    }
    const i = tokens++;
    const text = markdownToken(i, reply.idx);
    tokenTimes[i % RING] = Date.now();
    const frame: DeltaFrame = {
      type: "delta",
      session_id: watchedId,
      message_id: reply.id,
      idx: reply.idx,
      text,
    };
    reply.idx += 1;
    reply.text.push(text);
    org.delta(frame);
    if (reply.idx >= replyTokens) {
      const now = Date.now();
      org.emit("message_sent", watchedId, {
        id: reply.id,
        ts: iso(now),
        role: "agent",
        format: "markdown",
        text: reply.text.join(""),
      });
      reply = null;
    }
  }

  function tick(): void {
    const now = performance.now();
    const dt = Math.min(250, now - last);
    last = now;
    owedEvents += (rate * dt) / 1000;
    owedTokens += (tokenRate * dt) / 1000;
    for (; owedEvents >= 1; owedEvents--) message();
    for (; owedTokens >= 1; owedTokens--) token();
  }

  return {
    watchedId,
    sessionIds: ids,
    get emitted() {
      return marks;
    },
    get tokensEmitted() {
      return tokens;
    },
    start() {
      if (timer) return;
      startSessions();
      last = performance.now();
      timer = setInterval(tick, tickMs);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    setRate(r) {
      rate = Math.max(0, r);
      owedEvents = 0;
    },
    setTokenRate(r) {
      tokenRate = Math.max(0, r);
      owedTokens = 0;
    },
    burst(n, among) {
      const spread = Math.max(1, Math.min(ids.length - 1, among ?? ids.length));
      for (let i = 0; i < n; i++) message(spread);
    },
    emittedAt: (m) => (m < marks && m >= marks - RING ? markTimes[m % RING] : undefined),
    tokenEmittedAt: (t) => (t < tokens && t >= tokens - RING ? tokenTimes[t % RING] : undefined),
    tokenOf(messageId, idx) {
      const start = replyStarts.get(messageId);
      return start === undefined ? undefined : start + idx;
    },
  };
}
