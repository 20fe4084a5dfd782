/** Words shown for protocol values, in one place. */
import type { ConnectionState } from "@/utils/panel-messages";

export { CHANNEL_LABEL, STATUS_LABEL } from "@/utils/format";

export const CONNECTION_LABEL: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  polling: "Polling",
  offline: "Disconnected",
  unauthorized: "Unauthorized",
};
