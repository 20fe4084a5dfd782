/**
 * Keeps unchanged messages the same objects from one transcript patch to the
 * next. The worker sends a watched session's whole transcript in each patch
 * (as JSON, so every message arrives as a new object); without this, every
 * patch would re-render — and re-parse the markdown of — every message on
 * screen, which at 5,000 tokens/s is most of each frame.
 */
import type { Transcript } from "../panel-messages";
import type { Message } from "../protocol";

function sameMessage(a: Message, b: Message): boolean {
  if (a.id !== b.id || a.text !== b.text || a.ts !== b.ts || a.role !== b.role || a.format !== b.format)
    return false;
  // Anything else (voice, attachments, flags) is compared in full; it is small.
  const { id: _a1, text: _a2, ts: _a3, role: _a4, format: _a5, ...restA } = a;
  const { id: _b1, text: _b2, ts: _b3, role: _b4, format: _b5, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

/** `next` with every message equal to one of `prev` (same id, same content) replaced by that one. */
export function shareMessages(prev: Transcript | undefined, next: Transcript): Transcript {
  if (!prev || prev.messages.length === 0) return next;
  const byId = new Map<string, Message>();
  for (const m of prev.messages) byId.set(m.id, m);
  let reused = 0;
  const messages = next.messages.map((m) => {
    const old = byId.get(m.id);
    // The merged prefix of a tail patch is already the panel's own objects: no need to compare them.
    if (old === m || (old && sameMessage(old, m))) {
      reused++;
      return old;
    }
    return m;
  });
  if (reused === 0) return next;
  // Only the streaming reply changed (a token): the messages stay the very same array, so what
  // depends on them alone (the transcript's message list) does not re-render per token.
  if (reused === messages.length && messages.length === prev.messages.length)
    return { ...next, messages: prev.messages };
  return { ...next, messages };
}

/**
 * A transcript patch that carries only its tail (`drop`/`from` set by the
 * worker's panel hub) made whole again from what the panel already has.
 * Without a usable previous transcript the tail is all there is.
 */
export function mergeTranscript(prev: Transcript | undefined, next: Transcript): Transcript {
  const { drop = 0, from, ...rest } = next;
  // Steps absent from a patch are unchanged: keep the panel's.
  if (rest.steps === undefined && prev?.steps !== undefined) rest.steps = prev.steps;
  if (from === undefined) return rest;
  if (!prev) return rest;
  return { ...rest, messages: prev.messages.slice(drop, drop + from).concat(next.messages) };
}
