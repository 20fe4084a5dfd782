/** Words shown for protocol values (the panel and the worker's notifications use the same). */
import type { Channel, SessionStatus } from "../protocol";

export const CHANNEL_LABEL: Record<Channel, string> = {
  web: "Web",
  phone: "Phone",
  telegram: "Telegram",
  whatsapp: "WhatsApp",
  mobile_sdk: "Mobile SDK",
  sip: "SIP",
};

export const STATUS_LABEL: Record<SessionStatus, string> = {
  active: "Active",
  thinking: "Thinking…",
  streaming: "Agent typing…",
  paused: "Paused",
  error: "Error",
  transferring: "Transferring…",
  ended: "Ended",
};
