/**
 * Per-org metrics from the event stream: sessions started in the last hour, response time, intervention
 * rate, and (AI insight) the spend of the last hour and the 95th percentile reply latency.
 */
import type { EventFrame, Metrics } from "../../utils/protocol/index.ts";
import { percentile } from "../stats.ts";

const HOUR = 3_600_000;

export interface MetricsTracker {
  observe(ev: EventFrame, now: number): void;
  value(activeSessions: number, now: number): Metrics;
}

export function createMetricsTracker(): MetricsTracker {
  let starts: number[] = [];
  let interventions: number[] = [];
  let latencySum = 0;
  let latencyCount = 0;
  /** The last replies' latencies (for p95) and the last hour's costs. */
  const recent: number[] = [];
  let costs: { at: number; usd: number }[] = [];
  const trim = (list: number[], now: number) => {
    let i = 0;
    while (i < list.length && (list[i] ?? 0) < now - HOUR) i++;
    return i > 0 ? list.slice(i) : list;
  };
  return {
    observe(ev, now) {
      if (ev.kind === "session_started") starts.push(now);
      else if (ev.kind === "intervention_triggered") interventions.push(now);
      else if (ev.kind === "message_sent" && typeof ev.data.latency_ms === "number") {
        // exponential moving average over roughly the last 200 replies
        latencyCount = Math.min(latencyCount + 1, 200);
        latencySum += (ev.data.latency_ms - latencySum) / latencyCount;
        recent.push(ev.data.latency_ms);
        if (recent.length > 200) recent.shift();
      }
      if (ev.kind === "message_sent" && ev.data.usage) costs.push({ at: now, usd: ev.data.usage.cost_usd });
    },
    value(active, now) {
      starts = trim(starts, now);
      interventions = trim(interventions, now);
      let firstKept = 0;
      while (firstKept < costs.length && (costs[firstKept]?.at ?? 0) < now - HOUR) firstKept++;
      if (firstKept > 0) costs = costs.slice(firstKept);
      let spend = 0;
      for (const c of costs) spend += c.usd;
      return {
        active_sessions: active,
        started_last_hour: starts.length,
        avg_response_ms: Math.round(latencySum),
        intervention_rate:
          starts.length === 0 ? 0 : Math.round((interventions.length / starts.length) * 1000) / 1000,
        cost_per_hour_usd: Math.round(spend * 10_000) / 10_000,
        p95_response_ms: percentile(recent, 0.95),
      };
    },
  };
}
