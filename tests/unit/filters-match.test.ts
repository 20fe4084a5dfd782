import { describe, expect, it } from "vitest";
import {
  clearDimension,
  decodeFilterSpec,
  deriveChips,
  EMPTY_FILTER,
  type FilterSpec,
  highlightRanges,
  isFilterActive,
  matchSession,
  sameFilter,
  splitByRanges,
} from "@/utils/filters";
import type { Session } from "@/utils/protocol";
import { makeSession } from "../fixtures/frames";

const T0 = Date.parse("2026-06-24T16:30:00.000Z");
const MIN = 60_000;
const ses = (o: Record<string, unknown> = {}) =>
  makeSession({ started_at: new Date(T0).toISOString(), ...o }) as Session;
const spec = (o: Partial<FilterSpec>): FilterSpec => ({ ...EMPTY_FILTER, ...o });

describe("matchSession — each filter", () => {
  it("no filter matches everything", () => {
    expect(matchSession(EMPTY_FILTER, ses(), T0)).toBe(true);
    expect(isFilterActive(EMPTY_FILTER)).toBe(false);
  });

  it("agents: 'all', a list, and none", () => {
    const s = ses({ agent: { id: "agt_a", name: "A", color: "#000" } });
    expect(matchSession(spec({ agents: "all" }), s, T0)).toBe(true);
    expect(matchSession(spec({ agents: ["agt_a", "agt_b"] }), s, T0)).toBe(true);
    expect(matchSession(spec({ agents: ["agt_b"] }), s, T0)).toBe(false);
    expect(matchSession(spec({ agents: [] }), s, T0)).toBe(false);
  });

  it("channel, priority and status are OR inside, AND across", () => {
    const s = ses({ channel: "whatsapp", priority: "high", status: "error" });
    expect(matchSession(spec({ channels: ["whatsapp"] }), s, T0)).toBe(true);
    expect(matchSession(spec({ channels: ["web", "telegram"] }), s, T0)).toBe(false);
    expect(matchSession(spec({ priorities: ["urgent", "high"] }), s, T0)).toBe(true);
    expect(matchSession(spec({ priorities: ["low"] }), s, T0)).toBe(false);
    expect(matchSession(spec({ statuses: ["error"] }), s, T0)).toBe(true);
    expect(matchSession(spec({ statuses: ["active", "paused"] }), s, T0)).toBe(false);
    expect(
      matchSession(spec({ channels: ["whatsapp"], priorities: ["high"], statuses: ["error"] }), s, T0),
    ).toBe(true);
    expect(matchSession(spec({ channels: ["whatsapp"], priorities: ["low"] }), s, T0)).toBe(false);
  });

  it("duration: longer/shorter than N minutes, crossing as now advances", () => {
    const s = ses();
    const longer = spec({ duration: { op: "longer", minutes: 10 } });
    const shorter = spec({ duration: { op: "shorter", minutes: 10 } });
    expect(matchSession(longer, s, T0 + 9 * MIN)).toBe(false);
    expect(matchSession(shorter, s, T0 + 9 * MIN)).toBe(true);
    expect(matchSession(longer, s, T0 + 10 * MIN)).toBe(false); // exactly N is neither longer…
    expect(matchSession(shorter, s, T0 + 10 * MIN)).toBe(false); // …nor shorter
    expect(matchSession(longer, s, T0 + 10 * MIN + 1)).toBe(true);
    expect(matchSession(shorter, s, T0 + 10 * MIN + 1)).toBe(false);
  });

  it("duration: an unreadable start time never matches a duration filter", () => {
    const s = { ...ses(), started_at: "not a date" } as Session;
    expect(matchSession(spec({ duration: { op: "shorter", minutes: 5 } }), s, T0)).toBe(false);
  });

  it("keyword: index hits or the preview, case-insensitive, trimmed", () => {
    const s = ses({ id: "ses_1", preview: "Where is my REFUND?" });
    expect(matchSession(spec({ keyword: "  refund " }), s, T0, null)).toBe(true);
    expect(matchSession(spec({ keyword: "invoice" }), s, T0, null)).toBe(false);
    expect(matchSession(spec({ keyword: "invoice" }), s, T0, new Set(["ses_1"]))).toBe(true);
    expect(matchSession(spec({ keyword: "invoice" }), s, T0, new Set(["ses_2"]))).toBe(false);
    expect(matchSession(spec({ keyword: "   " }), s, T0, new Set())).toBe(true);
  });

  it("a combination of every filter", () => {
    const full = spec({
      agents: ["agt_support"],
      channels: ["web"],
      priorities: ["urgent"],
      statuses: ["active"],
      duration: { op: "longer", minutes: 1 },
      keyword: "order",
    });
    const s = ses({ priority: "urgent" });
    expect(matchSession(full, s, T0 + 2 * MIN)).toBe(true);
    expect(matchSession(full, s, T0)).toBe(false);
    expect(matchSession(full, { ...s, status: "paused" } as Session, T0 + 2 * MIN)).toBe(false);
    expect(matchSession(full, { ...s, preview: "hello" } as Session, T0 + 2 * MIN)).toBe(false);
    expect(matchSession(full, { ...s, preview: "hello" } as Session, T0 + 2 * MIN, new Set([s.id]))).toBe(
      true,
    );
  });
});

describe("spec helpers", () => {
  it("validates stored specs and names the bad field", () => {
    expect(decodeFilterSpec(EMPTY_FILTER)).toEqual({ ok: true, spec: EMPTY_FILTER });
    const bad = decodeFilterSpec({ ...EMPTY_FILTER, priorities: ["critical"] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^priorities\.0/);
    expect(decodeFilterSpec({ ...EMPTY_FILTER, duration: { op: "longer", minutes: -1 } }).ok).toBe(false);
    expect(decodeFilterSpec({ ...EMPTY_FILTER, channels: ["web", "web"] }).ok).toBe(false);
    expect(decodeFilterSpec("nope").ok).toBe(false);
  });

  it("compares specs ignoring list order and keyword case", () => {
    expect(
      sameFilter(spec({ priorities: ["urgent", "high"] }), spec({ priorities: ["high", "urgent"] })),
    ).toBe(true);
    expect(sameFilter(spec({ keyword: "Refund " }), spec({ keyword: "refund" }))).toBe(true);
    expect(sameFilter(spec({ agents: [] }), spec({ agents: "all" }))).toBe(false);
    expect(sameFilter(spec({ duration: { op: "longer", minutes: 1 } }), spec({}))).toBe(false);
  });
});

describe("chips", () => {
  it("one chip per active filter, each removable", () => {
    const s = spec({
      agents: ["agt_a", "agt_b"],
      channels: ["whatsapp"],
      priorities: ["urgent", "high"],
      statuses: ["error"],
      duration: { op: "longer", minutes: 10 },
      keyword: "Refund",
    });
    const chips = deriveChips(s, (id) => (id === "agt_a" ? "Alpha" : id));
    expect(chips.map((c) => [c.id, c.label])).toEqual([
      ["agents", "Agents: Alpha, agt_b"],
      ["channels", "Channel: WhatsApp"],
      ["priorities", "Priority: Urgent, High"],
      ["statuses", "Status: Error"],
      ["duration", "Longer than 10 min"],
      ["keyword", "Keyword: “refund”"],
    ]);
    for (const c of chips) {
      expect(c.without).toEqual(clearDimension(s, c.id));
      expect(deriveChips(c.without).some((x) => x.id === c.id)).toBe(false);
    }
    expect(deriveChips(EMPTY_FILTER)).toEqual([]);
    expect(deriveChips(spec({ agents: [] }))[0]?.label).toBe("Agents: none");
    expect(deriveChips(spec({ channels: ["web", "sip", "phone", "telegram"] }))[0]?.label).toBe(
      "Channel: Web, SIP, Phone +1",
    );
  });
});

describe("highlightRanges", () => {
  it("finds every case-insensitive occurrence", () => {
    expect(highlightRanges("Refund please, my refund!", "REFUND")).toEqual([
      [0, 6],
      [18, 24],
    ]);
    expect(highlightRanges("aaaa", "aa")).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(highlightRanges("text", "")).toEqual([]);
    expect(highlightRanges("", "x")).toEqual([]);
  });

  it("treats regex characters literally", () => {
    expect(highlightRanges("cost (USD) is 1.5", "(usd)")).toEqual([[5, 10]]);
    expect(highlightRanges("a.b axb", "a.b")).toEqual([[0, 3]]);
    expect(highlightRanges("x", ".*")).toEqual([]);
  });

  it("maps back when lower-casing changes the length", () => {
    const text = "İstanbul refund";
    const r = highlightRanges(text, "refund");
    expect(r).toEqual([[9, 15]]);
    expect(text.slice(9, 15)).toBe("refund");
  });

  it("caps the number of ranges and splits text into parts", () => {
    expect(highlightRanges("a".repeat(50), "a", 10)).toHaveLength(10);
    expect(splitByRanges("say hi now", [[4, 6]])).toEqual([
      { text: "say ", match: false },
      { text: "hi", match: true },
      { text: " now", match: false },
    ]);
    expect(splitByRanges("", [])).toEqual([{ text: "", match: false }]);
  });
});
