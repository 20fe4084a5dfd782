/**
 * What the worker reports about the gateway: the connection, the signed-in
 * user, the agents, the metrics and their last hour, the stream counters.
 */
import { signal } from "@preact/signals";
import { appendSample, type MetricsSample } from "../metrics-history/sample-ring";
import type { ConnectionInfo, Counters, PanelPatch, PanelState } from "../panel-messages";
import type { Agent, Metrics, User } from "../protocol";

export function createGatewayStatus() {
  const connection = signal<ConnectionInfo | null>(null);
  const user = signal<User | null>(null);
  const agents = signal<Agent[]>([]);
  const metrics = signal<Metrics | null>(null);
  /** The last hour of metrics (the sparklines): replaced by `init`, one sample added per patch that has one. */
  const metricsHistory = signal<readonly MetricsSample[]>([]);
  const counters = signal<Counters | null>(null);

  return {
    connection,
    user,
    agents,
    metrics,
    metricsHistory,
    counters,
    applyInit(state: PanelState) {
      connection.value = state.connection;
      user.value = state.user;
      agents.value = state.agents;
      metrics.value = state.metrics;
      metricsHistory.value = state.metricsHistory ?? [];
      counters.value = state.counters;
    },
    applyPatch(p: PanelPatch) {
      if (p.connection) connection.value = p.connection;
      if (p.user !== undefined) user.value = p.user;
      if (p.agents) agents.value = p.agents;
      if (p.metrics) metrics.value = p.metrics;
      if (p.metricsSample) metricsHistory.value = appendSample(metricsHistory.value, p.metricsSample);
      if (p.counters) counters.value = p.counters;
    },
  };
}

export type GatewayStatus = ReturnType<typeof createGatewayStatus>;
