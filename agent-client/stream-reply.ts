/**
 * One streamed agent reply: agent_thinking → stream_started at the first
 * token → a delta per token (idx 0, 1, … contiguous) → message_sent whose
 * text is exactly the tokens joined. Aborting (`signal`: a pause, an
 * override) stops the generator and sends no message_sent.
 */
import type { Message, PublishKind } from "../utils/protocol";

export interface StreamOptions {
  /** Use this message id (e.g. the one announced by `thinking`); else a new one. */
  messageId?: string;
  format?: Message["format"];
  /** Aborting stops the reply: nothing more is published for it. */
  signal?: AbortSignal;
  /** Extra fields for the final message (voice, attachments…). */
  extra?: Partial<Message>;
  /** false: publish no `message_sent` at the end (review mode holds the text as a draft instead). */
  send?: boolean;
}

export interface StreamResult {
  message_id: string;
  /** What was streamed (all of it, or up to the abort). */
  text: string;
  cancelled: boolean;
}

export interface StreamDeps {
  publish(kind: PublishKind, sessionId: string, data: unknown): Promise<unknown>;
  delta(sessionId: string, messageId: string, idx: number, text: string): void;
  newId(): string;
}

export async function streamTokens(
  deps: StreamDeps,
  sessionId: string,
  tokens: AsyncIterable<string>,
  opts: StreamOptions = {},
): Promise<StreamResult> {
  const id = opts.messageId ?? deps.newId();
  const started = Date.now();
  if (opts.messageId === undefined) void deps.publish("agent_thinking", sessionId, { message_id: id });
  let text = "";
  let idx = 0;
  const aborted = () => opts.signal?.aborted === true;
  const it = tokens[Symbol.asyncIterator]();
  try {
    while (!aborted()) {
      const next = await it.next();
      if (next.done || aborted()) break;
      if (idx === 0) void deps.publish("stream_started", sessionId, { message_id: id });
      deps.delta(sessionId, id, idx, next.value);
      text += next.value;
      idx++;
    }
  } finally {
    if (aborted()) await it.return?.();
  }
  if (aborted()) return { message_id: id, text, cancelled: true };
  if (opts.send === false) return { message_id: id, text, cancelled: false };
  void deps.publish("message_sent", sessionId, {
    ...opts.extra,
    id,
    role: "agent",
    format: opts.format ?? "markdown",
    text,
    ts: new Date().toISOString(),
    latency_ms: Date.now() - started,
  });
  return { message_id: id, text, cancelled: false };
}
