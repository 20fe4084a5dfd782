/**
 * The tree every message text becomes: an mdast root (CommonMark + the GFM
 * parts in use), plus the two channel-only inline nodes Telegram has —
 * underline and spoiler. The renderer knows only these types; anything else
 * cannot reach the DOM.
 */
import type { Parent, PhrasingContent, Root } from "mdast";

export interface Underline extends Parent {
  type: "underline";
  children: PhrasingContent[];
}

export interface Spoiler extends Parent {
  type: "spoiler";
  children: PhrasingContent[];
}

declare module "mdast" {
  interface PhrasingContentMap {
    underline: Underline;
    spoiler: Spoiler;
  }
  interface RootContentMap {
    underline: Underline;
    spoiler: Spoiler;
  }
}

export type { Root };

/**
 * How a text is written: `markdown` (CommonMark + GFM tables, task lists,
 * strikethrough, autolinks), the channels' native formatting (`whatsapp`:
 * *bold* _italic_ ~strike~ ```mono```; `telegram`: MarkdownV2 — *bold* _italic_
 * __underline__ ~strike~ ||spoiler|| [link](url)), or `plain` (line breaks and
 * bare links only).
 */
export type FormatMode = "markdown" | "whatsapp" | "telegram" | "plain";
