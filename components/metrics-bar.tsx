import { formatCost, formatDuration, formatPercent } from "@/utils/format";
import type { PanelModel } from "@/utils/panel";

/**
 * Active sessions, started in the last hour, average and p95 response time, spend over the last hour,
 * intervention rate — live. (p95 and cost come from gateways that report AI insight; "—" otherwise.)
 */
export function MetricsBar({ model }: { model: PanelModel }) {
  const m = model.metrics.value;
  const stale = model.connection.value?.state !== "connected";
  const items: [string, string][] = [
    ["Active", m ? String(m.active_sessions) : "—"],
    ["Last hour", m ? String(m.started_last_hour) : "—"],
    ["Avg reply", m ? formatDuration(m.avg_response_ms) : "—"],
    ["p95 reply", m?.p95_response_ms !== undefined ? formatDuration(m.p95_response_ms) : "—"],
    ["Cost / h", m?.cost_per_hour_usd !== undefined ? formatCost(m.cost_per_hour_usd) : "—"],
    ["Interventions", m ? formatPercent(m.intervention_rate) : "—"],
  ];
  return (
    <dl
      class={`metrics${stale ? " stale" : ""}`}
      aria-label={stale ? "Metrics (not live)" : "Metrics"}
      data-stale={stale}
    >
      {items.map(([label, value]) => (
        <div class="metric" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
