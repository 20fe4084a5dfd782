import type { Channel } from "../protocol";
import type { FormatMode } from "./ast";

/**
 * Which formatting a message is shown with: a channel's own formatting where
 * it has one (what the user actually typed or saw), else markdown for
 * markdown messages and plain text for text messages.
 */
export function formatModeFor(format: "text" | "markdown", channel: Channel | undefined): FormatMode {
  if (channel === "whatsapp") return "whatsapp";
  if (channel === "telegram") return "telegram";
  return format === "markdown" ? "markdown" : "plain";
}
