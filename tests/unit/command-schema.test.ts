import { describe, expect, it } from "vitest";
import { type Action, checkCommand, checkReason, decodeCommand } from "../../utils/protocol";

const reason = "Escalating to senior";
const long = "x".repeat(4001);

/** Per action: a payload it accepts, and payloads it refuses with the exact message on the wire. */
const CASES: Record<Action, { good: Record<string, unknown> | undefined; bad: [unknown, string][] }> = {
  pause: { good: undefined, bad: [] },
  resume: { good: { anything: 1 }, bad: [] },
  cobrowse_start: { good: undefined, bad: [] },
  cobrowse_stop: { good: {}, bad: [] },
  take_over: { good: undefined, bad: [] },
  hand_back: { good: undefined, bad: [] },
  system_message: {
    good: { text: "We will be right back." },
    bad: [
      [undefined, "payload.text: a non-empty text is required."],
      [{ text: 5 }, "payload.text: a non-empty text is required."],
      [{ text: long }, "payload.text: at most 4000 characters."],
    ],
  },
  override: { good: { text: "Use this" }, bad: [[{}, "payload.text: a non-empty text is required."]] },
  whisper: {
    good: { text: "Offer the discount" },
    bad: [[{ text: " " }, "payload.text: a non-empty text is required."]],
  },
  takeover_reply: {
    good: { text: "Hello, I am Ana." },
    bad: [[{ text: long }, "payload.text: at most 4000 characters."]],
  },
  transfer: {
    good: { queue: "human" },
    bad: [
      [{}, 'payload: give either agent_id or queue:"human".'],
      [{ agent_id: "a", queue: "human" }, 'payload: give either agent_id or queue:"human".'],
      [{ queue: "bots" }, 'payload.queue: the only queue is "human".'],
    ],
  },
  review_mode: {
    good: { enabled: true, agent_id: "agt_1" },
    bad: [
      [{}, "payload.enabled: true or false is required."],
      [{ enabled: "yes" }, "payload.enabled: true or false is required."],
      [
        { enabled: false, agent_id: "" },
        "payload.agent_id: an agent id, or leave it out for this session only.",
      ],
    ],
  },
  approve_draft: {
    good: { draft_id: "drf_1", text: "Edited" },
    bad: [
      [{}, "payload.draft_id: a draft id is required."],
      [{ draft_id: "drf_1", text: " " }, "payload.text: an edited text must not be empty."],
      [{ draft_id: "drf_1", text: long }, "payload.text: at most 4000 characters."],
    ],
  },
  reject_draft: {
    good: { draft_id: "drf_1", text: " " },
    bad: [[{ draft_id: "" }, "payload.draft_id: a draft id is required."]],
  },
};

describe("the command schema", () => {
  for (const [action, c] of Object.entries(CASES) as [Action, (typeof CASES)[Action]][]) {
    it(`${action}: accepts a good payload and types it`, () => {
      const r = decodeCommand({ cmd_id: "cmd_1", session_id: "ses_1", action, reason, payload: c.good });
      expect(r).toEqual({
        ok: true,
        value: {
          cmd_id: "cmd_1",
          session_id: "ses_1",
          action,
          reason,
          ...(c.good ? { payload: c.good } : {}),
        },
      });
    });
    for (const [payload, message] of c.bad)
      it(`${action}: refuses ${JSON.stringify(payload)} with "${message}"`, () => {
        expect(checkCommand({ action, reason, payload: payload as Record<string, unknown> })).toEqual({
          code: "VALIDATION_FAILED",
          message,
        });
      });
  }

  it("checks the reason before the payload, with its own code", () => {
    expect(checkCommand({ action: "whisper", payload: {} })).toEqual({
      code: "REASON_REQUIRED",
      message: "A reason is required.",
    });
    expect(checkReason(" ab ")).toEqual({
      code: "REASON_REQUIRED",
      message: "The reason must be 3–500 characters (it has 2).",
    });
  });

  it("types the payload by action (a transfer names an agent or the human queue)", () => {
    const r = decodeCommand({
      cmd_id: "c",
      session_id: "s",
      action: "transfer",
      reason,
      payload: { agent_id: "agt_2" },
    });
    if (!r.ok || r.value.action !== "transfer") throw new Error("expected a transfer");
    const to: unknown = r.value.payload.agent_id;
    expect(to).toBe("agt_2");
  });
});
