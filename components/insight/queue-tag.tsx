/**
 * The human queue on a card (issue 24): "Waiting for a human · 0:42" while a
 * transferred session waits (the hand-off timer's thresholds and colours), then
 * "Picked up by Sam Lee" or "Nobody picked it up" with the wait in the title.
 */
import type { ReadonlySignal } from "@preact/signals";
import { formatElapsed } from "@/utils/format";
import { type HandoffThresholds, waitTimer } from "@/utils/panel";
import type { HumanQueueState } from "@/utils/protocol";

/** How long the session waited before this outcome ("0:42"), or "" when unknown. */
function waited(q: HumanQueueState): string {
  const from = Date.parse(q.queued_at ?? "");
  const to = Date.parse(q.at);
  return Number.isNaN(from) || Number.isNaN(to) ? "" : formatElapsed(Math.max(0, to - from));
}

/** The card's words for the queue (also its accessible name). */
export function queueText(q: HumanQueueState, now: number): string {
  if (q.status === "waiting")
    return `Waiting for a human · ${formatElapsed(now - Date.parse(q.queued_at ?? q.at))}`;
  const w = waited(q);
  if (q.status === "picked_up") return `Picked up by ${q.by?.name ?? "a person"}${w ? ` after ${w}` : ""}`;
  return `Nobody picked it up${w ? ` within ${w}` : ""}`;
}

export function QueueTag({
  queue: q,
  now,
  thresholds,
}: {
  queue: HumanQueueState;
  now: ReadonlySignal<number>;
  thresholds: ReadonlySignal<HandoffThresholds>;
}) {
  if (q.status === "waiting") {
    const t = waitTimer(q.queued_at ?? q.at, now.value, thresholds.value);
    const text = `Waiting for a human · ${formatElapsed(t.elapsedMs)}`;
    return (
      <span
        class={`handoff-timer queue-tag handoff-${t.level}`}
        data-queue="waiting"
        data-level={t.level}
        role="timer"
        title="Transferred to the human queue: nobody has picked it up yet"
        aria-label={`${text}${t.level === "waiting" ? "" : ` (${t.level})`}`}
      >
        {text}
      </span>
    );
  }
  const full = queueText(q, now.value);
  const short = q.status === "picked_up" ? `Picked up: ${q.by?.name ?? "a person"}` : "Nobody picked up";
  return (
    <span class={`queue-tag queue-${q.status}`} data-queue={q.status} title={full}>
      {short}
    </span>
  );
}
