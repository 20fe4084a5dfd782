/**
 * Renders the parsed tree as Preact VNodes. Only fixed element names and the
 * attributes written here are produced; text is always a text node, so markup
 * in a message shows as literal text. No innerHTML anywhere.
 */
import { type ComponentChildren, h } from "preact";
import type { Block, FormatMode, Inline } from "./ast";
import { parseBlocks } from "./blocks";

/** Beyond this a text is shown as plain lines: no formatting, still safe. */
export const MAX_FORMATTED_CHARS = 40_000;

export function renderInline(nodes: Inline[]): ComponentChildren[] {
  return nodes.map(inlineNode);
}

function inlineNode(n: Inline, i: number): ComponentChildren {
  switch (n.t) {
    case "text":
      return n.v;
    case "br":
      return h("br", { key: i });
    case "code":
      return h("code", { key: i }, n.v);
    case "strong":
    case "em":
    case "del":
    case "u":
      return h(n.t, { key: i }, renderInline(n.c));
    case "spoiler":
      return h("span", { key: i, class: "md-spoiler", tabIndex: 0, title: "Spoiler" }, renderInline(n.c));
    case "link":
      return h(
        "a",
        { key: i, href: n.href, target: "_blank", rel: "noopener noreferrer nofollow" },
        renderInline(n.c),
      );
  }
}

export function renderBlocks(blocks: Block[]): ComponentChildren[] {
  return blocks.map(blockNode);
}

function blockNode(b: Block, i: number): ComponentChildren {
  switch (b.t) {
    case "p":
      return h("p", { key: i }, renderInline(b.c));
    case "h":
      return h(
        "p",
        { key: i, class: `md-h md-h${b.level}`, role: "heading", "aria-level": b.level },
        renderInline(b.c),
      );
    case "pre":
      return h("pre", { key: i }, h("code", null, b.v));
    case "ul":
      return h(
        "ul",
        { key: i },
        b.items.map((item, j) => h("li", { key: j }, renderInline(item))),
      );
    case "ol":
      return h(
        "ol",
        { key: i, start: b.start },
        b.items.map((item, j) => h("li", { key: j }, renderInline(item))),
      );
    case "quote":
      return h("blockquote", { key: i }, renderBlocks(b.c));
  }
}

/** Parse and render a text in the given mode. */
export function renderFormatted(text: string, mode: FormatMode): ComponentChildren[] {
  if (text.length > MAX_FORMATTED_CHARS) return renderBlocks(parseBlocks(text, "plain"));
  return renderBlocks(parseBlocks(text, mode));
}
