import { useMemo } from "preact/hooks";
import { type FormatMode, renderFormatted } from "@/utils/markdown";

/** Sanitized formatted text: markdown or a channel's native formatting, never raw HTML. */
export function Markdown({ text, mode, class: cls }: { text: string; mode: FormatMode; class?: string }) {
  const nodes = useMemo(() => renderFormatted(text, mode), [text, mode]);
  return <div class={cls ? `md ${cls}` : "md"}>{nodes}</div>;
}
