/**
 * Transcripts of the sessions some panel is watching. A transcript is fetched
 * whole (GET /v1/sessions/{id}) when first watched and after every snapshot;
 * events that arrive while it loads are held and applied on top of the
 * fetched copy, deduplicated by message id, so nothing is lost or doubled.
 * Deltas build the streaming reply; the final message_sent replaces it — and
 * so does a fetched copy that holds the message (its message_sent may have
 * been lost in a gap that ended in a snapshot): a message the transcript
 * holds is final, its streaming state ends and its late deltas are dropped.
 * Agent steps are kept beside the messages (the last version of each step,
 * bounded), in an array replaced on every change so a sender can tell
 * "unchanged" by reference.
 */

import type { AgentStep, DeltaFrame, DraftReady, EventFrame, Message } from "../protocol";
import type { ChangeSet } from "./change-set";
import type { StreamingReply, Transcript } from "./transcript-schema";

export const TRANSCRIPT_MESSAGE_LIMIT = 500;
const HELD_LIMIT = 2000;
/** Agent steps kept per transcript (a reply has a handful). */
export const TRANSCRIPT_STEP_LIMIT = 200;

interface Entry {
  messages: Message[];
  index: Map<string, number>;
  /** Replaced (never mutated) on every change. */
  steps: readonly AgentStep[];
  streaming: StreamingReply | null;
  /** Review mode: drafts waiting for approval (replaced, never mutated). */
  drafts: readonly DraftReady[];
  nextIdx: number;
  loaded: boolean;
  /** Events seen while loading, replayed on the fetched copy; null when not loading. */
  held: EventFrame[] | null;
  /** Bumped per load so a stale fetch answer is ignored. */
  generation: number;
}

export interface TranscriptStore {
  /** Replaces the watched set; returns the sessions that need a fetch. */
  watch(ids: Iterable<string>): string[];
  watched(): string[];
  isWatched(id: string): boolean;
  /** Marks a transcript as loading; returns the generation to hand back to `loaded`. */
  beginLoad(id: string): number;
  /** The fetched copy; `drafts` (the waiting ones, when the gateway sends them) replace what the events built. */
  loaded(
    id: string,
    generation: number,
    messages: Message[],
    steps?: readonly AgentStep[],
    drafts?: readonly DraftReady[],
  ): void;
  applyEvent(event: EventFrame): void;
  applyDelta(delta: DeltaFrame): void;
  get(id: string): Transcript | null;
  all(): Transcript[];
}

function freshEntry(): Entry {
  return {
    messages: [],
    index: new Map(),
    steps: [],
    streaming: null,
    drafts: [],
    nextIdx: 0,
    loaded: false,
    held: [],
    generation: 0,
  };
}

export function createTranscriptStore(changes: ChangeSet, limit = TRANSCRIPT_MESSAGE_LIMIT): TranscriptStore {
  const entries = new Map<string, Entry>();

  function reindex(e: Entry): void {
    e.index.clear();
    e.messages.forEach((m, i) => {
      e.index.set(m.id, i);
    });
  }

  function upsert(e: Entry, m: Message): void {
    const at = e.index.get(m.id);
    if (at !== undefined) e.messages[at] = m;
    else {
      e.index.set(m.id, e.messages.length);
      e.messages.push(m);
      if (e.messages.length > limit * 2) {
        e.messages = e.messages.slice(-limit);
        reindex(e);
      }
    }
  }

  function upsertStep(e: Entry, step: AgentStep): void {
    const at = e.steps.findIndex((s) => s.step_id === step.step_id);
    if (at >= 0) e.steps = e.steps.map((s, i) => (i === at ? step : s));
    else e.steps = [...e.steps.slice(-(TRANSCRIPT_STEP_LIMIT - 1)), step];
  }

  /**
   * A new in-flight reply, its deltas counted from 0 — the one way a reply starts, whichever comes first
   * (agent_thinking, stream_started, or a delta): a reply that kept the previous one's count had every
   * delta dropped as a repeat.
   */
  function startReply(e: Entry, messageId: string, phase: "thinking" | "streaming") {
    const reply = { message_id: messageId, phase, text: "" };
    e.streaming = reply;
    e.nextIdx = 0;
    return reply;
  }

  function applyTo(e: Entry, event: EventFrame): void {
    switch (event.kind) {
      case "agent_step":
        upsertStep(e, event.data);
        break;
      case "message_received":
        upsert(e, event.data);
        break;
      case "message_sent":
        upsert(e, event.data);
        if (!e.streaming || e.streaming.message_id === event.data.id) e.streaming = null;
        break;
      case "agent_thinking":
        if (e.index.has(event.data.message_id)) break; // already final
        startReply(e, event.data.message_id, "thinking");
        break;
      case "stream_started":
        if (e.index.has(event.data.message_id)) break; // already final
        if (e.streaming?.message_id === event.data.message_id) e.streaming.phase = "streaming";
        else startReply(e, event.data.message_id, "streaming");
        break;
      case "draft_ready":
        // The streamed reply became a draft: it waits for approval instead of being sent.
        if (e.streaming?.message_id === event.data.message_id) e.streaming = null;
        e.drafts = [...e.drafts.filter((d) => d.draft_id !== event.data.draft_id), event.data];
        break;
      case "draft_resolved":
        e.drafts = e.drafts.filter((d) => d.draft_id !== event.data.draft_id);
        break;
      case "session_ended":
        e.streaming = null;
        e.drafts = [];
        break;
      case "session_updated":
        if (event.data.status === "paused") e.streaming = null;
        break;
      default:
        break;
    }
  }

  function view(id: string, e: Entry): Transcript {
    return {
      session_id: id,
      messages: e.messages.length > limit ? e.messages.slice(-limit) : e.messages.slice(),
      streaming: e.streaming ? { ...e.streaming } : null,
      loaded: e.loaded,
      steps: e.steps,
      drafts: e.drafts,
    };
  }

  return {
    watch(ids) {
      const next = new Set(ids);
      for (const id of entries.keys()) if (!next.has(id)) entries.delete(id);
      const added: string[] = [];
      for (const id of next) {
        if (!entries.has(id)) {
          entries.set(id, freshEntry());
          added.push(id);
        }
      }
      return added;
    },
    watched() {
      return [...entries.keys()];
    },
    isWatched(id) {
      return entries.has(id);
    },
    beginLoad(id) {
      const e = entries.get(id);
      if (!e) return -1;
      e.generation++;
      e.loaded = false;
      e.held = [];
      changes.transcript(id);
      return e.generation;
    },
    loaded(id, generation, messages, steps = [], drafts) {
      const e = entries.get(id);
      if (!e || e.generation !== generation) return;
      const held = e.held ?? [];
      e.messages = messages.slice(-limit);
      e.steps = steps.slice(-TRANSCRIPT_STEP_LIMIT);
      // A draft_ready or draft_resolved lost in a gap that ended in a snapshot: the fetched list is the truth.
      if (drafts) e.drafts = drafts.slice();
      reindex(e);
      // The fetched copy is the truth: a reply it holds is final, whatever the deltas built.
      if (e.streaming && e.index.has(e.streaming.message_id)) e.streaming = null;
      e.loaded = true;
      e.held = null;
      for (const ev of held) applyTo(e, ev);
      changes.transcript(id);
    },
    applyEvent(event) {
      if (event.session_id === null) return;
      const e = entries.get(event.session_id);
      if (!e) return;
      if (e.held) {
        if (e.held.length < HELD_LIMIT) e.held.push(event);
        // While loading, the streaming reply is still worth showing.
        if (event.kind === "agent_thinking" || event.kind === "stream_started") applyTo(e, event);
      } else applyTo(e, event);
      changes.transcript(event.session_id);
    },
    applyDelta(d) {
      const e = entries.get(d.session_id);
      if (!e) return;
      if (e.index.has(d.message_id)) return; // late delta of a reply already final
      const reply =
        e.streaming?.message_id === d.message_id ? e.streaming : startReply(e, d.message_id, "streaming");
      if (d.idx < e.nextIdx) return; // repeated delta
      reply.phase = "streaming";
      reply.text += d.text;
      e.nextIdx = d.idx + 1;
      changes.transcript(d.session_id);
    },
    get(id) {
      const e = entries.get(id);
      return e ? view(id, e) : null;
    },
    all() {
      return [...entries].map(([id, e]) => view(id, e));
    },
  };
}
