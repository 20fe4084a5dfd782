import type { Channel } from "@/utils/protocol";
import { CHANNEL_LABEL } from "./labels";

/** 16×16 line glyphs, drawn here (no icon font, no remote images). */
const PATHS: Record<Channel, string> = {
  web: "M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm-6.5 6.5h13M8 1.5c2 2 2.6 4.3 2.6 6.5S10 12.5 8 14.5M8 1.5C6 3.5 5.4 5.8 5.4 8S6 12.5 8 14.5",
  phone:
    "M3 2.5h2.5l1.2 3-1.6 1a8 8 0 0 0 4.4 4.4l1-1.6 3 1.2V13a1.5 1.5 0 0 1-1.6 1.5A11.5 11.5 0 0 1 1.5 4.1 1.5 1.5 0 0 1 3 2.5Z",
  telegram: "M14.5 2 1.5 7.2l4 1.5 1.6 5 2.3-3 3.6 2.8L14.5 2ZM5.5 8.7l7-5.2-5.2 6.4",
  whatsapp:
    "M2.2 13.8 3 10.9A6.3 6.3 0 1 1 5.2 13l-3 .8ZM6 5.2c0 2.6 2.2 4.8 4.8 4.8l.7-1.2-1.4-.7-.6.6A3.6 3.6 0 0 1 7.3 6.5l.6-.6-.7-1.4L6 5.2Z",
  mobile_sdk: "M5 1.5h6a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1v-11a1 1 0 0 1 1-1Zm2 10.5h2",
  sip: "M2.5 9.5v-2a5.5 5.5 0 0 1 11 0v2m-11 0h2v4h-2v-4Zm11 0h-2v4h2v-4Z",
};

export function ChannelIcon({ channel }: { channel: Channel }) {
  return (
    <svg
      class="channel-icon"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
      data-channel={channel}
    >
      <path d={PATHS[channel]} fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round" />
    </svg>
  );
}

/** Channel icon and its label. */
export function ChannelLabel({ channel }: { channel: Channel }) {
  return (
    <span class="channel" data-channel={channel}>
      <ChannelIcon channel={channel} />
      <span class="channel-label">{CHANNEL_LABEL[channel]}</span>
    </span>
  );
}
