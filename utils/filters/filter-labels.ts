/** Words for filter values, as shown on toggles and chips. */
import type { Channel, Priority, SessionStatus } from "../protocol";
import type { DurationFilter } from "./filter-spec";

export const CHANNEL_NAMES: Record<Channel, string> = {
  web: "Web",
  phone: "Phone",
  telegram: "Telegram",
  whatsapp: "WhatsApp",
  mobile_sdk: "Mobile SDK",
  sip: "SIP",
};

export const PRIORITY_NAMES: Record<Priority, string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  urgent: "Urgent",
};

export const STATUS_NAMES: Record<SessionStatus, string> = {
  active: "Active",
  thinking: "Thinking",
  streaming: "Streaming",
  paused: "Paused",
  error: "Error",
  transferring: "Transferring",
  ended: "Ended",
};

export function durationLabel(d: DurationFilter): string {
  return `${d.op === "longer" ? "Longer" : "Shorter"} than ${d.minutes} min`;
}
