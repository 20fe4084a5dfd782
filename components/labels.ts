/** Words shown for protocol values, in one place. */
import type { ConnectionState } from "@/utils/panel-protocol";
import type { Channel, SessionStatus } from "@/utils/protocol";

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

export const CONNECTION_LABEL: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  polling: "Polling",
  offline: "Disconnected",
  unauthorized: "Unauthorized",
};
