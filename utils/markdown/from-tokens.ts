/**
 * marked's tokens → the mdast tree the renderer knows. Only the token types
 * named here become nodes; anything else is dropped. Raw HTML never arrives
 * (its tokenizers are off, see parse.ts), task-list checkboxes become the
 * item's `checked`, images become links (no <img> in a bubble), and text
 * gets its character references decoded (marked leaves `&amp;` for an HTML
 * renderer; this one builds text nodes).
 */
import { characterEntities } from "character-entities";
import type { MarkedToken, Token, Tokens } from "marked";
import type { ListItem, PhrasingContent, RootContent, TableRow } from "mdast";

/** How a paragraph's text becomes inline nodes: marked's inline tokens, or a channel's own rules on the raw text. */
export type InlineOf = (t: { text: string; tokens?: Token[] }) => PhrasingContent[];

export function blockNodes(tokens: readonly Token[], inlineOf: InlineOf): RootContent[] {
  const out: RootContent[] = [];
  for (const t of tokens) {
    const n = blockNode(t, inlineOf);
    if (n) out.push(n);
  }
  return out;
}

export function blockNode(token: Token, inlineOf: InlineOf): RootContent | null {
  const t = token as MarkedToken;
  switch (t.type) {
    case "paragraph":
    case "text":
      return { type: "paragraph", children: inlineOf(t) };
    case "heading":
      return { type: "heading", depth: Math.min(6, Math.max(1, t.depth)) as 1, children: inlineOf(t) };
    case "code":
      return { type: "code", lang: (t.lang ?? "").trim().split(/\s/)[0] || null, value: t.text };
    case "hr":
      return { type: "thematicBreak" };
    case "blockquote":
      return { type: "blockquote", children: blockNodes(t.tokens, inlineOf) as never };
    case "list":
      return {
        type: "list",
        ordered: t.ordered,
        start: t.ordered ? listStart(t.start) : null,
        spread: t.loose,
        children: t.items.map((item) => listItem(item, inlineOf)),
      };
    case "table":
      return {
        type: "table",
        align: t.align.map((a) => a ?? null),
        children: [row(t.header, inlineOf), ...t.rows.map((r) => row(r, inlineOf))],
      };
    case "html":
      return { type: "paragraph", children: [{ type: "text", value: t.raw }] };
    default:
      return null;
  }
}

function listStart(start: number | ""): number {
  const n = Number(start);
  return start === "" || !Number.isSafeInteger(n) ? 1 : n;
}

function listItem(item: Tokens.ListItem, inlineOf: InlineOf): ListItem {
  const children = blockNodes(
    item.tokens.filter((c) => c.type !== "checkbox"),
    inlineOf,
  ) as ListItem["children"];
  return {
    type: "listItem",
    spread: item.loose,
    checked: item.task ? item.checked === true : null,
    children,
  };
}

function row(cells: Tokens.TableCell[], inlineOf: InlineOf): TableRow {
  return { type: "tableRow", children: cells.map((c) => ({ type: "tableCell", children: inlineOf(c) })) };
}

/** marked's inline tokens → mdast phrasing. */
export function inlineNodes(tokens: readonly Token[] | undefined): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const token of tokens ?? []) {
    const t = token as MarkedToken;
    switch (t.type) {
      case "text":
        if (t.tokens?.length) out.push(...inlineNodes(t.tokens));
        else out.push({ type: "text", value: decodeEntities(t.text) });
        break;
      case "escape":
        out.push({ type: "text", value: t.text });
        break;
      case "strong":
        out.push({ type: "strong", children: inlineNodes(t.tokens) });
        break;
      case "em":
        out.push({ type: "emphasis", children: inlineNodes(t.tokens) });
        break;
      case "del":
        out.push({ type: "delete", children: inlineNodes(t.tokens) });
        break;
      case "codespan":
        out.push({ type: "inlineCode", value: t.text });
        break;
      case "br":
        out.push({ type: "break" });
        break;
      case "link":
        out.push({ type: "link", url: decodeEntities(t.href), children: inlineNodes(t.tokens) });
        break;
      case "image":
        out.push({
          type: "link",
          url: decodeEntities(t.href),
          children: [{ type: "text", value: t.text || t.href }],
        });
        break;
      case "html":
        out.push({ type: "text", value: t.raw });
        break;
    }
  }
  return out;
}

const ENTITY = /&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([A-Za-z][A-Za-z\d]{0,31}));/g;

/** CommonMark's entity and numeric character references, decoded; unknown names stay as written. */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(
    ENTITY,
    (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
      if (name !== undefined)
        return Object.hasOwn(characterEntities, name) ? (characterEntities[name] as string) : whole;
      const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex as string, 16);
      return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)
        ? "\uFFFD"
        : String.fromCodePoint(code);
    },
  );
}
