import { formatModeFor } from "@/utils/markdown";
import type { StreamingReply as Reply } from "@/utils/panel-messages";
import type { Channel } from "@/utils/protocol";
import { StreamingMarkdown } from "./markdown";

/**
 * The agent's in-flight reply: "thinking" (animated) until tokens flow, then
 * the text so far with a caret. It sits outside the transcript's live region
 * (tokens are not announced); the final message takes its place. A min-height
 * keeps the layout from jumping between the two phases.
 */
export function StreamingBubble({
  reply,
  channel,
  agentName,
}: {
  reply: Reply;
  channel?: Channel;
  agentName?: string;
}) {
  return (
    <div
      class={`message message-agent streaming-reply phase-${reply.phase}`}
      data-message-id={reply.message_id}
      data-stream-state={reply.phase}
      aria-hidden={reply.phase === "streaming" ? "true" : undefined}
    >
      <div class="message-head">
        <span class="message-author">{agentName ?? "Agent"}</span>
        <span class="stream-phase">{reply.phase === "thinking" ? "thinking" : "typing"}</span>
      </div>
      {reply.phase === "thinking" || reply.text === "" ? (
        <div class="thinking-dots" role="status" aria-label="Agent is thinking">
          <i />
          <i />
          <i />
        </div>
      ) : (
        <div class="streaming-text">
          <StreamingMarkdown
            class="message-body"
            text={reply.text}
            mode={formatModeFor("markdown", channel)}
          />
          <span class="caret" aria-hidden="true" />
        </div>
      )}
    </div>
  );
}
