/**
 * The one renderer of message text: an mdast tree (utils/markdown) → Preact
 * elements. Only the element names and attributes written here are produced;
 * text is always a text node (Preact escapes it), so markup in a message
 * shows as literal text. No innerHTML anywhere. A link's url passes safeHref
 * (http, https, mailto) or only its words are shown.
 */
import type { List, ListItem, PhrasingContent, RootContent, Table } from "mdast";
import type { ComponentChildren } from "preact";
import { safeHref } from "@/utils/markdown";
import { Highlight } from "./filters";
import { CodeBlock } from "./markdown-code";

/** `keyword`: the active keyword filter, whose matches are marked. */
export interface RenderContext {
  keyword: string;
}

export function renderBlocks(nodes: readonly RootContent[], ctx: RenderContext): ComponentChildren[] {
  return nodes.map((n, i) => renderBlock(n, ctx, i));
}

export function renderBlock(n: RootContent, ctx: RenderContext, key?: number): ComponentChildren {
  switch (n.type) {
    case "paragraph":
      return <p key={key}>{phrasing(n.children, ctx)}</p>;
    case "heading":
      return (
        // biome-ignore lint/a11y/useSemanticElements: a heading inside a chat bubble keeps the bubble's paragraph styling
        <p key={key} class={`md-h md-h${n.depth}`} role="heading" aria-level={n.depth}>
          {phrasing(n.children, ctx)}
        </p>
      );
    case "thematicBreak":
      return <hr key={key} />;
    case "blockquote":
      return <blockquote key={key}>{renderBlocks(n.children, ctx)}</blockquote>;
    case "list":
      return list(n, ctx, key);
    case "code":
      return <CodeBlock key={key} code={n.value} lang={n.lang ?? ""} keyword={ctx.keyword} />;
    case "table":
      return table(n, ctx, key);
    case "html":
      return <p key={key}>{text(n.value, ctx)}</p>;
    default:
      return isPhrasing(n) ? phrasing([n], ctx) : null;
  }
}

function isPhrasing(n: RootContent): n is PhrasingContent {
  return !["definition", "listItem", "tableRow", "tableCell", "footnoteDefinition", "yaml"].includes(n.type);
}

function list(n: List, ctx: RenderContext, key?: number) {
  const items = n.children.map((item, i) => listItem(item, n.spread === true, ctx, i));
  if (!n.ordered) return <ul key={key}>{items}</ul>;
  const start = n.start ?? 1;
  return (
    <ol key={key} start={start === 1 ? undefined : start}>
      {items}
    </ol>
  );
}

function listItem(item: ListItem, loose: boolean, ctx: RenderContext, key: number) {
  const tight = !loose && item.spread !== true;
  const body = item.children.map((c, i) =>
    tight && c.type === "paragraph" ? phrasing(c.children, ctx) : renderBlock(c, ctx, i),
  );
  if (typeof item.checked !== "boolean") return <li key={key}>{body}</li>;
  return (
    <li key={key} class={item.checked ? "md-task md-task-done" : "md-task"}>
      <span class="md-task-box" role="img" aria-label={item.checked ? "Done:" : "To do:"}>
        {item.checked ? "☑" : "☐"}
      </span>{" "}
      {body}
    </li>
  );
}

const ALIGN = { left: "md-al-left", center: "md-al-center", right: "md-al-right" } as const;

/** A table scrolls sideways inside its bubble: a focusable, named region so the keyboard can scroll it. */
function table(n: Table, ctx: RenderContext, key?: number) {
  const [head, ...rows] = n.children;
  const cellClass = (i: number) => {
    const a = n.align?.[i];
    return a ? ALIGN[a] : undefined;
  };
  const label = head
    ? `Table: ${head.children.map((c) => plainText(c.children)).join(", ")}`.slice(0, 120)
    : "Table";
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
    <section key={key} class="md-table-wrap" aria-label={label} tabIndex={0}>
      <table>
        {head && (
          <thead>
            <tr>
              {head.children.map((c, i) => (
                <th key={i} scope="col" class={cellClass(i)}>
                  {phrasing(c.children, ctx)}
                </th>
              ))}
            </tr>
          </thead>
        )}
        {rows.length > 0 && (
          <tbody>
            {rows.map((r, j) => (
              <tr key={j}>
                {r.children.map((c, i) => (
                  <td key={i} class={cellClass(i)}>
                    {phrasing(c.children, ctx)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        )}
      </table>
    </section>
  );
}

function plainText(nodes: readonly PhrasingContent[]): string {
  return nodes.map((n) => ("value" in n ? n.value : "children" in n ? plainText(n.children) : "")).join("");
}

function phrasing(nodes: readonly PhrasingContent[], ctx: RenderContext): ComponentChildren[] {
  return nodes.map((n, i) => inline(n, ctx, i));
}

function inline(n: PhrasingContent, ctx: RenderContext, key: number): ComponentChildren {
  switch (n.type) {
    case "text":
    case "html":
      return text(n.value, ctx);
    case "break":
      return <br key={key} />;
    case "inlineCode":
      return <code key={key}>{text(n.value, ctx)}</code>;
    case "strong":
      return <strong key={key}>{phrasing(n.children, ctx)}</strong>;
    case "emphasis":
      return <em key={key}>{phrasing(n.children, ctx)}</em>;
    case "delete":
      return <del key={key}>{phrasing(n.children, ctx)}</del>;
    case "underline":
      return <u key={key}>{phrasing(n.children, ctx)}</u>;
    case "spoiler":
      return (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: focus reveals the spoiler, as hover does
        <span key={key} class="md-spoiler" tabIndex={0} title="Spoiler">
          {phrasing(n.children, ctx)}
        </span>
      );
    case "link": {
      const href = safeHref(n.url);
      const label = n.children.length > 0 ? phrasing(n.children, ctx) : text(n.url, ctx);
      if (!href) return <span key={key}>{label}</span>;
      return (
        <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">
          {label}
        </a>
      );
    }
    case "image":
      return text(n.alt ?? "", ctx);
    case "linkReference":
      return <span key={key}>{phrasing(n.children, ctx)}</span>;
    default:
      return null;
  }
}

/** Text with its line breaks as <br> (chat: a single newline is a new line), keyword matches marked. */
function text(value: string, ctx: RenderContext): ComponentChildren {
  const mark = ctx.keyword.trim() !== "";
  if (!mark && !value.includes("\n")) return value;
  return value.split("\n").flatMap((line, i) => {
    const t = mark && line ? <Highlight text={line} keyword={ctx.keyword} /> : line;
    return i === 0 ? [t] : [<br />, t];
  });
}
