import { type ReadonlySignal, signal } from "@preact/signals";
import { cutText, formatCost, formatPercent, formatSentiment, plainPreview } from "@/utils/format";
import {
  DEFAULT_HANDOFF_THRESHOLDS,
  type HandoffThresholds,
  riskNotable,
  sentimentNotable,
} from "@/utils/panel";
import type { Session } from "@/utils/protocol";
import { PREVIEW_MAX } from "@/utils/protocol";
import { AgentBadge } from "./agent-badge";
import { ChannelLabel } from "./channel-icon";
import { type Chip, ChipRow } from "./chip-row";
import { useDisplayPrefs } from "./display-prefs";
import { Elapsed } from "./elapsed";
import { Highlight, KeywordSnippet } from "./filters";
import { Icon } from "./icons";
import { HandoffTimer, QueueTag, queueText, RiskChip, SentimentChip } from "./insight";
import { CHANNEL_LABEL, STATUS_LABEL } from "./labels";
import { othersViewing, PresenceTag } from "./presence";
import { StatusBadge } from "./status-badge";

export interface SessionCardProps {
  session: Session;
  now: ReadonlySignal<number>;
  /** When a hand-off request's waiting timer turns amber and red. */
  thresholds?: ReadonlySignal<HandoffThresholds>;
  active?: boolean;
  onOpen?: (id: string) => void;
  /** DOM id, for aria-activedescendant. */
  domId?: string;
  style?: Record<string, string | number>;
  posinset?: number;
  setsize?: number;
  /** The active keyword filter, whose matches are marked in the preview. */
  keyword?: string;
  /** Where the keyword matched when the preview does not show it (a snippet of the transcript). */
  snippet?: string | null;
  /** The panel's own user: presence shows the others. */
  selfId?: string | null;
  /** An unacknowledged alert whose rule highlights this card. */
  alert?: { rule_name: string; why: string } | undefined;
}

export function userLabel(s: Session): string {
  return s.user.name?.trim() || s.user.id;
}

/** The card's accessible description (its name is its visible text, which starts with the user). */
function cardDescription(s: Session, selfId: string | null, snippet: string | null, now: number): string {
  const parts = [`${userLabel(s)} with ${s.agent.name}`, CHANNEL_LABEL[s.channel], STATUS_LABEL[s.status]];
  if (s.priority === "high" || s.priority === "urgent") parts.push(`${s.priority} priority`);
  if (s.handoff) parts.push(`waiting for a human: ${s.handoff.reason}`);
  if (s.human_queue) parts.push(queueText(s.human_queue, now));
  if (s.taken_over_by) parts.push(`taken over by ${s.taken_over_by.name}`);
  const others = othersViewing(s.viewers, selfId);
  if (others.length > 0) parts.push(`also viewing: ${others.map((v) => v.name).join(", ")}`);
  if (s.risk) parts.push(`risk ${formatPercent(s.risk.score)} (${s.risk.reason})`);
  if (s.totals) parts.push(`cost ${formatCost(s.totals.cost_usd)}`);
  if (s.preview) parts.push(`last message: ${cutText(s.preview, PREVIEW_MAX)}`);
  if (snippet) parts.push(`keyword found in the conversation: ${snippet}`);
  return parts.join(", ");
}

const DEFAULT_THRESHOLDS = signal(DEFAULT_HANDOFF_THRESHOLDS);

/** The card's less important chips, in the order they give way to "+N". */
function cardChips(
  s: Session,
  selfId: string | null,
  alert: { rule_name: string } | undefined,
  alertText: string | null,
  prefs: ReturnType<typeof useDisplayPrefs>,
): Chip[] {
  const chips: Chip[] = [];
  if (alert)
    chips.push({
      key: "alert",
      text: `Alert: ${alert.rule_name}`,
      node: (
        <span class="alert-marker" title={alertText ?? undefined}>
          <Icon name="flag" size={12} /> {alert.rule_name}
        </span>
      ),
    });
  if (s.priority === "high" || s.priority === "urgent") {
    const word = s.priority === "urgent" ? "Urgent" : "High";
    chips.push({
      key: "priority",
      text: word,
      node: <span class={`priority-tag priority-tag-${s.priority}`}>{word}</span>,
    });
  }
  if (s.risk && riskNotable(s.risk.score, prefs))
    chips.push({
      key: "risk",
      text: `Risk ${formatPercent(s.risk.score)}`,
      node: <RiskChip risk={s.risk} compact />,
    });
  if (s.sentiment !== undefined && sentimentNotable(s.sentiment, prefs))
    chips.push({
      key: "sentiment",
      text: `Sentiment ${formatSentiment(s.sentiment)}`,
      node: <SentimentChip value={s.sentiment} />,
    });
  if (s.taken_over_by)
    chips.push({
      key: "takeover",
      text: `Taken over: ${s.taken_over_by.name}`,
      node: (
        <span
          class="takeover-tag"
          data-holder-id={s.taken_over_by.id}
          title={`Taken over by ${s.taken_over_by.name}`}
        >
          Taken over: {s.taken_over_by.name}
        </span>
      ),
    });
  const others = othersViewing(s.viewers, selfId);
  if (others.length > 0)
    chips.push({
      key: "presence",
      text: `Also viewing: ${others.map((v) => v.name).join(", ")}`,
      node: <PresenceTag viewers={s.viewers} selfId={selfId} />,
    });
  if (s.totals)
    chips.push({
      key: "cost",
      text: formatCost(s.totals.cost_usd),
      node: (
        <span class="card-cost" title="Cost of this session so far" data-cost={s.totals.cost_usd}>
          {formatCost(s.totals.cost_usd)}
        </span>
      ),
    });
  return chips;
}

/** One session in the list: a fixed-height card, so the virtual list can place it without measuring. */
export function SessionCard({
  session: s,
  now,
  thresholds = DEFAULT_THRESHOLDS,
  active = false,
  onOpen,
  domId,
  style,
  posinset,
  setsize,
  keyword = "",
  snippet = null,
  selfId = null,
  alert,
}: SessionCardProps) {
  const alertText = alert ? `Rule ‘${alert.rule_name}’ — ${alert.why}` : null;
  const prefs = useDisplayPrefs();
  const queue = s.human_queue;
  const waits = s.handoff || queue?.status === "waiting";
  // The description reads the clock once (not subscribed): the timer itself ticks on its own.
  const description = cardDescription(s, selfId, snippet, now.peek());
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox handles the keyboard (aria-activedescendant)
    <div
      role="option"
      tabIndex={-1}
      id={domId}
      aria-selected={active}
      aria-description={alertText ? `Alert: ${alertText}. ${description}` : description}
      aria-posinset={posinset}
      aria-setsize={setsize}
      class={`session-card priority-${s.priority}${active ? " active" : ""}${waits ? " handoff-waiting" : ""}${alert ? " alerted" : ""}`}
      data-session-id={s.id}
      data-alerted={alert ? "true" : undefined}
      data-priority={s.priority}
      data-status={s.status}
      style={style}
      onClick={() => onOpen?.(s.id)}
    >
      <div class="card-line card-top">
        <span class="card-user">{userLabel(s)}</span>
        {/* While it waits in the human queue, the queue's tag below says more than "Transferring…". */}
        {queue?.status !== "waiting" && <StatusBadge status={s.status} />}
        <Elapsed since={s.started_at} now={now} />
      </div>
      <div class="card-line card-middle">
        <AgentBadge name={s.agent.name} color={s.agent.color} />
        <ChannelLabel channel={s.channel} />
        <ChipRow chips={cardChips(s, selfId, alert, alertText, prefs)} />
      </div>
      <div class="card-line card-bottom">
        {s.handoff && <HandoffTimer handoff={s.handoff} now={now} thresholds={thresholds} />}
        {queue && <QueueTag queue={queue} now={now} thresholds={thresholds} />}
        <span class="card-preview">
          {snippet && keyword ? (
            <KeywordSnippet text={snippet} keyword={keyword} />
          ) : s.preview ? (
            <Highlight text={cutText(plainPreview(s.preview), PREVIEW_MAX)} keyword={keyword} />
          ) : (
            "No messages yet"
          )}
        </span>
      </div>
    </div>
  );
}
