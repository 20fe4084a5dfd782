import { formatCost, formatDuration, formatTokens } from "@/utils/format";
import type { Session } from "@/utils/protocol";
import { type HandoffWaitProps, handoffWait, RiskChip, SentimentChip } from "./signals";

/** The conversation's running totals (as the gateway sent them), latest sentiment and highest risk. */
export function SessionTotalsLine({ session: s }: { session: Session }) {
  const t = s.totals;
  return (
    <div class="session-totals" data-slot="session-totals">
      {t && (
        <>
          <span data-total="cost" title="Cost of this session so far">
            {formatCost(t.cost_usd)}
          </span>
          <span data-total="tokens" title={`${t.input_tokens} input and ${t.output_tokens} output tokens`}>
            {formatTokens(t.input_tokens + t.output_tokens)} tokens
          </span>
          <span data-total="replies">
            {t.replies} {t.replies === 1 ? "reply" : "replies"}
          </span>
          {t.avg_latency_ms !== undefined && (
            <span data-total="latency" title="Average and slowest reply time">
              avg {formatDuration(t.avg_latency_ms)}
              {t.p95_latency_ms !== undefined ? ` · p95 ${formatDuration(t.p95_latency_ms)}` : ""}
            </span>
          )}
        </>
      )}
      {s.sentiment !== undefined && <SentimentChip value={s.sentiment} />}
      {s.risk && <RiskChip risk={s.risk} compact />}
    </div>
  );
}

/** The AI's hand-off request, its reason in words and how long it has waited. */
export function HandoffBanner(props: HandoffWaitProps) {
  const t = handoffWait(props);
  const { handoff } = props;
  return (
    // Not a live region: the waiting time changes every second and is not announced (role timer).
    <div class={`handoff-banner handoff-${t.level}`} data-level={t.level}>
      <strong>The AI asked for a human</strong>
      <span class="handoff-reason">{handoff.reason}</span>
      <span class="handoff-wait" role="timer">
        {t.text}
      </span>
    </div>
  );
}
