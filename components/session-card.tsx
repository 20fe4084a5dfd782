import { type ReadonlySignal, signal } from "@preact/signals";
import { cutText, formatCost, formatPercent, plainPreview } from "@/utils/format";
import { DEFAULT_HANDOFF_THRESHOLDS, type HandoffThresholds } from "@/utils/panel/handoff-timer";
import type { Session } from "@/utils/protocol";
import { PREVIEW_MAX } from "@/utils/protocol";
import { AgentBadge } from "./agent-badge";
import { ChannelLabel } from "./channel-icon";
import { Elapsed } from "./elapsed";
import { Highlight } from "./filters/highlight";
import { HandoffTimer, QueueTag, queueText, RiskChip } from "./insight";
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
  /** The panel's own user: presence shows the others. */
  selfId?: string | null;
  /** An unacknowledged alert whose rule highlights this card. */
  alert?: { rule_name: string; why: string } | undefined;
}

export function userLabel(s: Session): string {
  return s.user.name?.trim() || s.user.id;
}

function cardLabel(s: Session, selfId: string | null, now: number): string {
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
  return parts.join(", ");
}

const DEFAULT_THRESHOLDS = signal(DEFAULT_HANDOFF_THRESHOLDS);

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
  selfId = null,
  alert,
}: SessionCardProps) {
  const standsOut = s.priority === "high" || s.priority === "urgent";
  const alertText = alert ? `Rule ‘${alert.rule_name}’ — ${alert.why}` : null;
  const queue = s.human_queue;
  const waits = s.handoff || queue?.status === "waiting";
  // The label reads the clock once (not subscribed): the timer itself ticks on its own.
  const label = cardLabel(s, selfId, now.peek());
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox handles the keyboard (aria-activedescendant)
    <div
      role="option"
      tabIndex={-1}
      id={domId}
      aria-selected={active}
      aria-label={alertText ? `Alert: ${alertText}. ${label}` : label}
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
        <AgentBadge name={s.agent.name} color={s.agent.color} />
        <ChannelLabel channel={s.channel} />
        {s.totals && (
          <span class="card-cost" title="Cost of this session so far" data-cost={s.totals.cost_usd}>
            {formatCost(s.totals.cost_usd)}
          </span>
        )}
        <PresenceTag viewers={s.viewers} selfId={selfId} />
        <Elapsed since={s.started_at} now={now} />
      </div>
      <div class="card-line card-middle">
        <span class="card-user">{userLabel(s)}</span>
        {standsOut && (
          <span class={`priority-tag priority-tag-${s.priority}`}>
            {s.priority === "urgent" ? "Urgent" : "High"}
          </span>
        )}
        {s.handoff && <HandoffTimer handoff={s.handoff} now={now} thresholds={thresholds} />}
        {s.risk && <RiskChip risk={s.risk} compact />}
        {s.taken_over_by && (
          <span
            class="takeover-tag"
            data-holder-id={s.taken_over_by.id}
            title={`Taken over by ${s.taken_over_by.name}`}
          >
            Taken over: {s.taken_over_by.name}
          </span>
        )}
        {alert && (
          <span class="alert-marker" title={alertText ?? undefined}>
            <span aria-hidden="true">⚑</span> {alert.rule_name}
          </span>
        )}
        {queue && <QueueTag queue={queue} now={now} thresholds={thresholds} />}
        {queue?.status !== "waiting" && <StatusBadge status={s.status} />}
      </div>
      <div class="card-line card-preview">
        {s.preview ? (
          <Highlight text={cutText(plainPreview(s.preview), PREVIEW_MAX)} keyword={keyword} />
        ) : (
          "No messages yet"
        )}
      </div>
    </div>
  );
}
