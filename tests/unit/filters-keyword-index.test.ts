import { describe, expect, it } from "vitest";
import { createKeywordIndex } from "@/utils/filters";

const msg = (id: string, text: string) => ({ id, text });

describe("keyword index", () => {
  it("finds sessions by message text, case-insensitive, literal", () => {
    const ix = createKeywordIndex();
    ix.addMessage("s1", msg("m1", "My ORDER has not arrived"));
    ix.addMessage("s2", msg("m1", "Refund (partial) please"));
    expect([...ix.search("order")]).toEqual(["s1"]);
    expect([...ix.search("  (PARTIAL) ")]).toEqual(["s2"]);
    expect([...ix.search(".*")]).toEqual([]);
    expect(ix.search("")).toEqual(new Set());
  });

  it("a new message matching the current keyword joins the result (incremental)", () => {
    const ix = createKeywordIndex();
    ix.addMessage("s1", msg("m1", "hello"));
    expect(ix.search("refund").size).toBe(0);
    const v = ix.version.value;
    ix.addMessage("s2", msg("m1", "I want a refund"));
    expect(ix.version.value).toBeGreaterThan(v);
    expect([...ix.search("refund")]).toEqual(["s2"]);
    ix.addMessage("s1", msg("m2", "refund me too"));
    expect(new Set(ix.search("refund"))).toEqual(new Set(["s1", "s2"]));
  });

  it("returns a new set when the result changes (safe to hold as a snapshot)", () => {
    const ix = createKeywordIndex();
    ix.addMessage("s1", msg("m1", "refund"));
    const before = ix.search("refund");
    ix.addMessage("s2", msg("m1", "refund"));
    expect(before.size).toBe(1);
    expect(ix.search("refund").size).toBe(2);
  });

  it("typing a longer word narrows from the previous result, and a different word rescans", () => {
    const ix = createKeywordIndex();
    ix.addMessage("s1", msg("m1", "refund"));
    ix.addMessage("s2", msg("m1", "ref code"));
    expect(ix.search("ref").size).toBe(2);
    expect([...ix.search("refu")]).toEqual(["s1"]);
    expect([...ix.search("code")]).toEqual(["s2"]);
  });

  it("syncTranscript adds only unseen messages and replaces changed texts", () => {
    const ix = createKeywordIndex();
    ix.syncTranscript("s1", [msg("m1", "one"), msg("m2", "two")]);
    expect(ix.stats().messages).toBe(2);
    const v = ix.version.value;
    ix.syncTranscript("s1", [msg("m1", "one"), msg("m2", "two")]);
    expect(ix.version.value).toBe(v); // nothing new, no re-filter
    ix.syncTranscript("s1", [msg("m1", "one"), msg("m2", "overridden text"), msg("m3", "three")]);
    expect(ix.stats().messages).toBe(3);
    expect(ix.search("two").size).toBe(0);
    expect(ix.search("overridden").size).toBe(1);
  });

  it("a replaced text that no longer matches leaves the cached result", () => {
    const ix = createKeywordIndex();
    ix.addMessage("s1", msg("m1", "refund"));
    expect(ix.search("refund").size).toBe(1);
    ix.addMessage("s1", msg("m1", "never mind"));
    expect(ix.search("refund").size).toBe(0);
  });

  it("bounds messages per session, evicting the oldest and flagging the session", () => {
    const ix = createKeywordIndex({ maxMessagesPerSession: 3 });
    ix.addMessage("s1", msg("m0", "refund at the start"));
    expect(ix.search("refund").size).toBe(1);
    for (let i = 1; i <= 3; i++) ix.addMessage("s1", msg(`m${i}`, `message ${i}`));
    expect(ix.stats().messages).toBe(3);
    expect(ix.isTruncated("s1")).toBe(true);
    expect(ix.search("refund").size).toBe(0); // fell out, and the cached result knows it
    expect(ix.search("message 1").size).toBe(1);
    expect(ix.isTruncated("other")).toBe(false);
  });

  it("bounds characters per session and per message", () => {
    const ix = createKeywordIndex({ maxCharsPerSession: 20 });
    ix.addMessage("s1", msg("m1", "0123456789"));
    ix.addMessage("s1", msg("m2", "abcdefghij"));
    expect(ix.isTruncated("s1")).toBe(false);
    ix.addMessage("s1", msg("m3", "klm"));
    expect(ix.stats()).toMatchObject({ messages: 2, chars: 13 });
    expect(ix.isTruncated("s1")).toBe(true);
    ix.addMessage("s2", msg("m1", `${"x".repeat(30)}tail`));
    expect(ix.stats().chars).toBe(33);
    expect(ix.search("tail").size).toBe(0);
    expect(ix.isTruncated("s2")).toBe(true);
  });

  it("bounds total characters, taking from the least recently updated session", () => {
    const ix = createKeywordIndex({ maxTotalChars: 30, maxCharsPerSession: 30 });
    ix.addMessage("old", msg("m1", "aaaaaaaaaa"));
    ix.addMessage("old", msg("m2", "bbbbbbbbbb"));
    ix.addMessage("new", msg("m1", "cccccccccc"));
    ix.addMessage("new", msg("m2", "dddddddddd"));
    expect(ix.stats().chars).toBeLessThanOrEqual(30);
    expect(ix.isTruncated("old")).toBe(true);
    expect(ix.isTruncated("new")).toBe(false);
    expect(ix.search("aaaa").size).toBe(0);
    expect(ix.search("dddd").size).toBe(1);
  });

  it("a session emptied by the total bound keeps its truncated mark", () => {
    const ix = createKeywordIndex({ maxTotalChars: 20, maxCharsPerSession: 20 });
    ix.addMessage("a", msg("m1", "refund0123"));
    ix.addMessage("b", msg("m1", "bbbbbbbbbb"));
    expect(ix.search("refund").size).toBe(1);
    ix.addMessage("c", msg("m1", "cccccccccc")); // pushes "a" out entirely
    expect(ix.stats()).toMatchObject({ sessions: 2, messages: 2, chars: 20, truncatedSessions: 1 });
    expect(ix.isTruncated("a")).toBe(true);
    expect(ix.search("refund").size).toBe(0);
    ix.addMessage("a", msg("m2", "again"));
    expect(ix.isTruncated("a")).toBe(true);
    ix.removeSession("b");
    ix.retainOnly(new Set(["c"]));
    expect(ix.isTruncated("a")).toBe(false);
    expect(ix.stats().truncatedSessions).toBe(0);
  });

  it("finds exactly the matching sessions across many buckets, after removals and updates", () => {
    const ix = createKeywordIndex();
    const expected = new Set<string>();
    for (let i = 0; i < 300; i++) {
      ix.addMessage(`s${i}`, msg("m1", `hello ${i}`));
      ix.addMessage(`s${i}`, msg("m2", i % 7 === 0 ? "a refund request" : "nothing"));
      if (i % 7 === 0) expected.add(`s${i}`);
    }
    expect(ix.search("refund")).toEqual(expected);
    for (const id of ["s0", "s7", "s8"]) {
      ix.removeSession(id);
      expected.delete(id);
    }
    ix.addMessage("s9", msg("m3", "refund please"));
    expected.add("s9");
    ix.search("other");
    expect(ix.search("refund")).toEqual(expected);
    expect(ix.search("hello 29")).toEqual(
      new Set(["s29", "s290", "s291", "s292", "s293", "s294", "s295", "s296", "s297", "s298", "s299"]),
    );
    // churn: sessions leave and new ones fill the freed places
    for (let i = 100; i < 200; i++) ix.removeSession(`s${i}`);
    for (let i = 0; i < 100; i++) ix.addMessage(`n${i}`, msg("m1", i % 2 ? "refund" : "no"));
    for (let i = 100; i < 200; i++) expected.delete(`s${i}`);
    for (let i = 1; i < 100; i += 2) expected.add(`n${i}`);
    expect(ix.search("refund")).toEqual(expected);
    // a keyword never spans two messages or two sessions
    expect(ix.search("request nothing").size).toBe(0);
    expect(ix.search("nothing hello").size).toBe(0);
  });

  it("removes sessions and retains only live ones", () => {
    const ix = createKeywordIndex();
    ix.addMessage("s1", msg("m1", "refund"));
    ix.addMessage("s2", msg("m1", "refund"));
    ix.addMessage("s3", msg("m1", "refund"));
    expect(ix.search("refund").size).toBe(3);
    ix.removeSession("s1");
    expect(new Set(ix.search("refund"))).toEqual(new Set(["s2", "s3"]));
    ix.retainOnly(new Set(["s3"]));
    expect([...ix.search("refund")]).toEqual(["s3"]);
    expect(ix.stats()).toMatchObject({ sessions: 1, messages: 1, chars: 6 });
    const v = ix.version.value;
    ix.removeSession("nope");
    expect(ix.version.value).toBe(v);
  });

  it("gives the newest match as a short snippet in its original case, inside its message", () => {
    const ix = createKeywordIndex();
    ix.addMessage("s1", msg("m1", "My Flamingo-shaped lamp arrived broken, the box was crushed and wet."));
    ix.addMessage("s1", msg("m2", "Can you help me with that?"));
    expect(ix.snippet("s1", "FLAMINGO", 12)).toBe("My Flamingo-shaped lamp…");
    expect(ix.snippet("s1", "box", 8)).toBe("…en, the box was cru…");
    expect(ix.snippet("s1", "help")).toBe("Can you help me with that?"); // never spans into another message
    expect(ix.snippet("s1", "refund")).toBeNull();
    expect(ix.snippet("s2", "lamp")).toBeNull();
    // An edited message and an evicted one follow the index.
    ix.addMessage("s1", msg("m2", "Could you HELP, please"));
    expect(ix.snippet("s1", "help")).toBe("Could you HELP, please");
    const small = createKeywordIndex({ maxMessagesPerSession: 1 });
    small.addMessage("s1", msg("m1", "old lamp"));
    small.addMessage("s1", msg("m2", "new Lamp"));
    expect(small.snippet("s1", "lamp")).toBe("new Lamp");
  });

  it("a transcript longer than a session's share is indexed from its newest end, once, without churn", () => {
    const ix = createKeywordIndex({ maxMessagesPerSession: 3 });
    const transcript = Array.from({ length: 10 }, (_, i) => msg(`m${i}`, `word${i}`));
    ix.syncTranscript("s1", transcript);
    expect(ix.search("word9")).toEqual(new Set(["s1"]));
    expect(ix.search("word7")).toEqual(new Set(["s1"]));
    expect(ix.search("word6").size).toBe(0);
    expect(ix.isTruncated("s1")).toBe(true);
    // The same transcript again (each new reply re-syncs it): nothing is added, evicted or announced.
    const version = ix.version.peek();
    ix.syncTranscript("s1", transcript);
    expect(ix.version.peek()).toBe(version);
    // One more message: it goes in, the oldest kept one goes out.
    ix.syncTranscript("s1", [...transcript, msg("m10", "word10")]);
    expect(ix.search("word10")).toEqual(new Set(["s1"]));
    expect(ix.search("word7").size).toBe(0);
  });
});
