/**
 * What the transcript store hands out: a watched session's transcript, the
 * in-flight reply built from token deltas, and the message texts forwarded
 * for keyword search. Schemas are the definition; types are inferred.
 */
import * as v from "valibot";
import { AgentStep, DraftReady, Message } from "../protocol";

/** A message's text, forwarded for keyword search. */
export const MessageTextSchema = v.object({ session_id: v.string(), id: v.string(), text: v.string() });
export type MessageText = v.InferOutput<typeof MessageTextSchema>;

/** The in-flight reply of a watched session, built from token deltas. */
export const StreamingReplySchema = v.object({
  message_id: v.string(),
  phase: v.picklist(["thinking", "streaming"]),
  text: v.string(),
});
export type StreamingReply = v.InferOutput<typeof StreamingReplySchema>;

const Count = v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)));

export const TranscriptSchema = v.object({
  session_id: v.string(),
  messages: v.array(Message),
  streaming: v.nullable(StreamingReplySchema),
  /** False while the transcript is being (re)fetched after a snapshot or on first open. */
  loaded: v.boolean(),
  /**
   * The agent steps of the transcript's replies (AI insight), in order, each
   * linked to its reply by `message_id`. In a patch, absent means unchanged.
   */
  steps: v.optional(v.pipe(v.array(AgentStep), v.readonly())),
  /** Review mode (issue 12): the agent's drafts waiting for approval, oldest first; never shown to the user. */
  drafts: v.optional(v.pipe(v.array(DraftReady), v.readonly())),
  /**
   * Patches only, when this panel already has the transcript: `messages` is
   * just the tail. The panel keeps its messages from index `drop` to
   * `drop + from` and appends `messages` (see `mergeTranscript`).
   */
  drop: Count,
  from: Count,
});
export type Transcript = v.InferOutput<typeof TranscriptSchema>;
