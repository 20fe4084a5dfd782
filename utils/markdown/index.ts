export { formatModeFor, messageMode } from "./mode";
export type { FormatMode, Spoiler, Underline } from "./nodes";
export { MAX_FORMATTED_CHARS, MAX_NESTING, parseMarkdown } from "./parse";
export { safeHref, safeMediaSrc } from "./safe-href";
export {
  type BlockStream,
  createBlockStream,
  type StreamBlock,
  type StreamBlocks,
  settleTail,
} from "./streaming";
