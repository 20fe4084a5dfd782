import { memo } from "preact/compat";
import { clockTime, formatPercent } from "@/utils/format";
import { messageMode } from "@/utils/markdown";
import { confidenceLow } from "@/utils/panel";
import type { Channel, Message } from "@/utils/protocol";
import { AttachmentView } from "./attachment-view";
import { useDisplayPrefs } from "./display-prefs";
import { ReplySignals, UserSignals } from "./insight";
import { Markdown } from "./markdown";

const SYSTEM_LABEL: Record<NonNullable<Message["system_kind"]>, string> = {
  user_joined: "Joined",
  agent_transferred: "Transferred",
  handoff_initiated: "Handoff",
  paused: "Paused",
  resumed: "Resumed",
  notice: "Notice",
};

export interface MessageViewProps {
  message: Message;
  channel?: Channel;
  userName?: string;
  agentName?: string;
  /** Set on the agent message that a stream just completed. */
  completed?: boolean;
  /** The active keyword filter, whose matches are marked. */
  keyword?: string;
}

/**
 * Re-renders only when its props change: the panel keeps unchanged messages
 * the same objects across patches (`shareMessages`), so a streaming reply
 * does not re-render the transcript above it.
 */
export const MessageView = memo(MessageViewBody);

function MessageViewBody({
  message: m,
  channel,
  userName,
  agentName,
  completed,
  keyword = "",
}: MessageViewProps) {
  if (m.role === "system" && m.whisper) {
    return (
      <div
        class="message message-system message-whisper"
        data-message-id={m.id}
        data-role="system"
        data-whisper="true"
      >
        <span class="system-kind whisper-label">Whisper — not shown to the user</span>
        <Markdown
          class="system-text whisper-text"
          text={m.text}
          mode={messageMode(m, channel)}
          keyword={keyword}
        />
        <time class="message-time" dateTime={m.ts}>
          {clockTime(m.ts)}
        </time>
      </div>
    );
  }
  if (m.role === "system") {
    const kind = m.system_kind ?? "notice";
    return (
      <div
        class={`message message-system system-${kind}`}
        data-message-id={m.id}
        data-role="system"
        data-system-kind={kind}
      >
        <span class="system-kind">{SYSTEM_LABEL[kind]}</span>
        <Markdown class="system-text" text={m.text} mode={messageMode(m, channel)} keyword={keyword} />
        <time class="message-time" dateTime={m.ts}>
          {clockTime(m.ts)}
        </time>
      </div>
    );
  }
  const voice = m.voice;
  const interim = voice !== undefined && !voice.is_final;
  const author =
    m.role === "user"
      ? (voice?.speaker ?? userName ?? "User")
      : m.role === "agent"
        ? (agentName ?? "Agent")
        : "Supervisor";
  return (
    <div
      class={`message message-${m.role}${interim ? " interim" : ""}`}
      data-message-id={m.id}
      data-role={m.role}
      data-stream-state={completed ? "complete" : undefined}
    >
      <div class="message-head">
        <span class="message-author">{author}</span>
        {voice && (
          <span class="voice-tag" title="Voice transcript">
            voice
          </span>
        )}
        {voice && <VoiceConfidence confidence={voice.confidence} />}
        {interim && <span class="voice-interim">interim</span>}
        {m.overridden && <span class="overridden-tag">overridden by supervisor</span>}
        {m.role === "user" && <UserSignals m={m} />}
        {m.role === "agent" && <ReplySignals latency={m.latency_ms} usage={m.usage} />}
        <time class="message-time" dateTime={m.ts}>
          {clockTime(m.ts)}
        </time>
      </div>
      {m.text && (
        <Markdown class="message-body" text={m.text} mode={messageMode(m, channel)} keyword={keyword} />
      )}
      {m.attachments && m.attachments.length > 0 && (
        <div class="attachments">
          {m.attachments.map((a, i) => (
            <AttachmentView key={`${i}:${a.url}`} a={a} />
          ))}
        </div>
      )}
    </div>
  );
}

/** Every voice line's recognition confidence, quietly; below the threshold in the options it stands out. */
function VoiceConfidence({ confidence }: { confidence: number }) {
  const low = confidenceLow(confidence, useDisplayPrefs());
  return (
    <span
      class={`voice-confidence${low ? " voice-confidence-low" : ""}`}
      title={low ? "Low speech recognition confidence" : "Speech recognition confidence"}
      data-confidence={confidence}
      data-low={low ? "true" : undefined}
    >
      {low && <span aria-hidden="true">⚠ </span>}
      {low ? `low ${formatPercent(confidence)}` : formatPercent(confidence)}
    </span>
  );
}
