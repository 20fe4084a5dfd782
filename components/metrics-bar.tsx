import { computed } from "@preact/signals";
import { useMemo } from "preact/hooks";
import { formatCost, formatDuration, formatPercent } from "@/utils/format";
import type { MetricsSample } from "@/utils/metrics-history/sample-ring";
import type { Panel } from "@/utils/panel";
import type { Metrics } from "@/utils/protocol";
import { Sparkline } from "./sparkline";

interface MetricDef {
  /** The visible label: short enough for a 320 px panel. */
  short: string;
  /**
   * The accessible name and tooltip. It starts with the visible label (WCAG 2.5.3, axe
   * label-content-name-mismatch): the rest is in the term as visually hidden text.
   */
  full: string;
  value: (m: Metrics) => string;
  /** Drawn as a sparkline of the last hour when present. */
  trend?: { name: string; pick: (s: MetricsSample) => number | undefined; format: (n: number) => string };
}

const DEFS: MetricDef[] = [
  {
    short: "Active",
    full: "Active sessions",
    value: (m) => String(m.active_sessions),
    trend: { name: "Active sessions", pick: (s) => s.active, format: String },
  },
  { short: "Started", full: "Started in the last hour", value: (m) => String(m.started_last_hour) },
  {
    short: "Avg reply",
    full: "Avg reply time (moving average)",
    value: (m) => formatDuration(m.avg_response_ms),
    trend: { name: "Average reply time", pick: (s) => s.avg_ms, format: formatDuration },
  },
  {
    short: "p95 reply",
    full: "p95 reply time (95th percentile)",
    value: (m) => (m.p95_response_ms !== undefined ? formatDuration(m.p95_response_ms) : "—"),
  },
  {
    short: "Cost/h",
    full: "Cost/h: spend over the last hour",
    value: (m) => (m.cost_per_hour_usd !== undefined ? formatCost(m.cost_per_hour_usd) : "—"),
    trend: { name: "Cost per hour", pick: (s) => s.cost, format: formatCost },
  },
  {
    short: "Interventions",
    full: "Interventions per session started in the last hour",
    value: (m) => formatPercent(m.intervention_rate),
    trend: { name: "Intervention rate", pick: (s) => s.rate, format: formatPercent },
  },
];

/**
 * Active sessions, started in the last hour, average and p95 response time, spend over the last hour,
 * intervention rate — live, four of them with a sparkline of the last hour (the worker's history,
 * `utils/metrics-history/`). (p95 and cost come from gateways that report AI insight; "—" otherwise.)
 * The sparklines read their own computed series, so they re-render only when a sample arrives.
 */
export function MetricsBar({ panel }: { panel: Pick<Panel, "status"> }) {
  const m = panel.status.metrics.value;
  const stale = panel.status.connection.value?.state !== "connected";
  const series = useMemo(
    () =>
      DEFS.map((d) =>
        d.trend
          ? computed(() => {
              const pick = d.trend?.pick;
              const out: number[] = [];
              for (const s of panel.status.metricsHistory.value) {
                const x = pick?.(s);
                if (x !== undefined) out.push(x);
              }
              return out;
            })
          : null,
      ),
    [panel],
  );
  return (
    <dl
      class={`metrics${stale ? " stale" : ""}`}
      aria-label={stale ? "Metrics (not live)" : "Metrics"}
      data-stale={stale}
    >
      {DEFS.map((d, i) => (
        <div class="metric" key={d.short} title={d.full}>
          <dt>
            {d.short}
            <span class="metric-more sr-only">{d.full.slice(d.short.length)}</span>
          </dt>
          <dd>
            <span class="metric-value">{m ? d.value(m) : "—"}</span>
            {d.trend ? (
              <Sparkline name={d.trend.name} values={series[i]?.value ?? []} format={d.trend.format} />
            ) : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
