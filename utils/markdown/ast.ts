/** The tree the parser builds: only these node types exist, so nothing else can reach the DOM. */
export type Inline =
  | { t: "text"; v: string }
  | { t: "br" }
  | { t: "code"; v: string }
  | { t: "strong" | "em" | "del" | "u" | "spoiler"; c: Inline[] }
  /** `href` has passed safeHref: only http(s) and mailto. */
  | { t: "link"; href: string; c: Inline[] };

export type Block =
  | { t: "p"; c: Inline[] }
  | { t: "h"; level: number; c: Inline[] }
  | { t: "pre"; v: string }
  | { t: "ul"; items: Inline[][] }
  | { t: "ol"; start: number; items: Inline[][] }
  | { t: "quote"; c: Block[] };

/**
 * How a text is written: `markdown` (CommonMark subset), the channels' native
 * formatting (`whatsapp`: *bold* _italic_ ~strike~ ```mono```; `telegram`:
 * MarkdownV2 — *bold* _italic_ __underline__ ~strike~ ||spoiler|| [link](url)),
 * or `plain` (line breaks and bare links only).
 */
export type FormatMode = "markdown" | "whatsapp" | "telegram" | "plain";
