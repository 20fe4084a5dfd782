/**
 * The connection indicator's state, changed in exactly one place (`set`),
 * which emits `{from, to}` with the full info to every listener.
 */
import type { ConnectionInfo, ConnectionState } from "./connection-schema";

export interface StateChange {
  from: ConnectionState;
  to: ConnectionState;
  info: ConnectionInfo;
}

export interface ConnectionStateHolder {
  readonly info: ConnectionInfo;
  set(to: ConnectionState, detail?: string, nextRetryAt?: number): void;
  latency(ms: number): void;
  subscribe(cb: (change: StateChange) => void): () => void;
}

/** States in which the panel's data is live (polling is slower, not stale). */
const isLive = (s: ConnectionState) => s === "connected" || s === "polling";

export function createConnectionState(now: () => number = Date.now): ConnectionStateHolder {
  const start = now();
  let info: ConnectionInfo = { state: "connecting", latency_ms: null, since: start, stale_since: start };
  const listeners = new Set<(c: StateChange) => void>();
  function emit(from: ConnectionState): void {
    for (const cb of listeners) cb({ from, to: info.state, info });
  }
  return {
    get info() {
      return info;
    },
    set(to, detail, nextRetryAt) {
      const from = info.state;
      if (from === to && info.detail === detail && info.next_retry_at === nextRetryAt) return;
      const at = from === to ? info.since : now();
      // Stale from the moment the data stopped being live, however many down states follow.
      const staleSince = isLive(to) ? undefined : isLive(from) ? at : (info.stale_since ?? at);
      info = {
        state: to,
        latency_ms: to === "connected" ? info.latency_ms : null,
        since: at,
        ...(staleSince === undefined ? {} : { stale_since: staleSince }),
        ...(detail === undefined ? {} : { detail }),
        ...(nextRetryAt === undefined ? {} : { next_retry_at: nextRetryAt }),
      };
      emit(from);
    },
    latency(ms) {
      info = { ...info, latency_ms: ms };
      emit(info.state);
    },
    subscribe(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
