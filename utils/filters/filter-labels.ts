/** Words for filter values, as shown on toggles and chips. */
import { CHANNEL_LABEL } from "../format";
import type { Channel, Priority, SessionStatus } from "../protocol";
import type { DurationFilter } from "./filter-spec";

/** The channels' words are the panel's and the notifications' (one definition). */
export const CHANNEL_NAMES: Record<Channel, string> = CHANNEL_LABEL;

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
