// @vitest-environment happy-dom
/**
 * Property tests of the message renderer: whatever the text, only elements
 * and attributes from the allow-list reach the DOM, every link is http(s) or
 * mailto with rel="noopener noreferrer", and a streamed reply split into
 * finished blocks plus a live tail is the same tree as the whole text parsed
 * at once.
 */
import fc from "fast-check";
import { render } from "preact";
import { afterAll, describe, expect, it } from "vitest";
import { Markdown, StreamingMarkdown } from "@/components/markdown";
import { createBlockStream, type FormatMode, parseMarkdown, type StreamBlocks } from "@/utils/markdown";
import { parseBlocks } from "@/utils/markdown/parse";
import { ALLOWED_ELEMENTS, ATTRIBUTES_BY_ELEMENT } from "../fixtures/markdown-allowlist";

const MODES: FormatMode[] = ["markdown", "whatsapp", "telegram", "plain"];

/** Pieces that make markdown (and attacks on it) likely, joined at random. */
const PIECES = [
  "*",
  "**",
  "_",
  "__",
  "~",
  "~~",
  "`",
  "```",
  "```js\n",
  "~~~",
  "||",
  "|",
  " | ",
  "|---|",
  "|:-:|",
  "---",
  "- ",
  "* ",
  "1. ",
  "2) ",
  "> ",
  "# ",
  "### ",
  "[ ] ",
  "[x] ",
  "  ",
  "    ",
  "\t",
  "\n",
  "\n\n",
  "\r\n",
  "[",
  "]",
  "(",
  ")",
  "](",
  "![",
  "<",
  ">",
  "&amp;",
  "&#0;",
  "&#x1F600;",
  "&bogus;",
  "\\",
  "\\*",
  "https://a.example/p?q=1",
  "www.b.example",
  "mailto:x@y.example",
  "x@y.example",
  "javascript:alert(1)",
  "data:text/html,x",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '" onmouseover="x',
  "word",
  "ünï",
  "😀",
  " ",
];
const markdownish = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((a) => a.join(""));
const anyText = fc.oneof(
  markdownish,
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 80 }),
);

const root = document.createElement("div");
document.body.append(root);
afterAll(() => {
  render(null, root);
  root.remove();
});

function checkDom(el: HTMLElement, input: string): void {
  for (const node of el.querySelectorAll("*")) {
    expect(ALLOWED_ELEMENTS.has(node.tagName), `${JSON.stringify(input)} made <${node.tagName}>`).toBe(true);
    const allowed = ATTRIBUTES_BY_ELEMENT[node.tagName] ?? [];
    for (const attr of node.getAttributeNames())
      expect(
        attr === "class" || allowed.includes(attr),
        `${JSON.stringify(input)}: <${node.tagName} ${attr}>`,
      ).toBe(true);
  }
  for (const a of el.querySelectorAll("a")) {
    expect(a.getAttribute("href") ?? "").toMatch(/^(https?:\/\/[^\s"<>]+|mailto:[^\s"<>]+)$/);
    expect(a.getAttribute("rel")).toContain("noopener");
    expect(a.getAttribute("rel")).toContain("noreferrer");
    expect(a.getAttribute("target")).toBe("_blank");
  }
}

describe("any text renders only allowed elements and attributes", () => {
  for (const mode of MODES)
    it(`${mode}: whole messages`, () => {
      fc.assert(
        fc.property(anyText, fc.constantFrom("", "a", "refund"), (text, keyword) => {
          render(<Markdown text={text} mode={mode} keyword={keyword} />, root);
          checkDom(root, text);
        }),
        { numRuns: 300 },
      );
    });

  it("markdown: a reply streamed in random pieces", () => {
    fc.assert(
      fc.property(fc.array(markdownish, { minLength: 1, maxLength: 8 }), (parts) => {
        render(null, root);
        let text = "";
        for (const p of parts) {
          text += p;
          render(<StreamingMarkdown text={text} mode="markdown" />, root);
          checkDom(root, text);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("streaming splits into finished blocks without changing them", () => {
  it("finished blocks plus the rest parsed alone equal the whole text parsed at once", () => {
    const noDefinitions = markdownish.filter((t) => !t.includes("]:"));
    fc.assert(
      fc.property(fc.array(noDefinitions, { minLength: 1, maxLength: 6 }), (parts) => {
        const stream = createBlockStream("markdown");
        let text = "";
        let last: StreamBlocks | null = null;
        for (const p of parts) {
          text += p;
          last = stream.update(text);
        }
        if (!last) return;
        const normal = text.replace(/\r\n?/g, "\n");
        const rest = parseBlocks(normal.slice(last.liveFrom), "markdown").blocks.map((b) => b.node);
        const streamed = [...last.done.map((b) => b.node), ...rest];
        expect(streamed).toEqual(parseMarkdown(normal, "markdown").children);
      }),
      { numRuns: 300 },
    );
  });
});
