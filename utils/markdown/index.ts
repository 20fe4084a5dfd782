export type { Block, FormatMode, Inline } from "./ast";
export { parseBlocks } from "./blocks";
export { parseInline } from "./inline";
export { formatModeFor } from "./mode";
export { MAX_FORMATTED_CHARS, renderBlocks, renderFormatted, renderInline } from "./render";
export { safeHref, safeMediaSrc } from "./safe-href";
export { settledStreamingText } from "./streaming";
