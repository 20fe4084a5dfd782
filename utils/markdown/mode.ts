import type { Channel, Message } from "../protocol";
import type { FormatMode } from "./nodes";

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

/**
 * A message's formatting. Text a supervisor wrote in the panel — an override,
 * a take-over reply, a whisper, a system note — is markdown whatever its wire
 * `format` says (the gateway sends it as "text"): the panel's compose fields
 * and canned replies are written, and previewed, as markdown.
 */
export function messageMode(
  m: Pick<Message, "format" | "role" | "overridden" | "whisper">,
  channel: Channel | undefined,
): FormatMode {
  const bySupervisor =
    m.role === "supervisor" || m.role === "system" || m.overridden === true || m.whisper === true;
  return formatModeFor(bySupervisor ? "markdown" : m.format, channel);
}
