import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { isPlainValidSession } from "@/utils/panel-messages/fast-session";
import { Session } from "@/utils/protocol";
import { makeSession } from "../fixtures/frames";

const schemaOk = (x: unknown) => v.safeParse(Session, x).success;

describe("fast session check", () => {
  it("accepts well-formed sessions", () => {
    for (const s of [
      makeSession(),
      makeSession({ user: { id: "u" }, monitored_by: ["admin_1"], metadata: { a: 1 }, tags: [] }),
      makeSession({
        started_at: "2026-06-24T16:30:00Z",
        last_activity_at: "2026-06-24T18:30:00.123456+02:00",
      }),
      makeSession({
        sentiment: -0.5,
        risk: { score: 0.9, reason: "Legal threat" },
        totals: { cost_usd: 0.01, input_tokens: 10, output_tokens: 2, replies: 1, avg_latency_ms: 800 },
        handoff: { reason: "Refund above the limit", requested_at: "2026-06-24T16:30:00.000Z" },
      }),
      makeSession({ handoff: null }),
      makeSession({ human_queue: null }),
      makeSession({
        human_queue: {
          status: "picked_up",
          at: "2026-06-24T16:31:00.000Z",
          queued_at: "2026-06-24T16:30:00.000Z",
          expires_at: "2026-06-24T16:33:00.000Z",
          by: { id: "hum_sam", name: "Sam Lee" },
        },
      }),
    ]) {
      expect(isPlainValidSession(s)).toBe(true);
      expect(schemaOk(s)).toBe(true);
    }
  });

  it("never accepts what the schema refuses", () => {
    const bad: Record<string, unknown[]> = {
      id: ["", "x".repeat(201), 5, null],
      agent: [null, {}, { id: "", name: "n", color: "c" }, { id: "a", name: 1, color: "c" }, []],
      channel: ["fax", "", null],
      user: [null, { id: "" }, { id: "u", name: 3 }],
      priority: ["mega", null],
      status: ["gone", null],
      started_at: ["yesterday", "2026-13-01T00:00:00Z", "2026-06-24", 0],
      last_activity_at: ["2026-06-24T25:00:00Z", "2026-06-24T16:30:00", null],
      preview: ["x".repeat(81), 1, null],
      message_count: [-1, 1.5, "3", Number.NaN],
      monitored_by: ["a", [""], [1]],
      tags: ["t", [1]],
      metadata: ["m", 1, null],
      sentiment: [-1.5, 2, "0.5", null, Number.NaN],
      risk: [null, 0.5, { score: 2, reason: "r" }, { score: 0.5 }, { score: 0.5, reason: "x".repeat(501) }],
      totals: [null, { cost_usd: -1, input_tokens: 0, output_tokens: 0, replies: 0 }, { cost_usd: 0 }],
      handoff: ["h", { reason: "r" }, { reason: 1, requested_at: "2026-06-24T16:30:00Z" }],
      human_queue: [
        "q",
        { status: "gone", at: "2026-06-24T16:30:00Z" },
        { status: "waiting" },
        { status: "waiting", at: "2026-06-24T16:30:00Z", expires_at: "soon" },
        { status: "picked_up", at: "2026-06-24T16:30:00Z", by: { id: "", name: "S" } },
      ],
    };
    let checked = 0;
    for (const [field, values] of Object.entries(bad)) {
      for (const value of values) {
        const s = makeSession({ [field]: value });
        if (isPlainValidSession(s)) expect(schemaOk(s), `${field}=${JSON.stringify(value)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(isPlainValidSession(makeSession({ channel: "fax" }))).toBe(false);
    expect(isPlainValidSession(null)).toBe(false);
  });
});
