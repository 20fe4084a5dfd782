import type { RootContent } from "mdast";
import { memo } from "preact/compat";
import { useMemo, useRef } from "preact/hooks";
import { type BlockStream, createBlockStream, type FormatMode, parseMarkdown } from "@/utils/markdown";
import { type RenderContext, renderBlock, renderBlocks } from "./markdown-render";

/**
 * Sanitized formatted text — markdown or a channel's native formatting, never
 * raw HTML — for every message kind and the canned-reply preview.
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
  const nodes = useMemo(
    () => renderBlocks(parseMarkdown(text, mode).children, { keyword }),
    [text, mode, keyword],
  );
  return <div class={cls ? `md ${cls}` : "md"}>{nodes}</div>;
}

const STREAMING: RenderContext = { keyword: "" };

/** One finished block of a streaming reply: the same node object is never rendered twice. */
const FinishedBlock = memo(function FinishedBlock({ node }: { node: RootContent }) {
  return <>{renderBlock(node, STREAMING)}</>;
});

/**
 * A reply whose tokens are still arriving: finished blocks are parsed and
 * rendered once; only the live last block is parsed again as text arrives
 * (utils/markdown/streaming.ts). An unclosed fence shows as code so far; a
 * table appears once its header and delimiter row are complete.
 */
export function StreamingMarkdown({
  text,
  mode,
  class: cls,
}: {
  text: string;
  mode: FormatMode;
  class?: string;
}) {
  const stream = useRef<{ mode: FormatMode; blocks: BlockStream } | null>(null);
  if (stream.current?.mode !== mode) stream.current = { mode, blocks: createBlockStream(mode) };
  const { done, live } = stream.current.blocks.update(text);
  return (
    <div class={cls ? `md ${cls}` : "md"}>
      {done.map((b) => (
        <FinishedBlock key={b.key} node={b.node} />
      ))}
      {live.map((b) => (
        <FinishedBlock key={b.key} node={b.node} />
      ))}
    </div>
  );
}
