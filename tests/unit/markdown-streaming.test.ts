import { describe, expect, it } from "vitest";
import {
  createBlockStream,
  type StreamBlock,
  settledStreamingText,
  settleTail,
} from "../../utils/markdown/streaming.ts";

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

describe("settleTail", () => {
  it("holds back a table until its header and delimiter row are complete, then shows rows as they come", () => {
    expect(settleTail("Plans:\n| Plan | Pri", "paragraph")).toBe("Plans:\n");
    expect(settleTail("| Plan | Price |\n", "paragraph")).toBe("");
    expect(settleTail("| Plan | Price |\n|---|--", "paragraph")).toBe("");
    expect(settleTail("| Plan | Price |\n|---|---|\n| Pro | 2", "table")).toBe(
      "| Plan | Price |\n|---|---|\n| Pro | 2",
    );
  });

  it("holds back a fence being opened and leaves code alone", () => {
    expect(settleTail("Run:\n``", "paragraph")).toBe("Run:\n");
    expect(settleTail("```js\nconst a = [1, 2", "code")).toBe("```js\nconst a = [1, 2");
  });
});

describe("createBlockStream", () => {
  const reply =
    "Here are the plans:\n\n| Plan | Price |\n|---|---:|\n| Basic | 5 |\n| Pro | 12 |\n\nInstall it:\n\n```sh\nnpm i x\n```\n\n- [x] done\n- [ ] next\n";

  it("keeps finished blocks as the same objects and parses only the live tail", () => {
    const stream = createBlockStream("markdown");
    let previous: readonly StreamBlock[] = [];
    let pipesShown = 0;
    for (let n = 1; n <= reply.length; n++) {
      const { done, live } = stream.update(reply.slice(0, n));
      // What was finished stays finished, as the very same node objects.
      for (const [i, b] of previous.entries()) expect(done[i]).toBe(b);
      previous = done;
      for (const b of live) {
        const first = b.node.type === "paragraph" ? b.node.children[0] : undefined;
        if (first?.type === "text" && first.value.startsWith("|")) pipesShown++;
      }
    }
    expect(previous.map((b) => b.node.type)).toEqual(["paragraph", "table", "paragraph", "code"]);
    // The table never showed as a paragraph of pipes; an unclosed fence showed as code as soon as it opened.
    expect(pipesShown).toBe(0);
    const fenceOpen = reply.indexOf("```sh\n") + 6;
    const atFence = createBlockStream("markdown").update(reply.slice(0, fenceOpen + 3));
    const last = atFence.live[atFence.live.length - 1]?.node;
    expect(last?.type).toBe("code");
    expect(last?.type === "code" && last.value).toBe("npm");
  });

  it("starts over when the text is not a continuation", () => {
    const stream = createBlockStream("markdown");
    stream.update("First paragraph.\n\nSecond paragraph.\n\nThird");
    const { done, live } = stream.update("Another reply");
    expect(done).toEqual([]);
    expect(live.map((b) => b.node.type)).toEqual(["paragraph"]);
  });
});
