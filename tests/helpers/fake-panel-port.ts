/** An in-memory PanelPort for panel tests: records what the panel posts, lets the test play the worker. */

import type { LinkStatus, PanelPort } from "../../utils/panel/port";
import type { PanelState, PanelToWorker, WorkerToPanel } from "../../utils/panel-messages";
import { AGENT, METRICS, USER } from "../fixtures/frames";

export interface FakePanelPort extends PanelPort {
  posted: PanelToWorker[];
  closed: boolean;
  send(message: WorkerToPanel | unknown): void;
  setStatus(status: LinkStatus): void;
}

export function createFakePanelPort(): FakePanelPort {
  const messageListeners = new Set<(m: unknown) => void>();
  const statusListeners = new Set<(s: LinkStatus) => void>();
  return {
    posted: [],
    closed: false,
    post(message) {
      this.posted.push(message);
    },
    onMessage(l) {
      messageListeners.add(l);
      return () => messageListeners.delete(l);
    },
    onStatus(l) {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    close() {
      this.closed = true;
    },
    send(message) {
      for (const l of messageListeners) l(message);
    },
    setStatus(status) {
      for (const l of statusListeners) l(status);
    },
  };
}

export function makePanelState(overrides: Partial<PanelState> = {}): PanelState {
  return {
    connection: { state: "connected", latency_ms: 42, since: Date.parse("2026-06-24T16:00:00Z") },
    user: USER,
    sessions: [],
    agents: [AGENT],
    metrics: METRICS,
    activity: [],
    counters: {
      events_applied: 0,
      duplicates_dropped: 0,
      gaps: 0,
      resyncs: 0,
      frames_rejected: 0,
      reconnects: 0,
    },
    transcripts: [],
    ...overrides,
  } as PanelState;
}
