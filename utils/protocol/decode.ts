/**
 * The boundary: every frame or body that arrives from the other end goes
 * through one of these functions and comes out typed, or as a precise error
 * naming the field and the reason. Nothing past here sees `unknown`.
 */
import * as v from "valibot";
import {
  AgentClientFrame,
  AgentServerFrame,
  type PublishEvent,
  PublishEventHead,
  publishDataSchema,
} from "./agent";
import { EventEnvelope } from "./events";
import { ClientFrame, type ServerFrame, SingleServerFrame } from "./frames";
import { MAX_FRAME_BYTES } from "./shapes";

export interface DecodeError {
  /** Dotted path of the offending field ("" for the frame itself). */
  path: string;
  message: string;
  /** The frame's `type`, when it could be read. */
  type?: string;
  /** For a numbered event whose data is bad: its cursor, so the client can skip it without a gap. */
  envelope?: { epoch: string; seq: number; kind: string };
}
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

function fail(
  path: string,
  message: string,
  extra: Partial<DecodeError> = {},
): { ok: false; error: DecodeError } {
  return { ok: false, error: { path, message, ...extra } };
}

/**
 * Parses JSON text (or passes through an already-parsed value). `maxChars`
 * bounds the text: client frames are limited to 64 KiB by the protocol (a
 * UTF-8 byte is at least a UTF-16 unit, so the char count never undercounts);
 * server frames such as snapshots of thousands of sessions are legitimately larger.
 */
export function parseJson(input: unknown, maxChars = Number.POSITIVE_INFINITY): Decoded<unknown> {
  if (typeof input !== "string") return { ok: true, value: input };
  if (input.length > maxChars) return fail("", `frame is larger than ${Math.round(maxChars / 1024)} KiB`);
  try {
    return { ok: true, value: JSON.parse(input) };
  } catch (e) {
    return fail("", `not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * No frame or body of the protocol nests more than a few levels; deeper input
 * is refused before anything recurses into it (hashing, cloning, JSON.stringify
 * of 10,000 nested arrays overflow the stack).
 */
export const MAX_JSON_DEPTH = 64;

/** True when `value` nests objects or arrays more than `max` levels deep. Iterative: safe on any input. */
export function nestedDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  if (typeof value !== "object" || value === null) return false;
  const stack: [object, number][] = [[value, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [x, depth] = top;
    if (depth > max) return true;
    for (const child of Array.isArray(x) ? x : Object.values(x))
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Validates `value` against `schema`; on failure names the first bad field. */
export function decodeWith<S extends v.GenericSchema>(schema: S, value: unknown): Decoded<v.InferOutput<S>> {
  if (nestedDeeperThan(value)) {
    const type = isRecord(value) && typeof value.type === "string" ? value.type : undefined;
    return fail("", `nested deeper than ${MAX_JSON_DEPTH} levels`, type === undefined ? {} : { type });
  }
  const result = v.safeParse(schema, value);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? "";
  const type = isRecord(value) && typeof value.type === "string" ? value.type : undefined;
  return fail(path, describe(issue), type === undefined ? {} : { type });
}

function describe(issue: v.BaseIssue<unknown>): string {
  // Valibot's default "Invalid type: Expected X but received Y" is precise; our own messages are phrases.
  return issue.message.startsWith("Invalid") ? issue.message : `${issue.message} (got ${issue.received})`;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function withEnvelope<T>(result: Decoded<T>, value: unknown): Decoded<T> {
  if (result.ok || !isRecord(value) || value.type !== "event") return result;
  const env = v.safeParse(EventEnvelope, value);
  if (!env.success) return result;
  const { epoch, seq, kind } = env.output;
  return { ok: false, error: { ...result.error, envelope: { epoch, seq, kind } } };
}

/** Decodes one server frame; a batch is decoded as a whole (see `decodeServerFrames` to keep its good parts). */
export function decodeServerFrame(input: unknown): Decoded<ServerFrame> {
  const parsed = parseJson(input);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (isRecord(value) && value.type === "batch") {
    const frames = decodeServerFrames(value);
    const bad = frames.find((f) => !f.ok);
    if (bad && !bad.ok) return bad;
    return {
      ok: true,
      value: { type: "batch", frames: frames.flatMap((f) => (f.ok ? [f.value] : [])) },
    };
  }
  return withEnvelope(decodeWith(SingleServerFrame, value), value);
}

/**
 * Decodes what arrived in one WebSocket message into single frames, in order.
 * A batch is unpacked and each inner frame judged on its own, so one bad frame
 * costs only itself.
 */
export function decodeServerFrames(input: unknown): Decoded<Exclude<ServerFrame, { type: "batch" }>>[] {
  const parsed = parseJson(input);
  if (!parsed.ok) return [parsed];
  const value = parsed.value;
  if (isRecord(value) && value.type === "batch") {
    if (!Array.isArray(value.frames))
      return [fail("frames", "a batch must carry an array of frames", { type: "batch" })];
    return value.frames.map((f, i) => {
      if (isRecord(f) && f.type === "batch")
        return fail(`frames.${i}`, "batches do not nest", { type: "batch" });
      const r = withEnvelope(decodeWith(SingleServerFrame, f), f);
      return r.ok
        ? r
        : {
            ok: false as const,
            error: { ...r.error, path: `frames.${i}${r.error.path ? `.${r.error.path}` : ""}` },
          };
    });
  }
  return [withEnvelope(decodeWith(SingleServerFrame, value), value)];
}

/** Decodes one client frame (what the gateway receives on the socket). */
export function decodeClientFrame(input: unknown): Decoded<ClientFrame> {
  const parsed = parseJson(input, MAX_FRAME_BYTES);
  if (!parsed.ok) return parsed;
  return decodeWith(ClientFrame, parsed.value);
}

/** Decodes a frame an agent runtime sent on `/v1/agent` (64 KiB at most). */
export function decodeAgentClientFrame(input: unknown): Decoded<AgentClientFrame> {
  const parsed = parseJson(input, MAX_FRAME_BYTES);
  if (!parsed.ok) return parsed;
  return decodeWith(AgentClientFrame, parsed.value);
}

/** Decodes what the gateway sent an agent runtime. */
export function decodeAgentServerFrame(input: unknown): Decoded<AgentServerFrame> {
  const parsed = parseJson(input);
  if (!parsed.ok) return parsed;
  return decodeWith(AgentServerFrame, parsed.value);
}

/**
 * Validates one published event: its head (kind, session_id), then its data
 * with the stream's schema for that kind. Paths start at the event
 * (`data.text`, `kind`), so a runtime learns exactly which field was wrong.
 */
export function decodePublishEvent(input: unknown): Decoded<PublishEvent> {
  const head = decodeWith(PublishEventHead, input);
  if (!head.ok) return head;
  const { kind, session_id } = head.value;
  if (session_id === null && kind !== "error_occurred")
    return fail("session_id", "must name a session (only error_occurred may be system-wide)");
  const data = decodeWith(publishDataSchema(kind), head.value.data);
  if (!data.ok) return fail(data.error.path ? `data.${data.error.path}` : "data", data.error.message);
  return { ok: true, value: { kind, session_id, data: data.value } };
}
