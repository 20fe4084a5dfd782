import { useMemo } from "preact/hooks";
import { type FormatMode, renderFormatted } from "@/utils/markdown";
import { highlightNodes } from "./filters/highlight-nodes";

/**
 * Sanitized formatted text: markdown or a channel's native formatting, never raw HTML.
 * `keyword` marks its matches (the active keyword filter).
 */
export function Markdown({
  text,
  mode,
  class: cls,
  keyword = "",
}: {
  text: string;
  mode: FormatMode;
  class?: string;
  keyword?: string;
}) {
  const nodes = useMemo(() => highlightNodes(renderFormatted(text, mode), keyword), [text, mode, keyword]);
  return <div class={cls ? `md ${cls}` : "md"}>{nodes}</div>;
}
