/**
 * `<Highlight text="…" keyword="…" />` renders `text` with every
 * case-insensitive occurrence of `keyword` inside `<mark class="flt-hit">`.
 * Only text nodes are created (Preact escapes them): no HTML of the text is
 * ever interpreted. Use it for list previews and plain-text messages; for
 * rendered Markdown use `highlightElement` (highlight-dom.ts).
 */
import { highlightRanges, splitByRanges } from "@/utils/filters";

export interface HighlightProps {
  text: string;
  keyword: string;
  class?: string;
}

export function Highlight({ text, keyword, class: className }: HighlightProps) {
  const ranges = highlightRanges(text, keyword);
  if (ranges.length === 0) return <span class={className}>{text}</span>;
  return (
    <span class={className}>
      {splitByRanges(text, ranges).map((part, i) =>
        part.match ? (
          <mark key={i} class="flt-hit">
            {part.text}
          </mark>
        ) : (
          part.text
        ),
      )}
    </span>
  );
}

/**
 * Why a card matched the keyword filter when its preview does not show it:
 * a short snippet of the transcript with the match marked.
 */
export function KeywordSnippet({ text, keyword }: { text: string; keyword: string }) {
  return (
    <span class="flt-snippet" data-snippet="">
      <span class="flt-snippet-label">In the conversation: </span>
      <Highlight text={text} keyword={keyword} />
    </span>
  );
}
