import { describe, expect, it } from "vitest";
import { settledStreamingText } from "../../utils/markdown/streaming.ts";

describe("settledStreamingText", () => {
  it("holds back a last line that is only a list marker", () => {
    expect(settledStreamingText("Here is what I found:\n-")).toBe("Here is what I found:\n");
    expect(settledStreamingText("Steps:\n  2.")).toBe("Steps:\n");
    expect(settledStreamingText("Here:\n- Order")).toBe("Here:\n- Order");
    expect(settledStreamingText("-")).toBe("");
  });

  it("shows a link being written as its words so far", () => {
    expect(settledStreamingText("Carrier: [track")).toBe("Carrier: track");
    expect(settledStreamingText("Carrier: [track it here]")).toBe("Carrier: track it here");
    expect(settledStreamingText("Carrier: [track it here](https://ex")).toBe("Carrier: track it here");
    const done = "Carrier: [track it here](https://example.com) today";
    expect(settledStreamingText(done)).toBe(done);
  });
});
