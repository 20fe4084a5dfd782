/** Per-org metrics from the event stream: sessions started in the last hour, response time, intervention rate. */
import type { EventFrame, Metrics } from "../utils/protocol/index.ts";

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
      }
    },
    value(active, now) {
      starts = trim(starts, now);
      interventions = trim(interventions, now);
      return {
        active_sessions: active,
        started_last_hour: starts.length,
        avg_response_ms: Math.round(latencySum),
        intervention_rate:
          starts.length === 0 ? 0 : Math.round((interventions.length / starts.length) * 1000) / 1000,
      };
    },
  };
}
