import { useComputed } from "@preact/signals";
import { Fragment, type RefObject } from "preact";
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { endReasonOf, endReasonText } from "@/utils/activity/end-reason";
import type { Panel } from "@/utils/panel";
import type { AgentStep, Channel, Message } from "@/utils/protocol";
import { AgentBadge } from "./agent-badge";
import { SessionAlerts } from "./alerts/session-alerts";
import { ChannelLabel } from "./channel-icon";
import { Elapsed } from "./elapsed";
import { AgentSteps, HandoffBanner, QueueTag, SessionTotalsLine } from "./insight";
import { ConversationDrafts, ConversationInterventions } from "./interventions";
import { MessageView } from "./message-view";
import { PresenceTag } from "./presence";
import { userLabel } from "./session-card";
import { StatusBadge } from "./status-badge";
import { StreamingBubble } from "./streaming-bubble";
import { useTranscriptWindow } from "./transcript-window";

export type StreamState = "idle" | "thinking" | "streaming" | "complete";

const NO_STEPS: readonly AgentStep[] = [];
const NO_MESSAGES: readonly Message[] = [];

/** The reply being streamed: the only part of the transcript that re-renders per token; it keeps the bottom in view. */
function LiveReply({
  conversation,
  scroller,
  atBottom,
  channel,
  agentName,
}: {
  conversation: Panel["conversation"];
  scroller: RefObject<HTMLElement | null>;
  atBottom: RefObject<boolean>;
  channel?: Channel;
  agentName?: string;
}) {
  const reply = conversation.transcript.value?.streaming;
  const length = reply?.text.length ?? 0;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [length, scroller, atBottom]);
  return reply ? <StreamingBubble reply={reply} channel={channel} agentName={agentName} /> : null;
}

/**
 * One conversation: the full transcript, then live. Final messages go into a
 * polite live region; the streaming reply is shown below it. Escape (or the
 * back button) returns to the list.
 */
function EndedNotice({ reason }: { reason: string | null }) {
  return (
    <p class="conversation-ended" role="status">
      {reason ? `This session has ended: ${endReasonText(reason)}.` : "This session has ended."}
    </p>
  );
}

/** The slices a conversation reads. */
export type ConversationPanel = Pick<
  Panel,
  "conversation" | "list" | "status" | "activity" | "alerts" | "commands" | "now" | "handoffThresholds"
>;

export function ConversationView({ panel, onBack }: { panel: ConversationPanel; onBack: () => void }) {
  const id = panel.conversation.selectedId.value;
  const s = panel.conversation.selected.value;
  // Each part of the transcript is its own computed: a streaming token changes only the reply
  // (rendered by LiveReply), so this view and its message list do not re-render per token.
  const messages = useComputed(() => panel.conversation.transcript.value?.messages ?? NO_MESSAGES).value;
  const loaded = useComputed(() => panel.conversation.transcript.value?.loaded === true).value;
  const steps = useComputed(() => panel.conversation.transcript.value?.steps).value;
  const draftCount = useComputed(() => panel.conversation.transcript.value?.drafts?.length ?? 0).value;
  const streamingId = useComputed(
    () => panel.conversation.transcript.value?.streaming?.message_id ?? null,
  ).value;
  const phase = useComputed(() => panel.conversation.transcript.value?.streaming?.phase ?? null).value;
  const scroller = useRef<HTMLElement>(null);
  const atBottom = useRef(true);
  const lastStreamed = useRef<string | null>(null);
  const [openSteps, setOpenSteps] = useState<ReadonlySet<string>>(new Set());
  const onToggleSteps = useCallback((messageId: string, open: boolean) => {
    setOpenSteps((prev) => {
      const next = new Set(prev);
      if (open) next.add(messageId);
      else next.delete(messageId);
      return next;
    });
  }, []);
  const stepsProps = (messageId: string) => ({
    messageId,
    steps: stepsByMessage.get(messageId) ?? NO_STEPS,
    open: openSteps.has(messageId),
    onToggle: onToggleSteps,
  });
  const stepsByMessage = useMemo(() => {
    const by = new Map<string, AgentStep[]>();
    for (const step of steps ?? []) {
      const list = by.get(step.message_id);
      if (list) list.push(step);
      else by.set(step.message_id, [step]);
    }
    return by;
  }, [steps]);
  if (streamingId) lastStreamed.current = streamingId;
  const completedId =
    !streamingId && lastStreamed.current && messages.some((m) => m.id === lastStreamed.current)
      ? lastStreamed.current
      : null;
  const state: StreamState = phase ?? (completedId ? "complete" : "idle");
  const win = useTranscriptWindow(id, messages, scroller, atBottom);

  useLayoutEffect(() => {
    scroller.current?.focus({ preventScroll: true });
  }, [id]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, messages.at(-1), streamingId, phase, loaded, steps?.length, draftCount]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      onBack();
    }
  };

  const name = s ? userLabel(s) : (id ?? "");
  return (
    <section
      class="conversation"
      aria-label={`Conversation with ${name}`}
      onKeyDown={onKeyDown}
      data-session-id={id}
    >
      <header class="conversation-header">
        <button type="button" class="back-button" onClick={onBack} aria-label="Back to sessions (Escape)">
          <span aria-hidden="true">←</span>
        </button>
        <div class="conversation-title">
          <h2 class="conversation-user">{name}</h2>
          {s && (
            <div class="conversation-meta">
              <AgentBadge name={s.agent.name} color={s.agent.color} />
              <ChannelLabel channel={s.channel} />
              <StatusBadge status={s.status} />
              {s.human_queue && s.status !== "ended" && (
                <QueueTag queue={s.human_queue} now={panel.now} thresholds={panel.handoffThresholds} />
              )}
              {(s.priority === "high" || s.priority === "urgent") && (
                <span class={`priority-tag priority-tag-${s.priority}`}>
                  {s.priority === "urgent" ? "Urgent" : "High"}
                </span>
              )}
              {s.status !== "ended" && <Elapsed since={s.started_at} now={panel.now} />}
            </div>
          )}
          {s?.totals && <SessionTotalsLine session={s} />}
          {s && <PresenceTag viewers={s.viewers} selfId={panel.status.user.value?.id ?? null} full />}
        </div>
      </header>
      <div class="conversation-toolbar" data-slot="interventions">
        <ConversationInterventions panel={panel} />
      </div>
      {id && <SessionAlerts panel={panel} sessionId={id} />}
      {s?.handoff && s.status !== "ended" && (
        <HandoffBanner handoff={s.handoff} now={panel.now} thresholds={panel.handoffThresholds} />
      )}
      {s?.status === "ended" && (
        <EndedNotice reason={id ? endReasonOf(panel.activity.entries.value, id) : null} />
      )}
      <section
        ref={scroller}
        class="transcript"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it
        tabIndex={0}
        onScroll={onScroll}
        data-stream-state={state}
        aria-label="Transcript"
      >
        {!loaded ? (
          <p class="transcript-loading" role="status">
            Loading the transcript…
          </p>
        ) : null}
        {loaded && messages.length === 0 && !streamingId && <p class="transcript-empty">No messages yet.</p>}
        {win.hidden > 0 && (
          <button type="button" class="show-earlier" onClick={win.showEarlier}>
            Show earlier messages ({win.hidden} more)
          </button>
        )}
        <div class="messages" role="log" aria-live="polite" aria-label="Messages">
          {win.shown.map((m) => (
            <Fragment key={m.id}>
              <MessageView
                message={m}
                channel={s?.channel}
                userName={s ? userLabel(s) : undefined}
                agentName={s?.agent.name}
                completed={m.id === completedId}
                keyword={panel.list.highlight.value}
              />
              {stepsByMessage.has(m.id) && <AgentSteps {...stepsProps(m.id)} />}
            </Fragment>
          ))}
        </div>
        {streamingId && (
          <LiveReply
            key={streamingId}
            conversation={panel.conversation}
            scroller={scroller}
            atBottom={atBottom}
            channel={s?.channel}
            agentName={s?.agent.name}
          />
        )}
        {streamingId && stepsByMessage.has(streamingId) && (
          <AgentSteps key={`steps-${streamingId}`} {...stepsProps(streamingId)} />
        )}
        <ConversationDrafts panel={panel} />
      </section>
    </section>
  );
}
