import type { ReadonlySignal } from "@preact/signals";
import {
  formatCost,
  formatDuration,
  formatPercent,
  formatSentiment,
  formatTokens,
  riskLevel,
  sentimentTone,
} from "@/utils/format";
import { type HandoffThresholds, riskNotable, sentimentNotable, waitTimer } from "@/utils/panel";
import type { Handoff, Message, Risk, Usage } from "@/utils/protocol";
import { useDisplayPrefs } from "../display-prefs";

const TONE_LABEL = { negative: "Negative", neutral: "Neutral", positive: "Positive" } as const;
const TONE_ICON = { negative: "☹", neutral: "•", positive: "☺" } as const;

export function SentimentChip({ value }: { value: number }) {
  const tone = sentimentTone(value);
  const label = `${TONE_LABEL[tone]} sentiment (${formatSentiment(value)})`;
  return (
    <span
      class={`sentiment-chip sentiment-${tone}`}
      title={label}
      data-sentiment={value}
      role="img"
      aria-label={label}
    >
      <span aria-hidden="true">
        {TONE_ICON[tone]} {formatSentiment(value)}
      </span>
    </span>
  );
}

/** Risk as a percentage coloured by level; the reason is in the tooltip and in the accessible name. */
export function RiskChip({ risk, compact = false }: { risk: Risk; compact?: boolean }) {
  const level = riskLevel(risk.score);
  const label = `Risk ${formatPercent(risk.score)}: ${risk.reason}`;
  return (
    <span
      class={`risk-chip risk-${level}`}
      title={label}
      data-risk={risk.score}
      data-risk-level={level}
      role="img"
      aria-label={label}
    >
      <span aria-hidden="true">
        Risk {formatPercent(risk.score)}
        {!compact && <span class="risk-reason"> · {risk.reason}</span>}
      </span>
    </span>
  );
}

/** The head of a user message: sentiment and risk, each only when notable (thresholds in the options). */
export function UserSignals({ m }: { m: Pick<Message, "sentiment" | "risk"> }) {
  const prefs = useDisplayPrefs();
  const sentiment =
    m.sentiment !== undefined && sentimentNotable(m.sentiment, prefs) ? m.sentiment : undefined;
  const risk = m.risk && riskNotable(m.risk.score, prefs) ? m.risk : undefined;
  if (sentiment === undefined && !risk) return null;
  return (
    <span class="message-signals">
      {sentiment !== undefined && <SentimentChip value={sentiment} />}
      {risk && <RiskChip risk={risk} />}
    </span>
  );
}

/** The head of an agent reply: latency, tokens, cost. */
export function ReplySignals({ latency, usage }: { latency: number | undefined; usage: Usage | undefined }) {
  if (latency === undefined && !usage) return null;
  return (
    <span class="message-signals reply-signals">
      {latency !== undefined && (
        <span class="message-latency" title="Response time" data-latency={latency}>
          {formatDuration(latency)}
        </span>
      )}
      {usage && (
        <>
          <span
            class="reply-tokens"
            title={`${usage.input_tokens} input and ${usage.output_tokens} output tokens`}
            data-tokens={usage.input_tokens + usage.output_tokens}
          >
            {formatTokens(usage.input_tokens + usage.output_tokens)} tokens
          </span>
          <span class="reply-cost" title="Cost of this reply" data-cost={usage.cost_usd}>
            {formatCost(usage.cost_usd)}
          </span>
        </>
      )}
    </span>
  );
}

/** What a hand-off's waiting time is read from: the request, the shared clock and the amber/red thresholds. */
export interface HandoffWaitProps {
  handoff: Handoff;
  now: ReadonlySignal<number>;
  thresholds: ReadonlySignal<HandoffThresholds>;
}

/** How long the hand-off has waited, and its level against the thresholds (reading the clock subscribes to it). */
export function handoffWait({ handoff, now, thresholds }: HandoffWaitProps) {
  return waitTimer(handoff.requested_at, now.value, thresholds.value);
}

/**
 * "waiting 1:23" since the AI asked for a human, amber then red past the
 * thresholds. It alone reads the shared clock, so each tick re-renders this
 * text and nothing else of the card.
 */
export function HandoffTimer(props: HandoffWaitProps) {
  const t = handoffWait(props);
  const { handoff } = props;
  const why = `The AI asked for a human: ${handoff.reason}`;
  return (
    <span
      class={`handoff-timer handoff-${t.level}`}
      data-level={t.level}
      role="timer"
      title={why}
      aria-label={`${t.text}${t.level === "waiting" ? "" : ` (${t.level})`}. ${why}`}
    >
      {t.text}
    </span>
  );
}
