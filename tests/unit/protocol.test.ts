import { describe, expect, it } from "vitest";
import {
  checkCommand,
  decodeClientFrame,
  decodeServerFrame,
  decodeServerFrames,
  EVENT_KINDS,
  previewOf,
  statusAfter,
} from "../../utils/protocol";
import {
  EVENT_DATA_FIXTURES,
  INVALID_CLIENT_FRAMES,
  INVALID_SERVER_FRAMES,
  makeEvent,
  makeSession,
  TAKEN_OVER_EVENT,
  VALID_CLIENT_FRAMES,
  VALID_SERVER_FRAMES,
} from "../fixtures/frames";

describe("server frames", () => {
  it.each(Object.entries(VALID_SERVER_FRAMES))(
    "decodes valid %s, from an object and from JSON text",
    (_, frame) => {
      for (const input of [frame, JSON.stringify(frame)]) {
        const r = decodeServerFrame(input);
        if (!r.ok) throw new Error(`${r.error.path}: ${r.error.message}`);
        expect(r.value.type).toBe((frame as { type: string }).type);
      }
    },
  );

  it.each(INVALID_SERVER_FRAMES.map((f) => [f.name, f] as const))("refuses %s, naming the field", (_, f) => {
    const r = decodeServerFrame(f.input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.path).toBe(f.path);
      expect(r.error.message.length).toBeGreaterThan(3);
    }
  });

  it("keeps unknown optional fields (forward compatibility)", () => {
    const r = decodeServerFrame({ ...(VALID_SERVER_FRAMES.pong as object), extra: { x: 1 } });
    expect(r.ok && (r.value as Record<string, unknown>).extra).toEqual({ x: 1 });
  });

  it("reports the cursor of an event whose data is malformed, so the client can skip it", () => {
    const r = decodeServerFrame(makeEvent("message_sent", { id: "m" }, 42));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.envelope).toEqual({ epoch: "e_fixture1", seq: 42, kind: "message_sent" });
  });

  it("unpacks a batch into frames judged one by one", () => {
    const frames = decodeServerFrames({
      type: "batch",
      frames: [
        makeEvent("agent_thinking", { message_id: "a" }, 1),
        { type: "pong" },
        VALID_SERVER_FRAMES.metrics,
      ],
    });
    expect(frames.map((f) => f.ok)).toEqual([true, false, true]);
    const bad = frames[1];
    if (bad && !bad.ok) expect(bad.error.path).toBe("frames.1.id");
  });

  it("decodes server frames larger than the 64 KiB client limit (a snapshot of thousands of sessions)", () => {
    const sessions = Array.from({ length: 3000 }, (_, i) => makeSession({ id: `ses_${i}` }));
    const text = JSON.stringify({ ...(VALID_SERVER_FRAMES.snapshot as object), sessions });
    expect(text.length).toBeGreaterThan(512 * 1024);
    const r = decodeServerFrame(text);
    expect(r.ok && r.value.type === "snapshot" && r.value.sessions.length).toBe(3000);
  });

  it("has a fixture for every event kind", () => {
    expect(Object.keys(EVENT_DATA_FIXTURES).sort()).toEqual([...EVENT_KINDS].sort());
    for (const kind of EVENT_KINDS) expect(VALID_SERVER_FRAMES[`event:${kind}`]).toBeDefined();
  });
});

describe("client frames", () => {
  it.each(Object.entries(VALID_CLIENT_FRAMES))("decodes valid %s", (_, frame) => {
    const r = decodeClientFrame(JSON.stringify(frame));
    if (!r.ok) throw new Error(`${r.error.path}: ${r.error.message}`);
    expect(r.value.type).toBe((frame as { type: string }).type);
  });

  it("refuses a client frame over 64 KiB", () => {
    const r = decodeClientFrame(JSON.stringify({ type: "watch", session_ids: ["x".repeat(70 * 1024)] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/larger than 64 KiB/);
  });

  it.each(INVALID_CLIENT_FRAMES.map((f) => [f.name, f] as const))("refuses %s", (_, f) => {
    const r = decodeClientFrame(f.input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.path).toBe(f.path);
  });
});

describe("issue 12 extensions", () => {
  it("decode a take-over holder on a session, and its release", () => {
    const held = decodeServerFrames(JSON.stringify(TAKEN_OVER_EVENT))[0];
    expect(held?.ok).toBe(true);
    const released = { ...TAKEN_OVER_EVENT, data: { taken_over_by: null } };
    expect(decodeServerFrames(JSON.stringify(released))[0]?.ok).toBe(true);
    const bad = { ...TAKEN_OVER_EVENT, data: { taken_over_by: { name: "x" } } };
    expect(decodeServerFrames(JSON.stringify(bad))[0]?.ok).toBe(false);
  });
});

describe("command semantics", () => {
  const base = { action: "pause" as const, reason: "Escalating to senior" };
  it("accepts a reasoned pause", () => expect(checkCommand(base)).toBeNull());
  it.each([undefined, "", "  ", "ab", "x".repeat(501)])(
    "requires a 3–500 character reason (%j)",
    (reason) => {
      expect(checkCommand({ ...base, reason })?.code).toBe("REASON_REQUIRED");
    },
  );
  it("requires text for system messages and overrides", () => {
    expect(checkCommand({ ...base, action: "system_message", payload: {} })?.code).toBe("VALIDATION_FAILED");
    expect(checkCommand({ ...base, action: "override", payload: { text: "Use this" } })).toBeNull();
  });
  it("requires the instruction of a whisper", () => {
    expect(checkCommand({ ...base, action: "whisper", payload: {} })?.code).toBe("VALIDATION_FAILED");
    expect(checkCommand({ ...base, action: "whisper", payload: { text: " " } })?.code).toBe(
      "VALIDATION_FAILED",
    );
    expect(checkCommand({ ...base, action: "whisper", payload: { text: "Offer the discount" } })).toBeNull();
  });
  it("requires exactly one transfer target", () => {
    expect(checkCommand({ ...base, action: "transfer", payload: {} })?.code).toBe("VALIDATION_FAILED");
    expect(
      checkCommand({ ...base, action: "transfer", payload: { agent_id: "a", queue: "human" } })?.code,
    ).toBe("VALIDATION_FAILED");
    expect(checkCommand({ ...base, action: "transfer", payload: { queue: "bots" } })?.code).toBe(
      "VALIDATION_FAILED",
    );
    expect(checkCommand({ ...base, action: "transfer", payload: { queue: "human" } })).toBeNull();
    expect(checkCommand({ ...base, action: "transfer", payload: { agent_id: "agt_2" } })).toBeNull();
  });
});

describe("session rules shared by the gateway and the worker", () => {
  it("derives the status from the conversation's events", () => {
    expect(statusAfter("active", "agent_thinking")).toBe("thinking");
    expect(statusAfter("error", "agent_thinking")).toBe("thinking");
    expect(statusAfter("paused", "agent_thinking")).toBe("paused");
    expect(statusAfter("thinking", "stream_started")).toBe("streaming");
    expect(statusAfter("paused", "stream_started")).toBe("paused");
    expect(statusAfter("transferring", "stream_started")).toBe("transferring");
    expect(statusAfter("streaming", "message_sent", "agent")).toBe("active");
    expect(statusAfter("streaming", "message_received", "user")).toBe("streaming");
    expect(statusAfter("paused", "message_sent", "agent")).toBe("paused");
    // A transfer ends with the new agent's first reply, not with the user's message.
    expect(statusAfter("transferring", "message_received", "user")).toBe("transferring");
    expect(statusAfter("transferring", "message_sent", "agent")).toBe("active");
    expect(statusAfter("active", "session_updated")).toBe("active");
  });
  it("makes a one-line preview of at most 80 characters", () => {
    expect(previewOf("  two\n lines ")).toBe("two lines");
    const p = previewOf("x".repeat(200));
    expect(p).toHaveLength(80);
    expect(p.endsWith("…")).toBe(true);
  });
});
