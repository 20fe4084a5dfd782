import { describe, expect, it } from "vitest";
import { mergeTranscript, shareMessages } from "../../utils/panel/transcript-sharing";
import type { Transcript } from "../../utils/panel-messages";
import type { Message } from "../../utils/protocol";

const msg = (id: string, text: string, extra: Partial<Message> = {}): Message =>
  ({ id, ts: "2026-11-24T10:00:00.000Z", role: "agent", format: "markdown", text, ...extra }) as Message;
const transcript = (messages: Message[], streaming: Transcript["streaming"] = null): Transcript => ({
  session_id: "ses_1",
  messages,
  streaming,
  loaded: true,
});
// What arrives over the port: equal content, new objects.
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe("shareMessages", () => {
  it("keeps unchanged messages as the same objects and takes changed and new ones", () => {
    const prev = transcript([msg("a", "one"), msg("b", "two")]);
    const next = copy(transcript([msg("a", "one"), msg("b", "two, edited"), msg("c", "three")]));
    const shared = shareMessages(prev, next);
    expect(shared.messages[0]).toBe(prev.messages[0]);
    expect(shared.messages[1]).not.toBe(prev.messages[1]);
    expect(shared.messages[1]?.text).toBe("two, edited");
    expect(shared.messages[2]?.text).toBe("three");
    expect(shared).toEqual(next);
  });

  it("sees a change outside the text (an override flag, a voice transcript turning final)", () => {
    const prev = transcript([msg("a", "x", { voice: { speaker: "u", confidence: 0.5, is_final: false } })]);
    const next = copy(
      transcript([msg("a", "x", { voice: { speaker: "u", confidence: 0.9, is_final: true } })]),
    );
    expect(shareMessages(prev, next).messages[0]).not.toBe(prev.messages[0]);
    const flagged = copy(transcript([msg("a", "x", { overridden: true })]));
    expect(shareMessages(transcript([msg("a", "x")]), flagged).messages[0]?.overridden).toBe(true);
  });

  it("keeps the very same messages array when only the streaming reply changed (a token)", () => {
    const prev = transcript([msg("a", "one"), msg("b", "two")], {
      message_id: "c",
      phase: "streaming",
      text: "Hi",
    });
    const tail = copy({
      ...transcript([], { message_id: "c", phase: "streaming", text: "Hi the" }),
      drop: 0,
      from: 2,
    });
    const shared = shareMessages(prev, mergeTranscript(prev, tail));
    expect(shared.messages).toBe(prev.messages);
    expect(shared.streaming?.text).toBe("Hi the");
  });

  it("passes the transcript through when there is nothing to share", () => {
    const next = transcript([msg("a", "one")]);
    expect(shareMessages(undefined, next)).toBe(next);
    expect(shareMessages(transcript([]), next)).toBe(next);
    expect(shareMessages(transcript([msg("z", "other")]), next)).toBe(next);
  });
});

describe("transcript tails (worker hub → panel)", () => {
  it("rebuilds the whole transcript from what the panel has and the tail the hub sent", () => {
    const prev = transcript([msg("a", "1"), msg("b", "2"), msg("c", "3")]);
    // The worker's window moved on by one (a dropped), c was replaced, d is new.
    const tail: Transcript = { ...transcript([msg("c", "3, overridden"), msg("d", "4")]), drop: 1, from: 1 };
    const whole = mergeTranscript(prev, tail);
    expect(whole.messages.map((m) => `${m.id}:${m.text}`)).toEqual(["b:2", "c:3, overridden", "d:4"]);
    expect(whole.messages[0]).toBe(prev.messages[1]);
    expect("from" in whole || "drop" in whole).toBe(false);
  });

  it("passes a whole transcript through, without the tail fields", () => {
    const next = transcript([msg("a", "1")]);
    expect(mergeTranscript(undefined, next)).toEqual(next);
  });
});
