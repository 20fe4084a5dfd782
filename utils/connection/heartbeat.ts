/**
 * Ping every `heartbeat_ms` (which also keeps an MV3 worker alive), keep the
 * round trip as the latency figure, and declare the link dead after
 * `idle_timeout_ms` without any inbound frame. `seen()` is O(1): one timer
 * re-armed lazily, not one per frame.
 */
export interface Heartbeat {
  start(heartbeatMs: number, idleTimeoutMs: number): void;
  /** Any inbound frame. */
  seen(): void;
  pong(id: string | number): void;
  stop(): void;
}

export interface HeartbeatOptions {
  sendPing(id: string): void;
  onLatency(ms: number): void;
  onDead(silentMs: number): void;
  now?: () => number;
}

export function createHeartbeat(opts: HeartbeatOptions): Heartbeat {
  const now = opts.now ?? Date.now;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let lastSeen = 0;
  let idleMs = 0;
  let n = 0;
  const sent = new Map<string, number>();

  function armIdle(delay: number): void {
    idleTimer = setTimeout(() => {
      const silent = now() - lastSeen;
      if (silent >= idleMs) {
        stop();
        opts.onDead(silent);
      } else armIdle(idleMs - silent);
    }, delay);
  }

  function stop(): void {
    clearInterval(pingTimer);
    clearTimeout(idleTimer);
    pingTimer = undefined;
    idleTimer = undefined;
    sent.clear();
  }

  return {
    start(heartbeatMs, idleTimeoutMs) {
      stop();
      idleMs = idleTimeoutMs;
      lastSeen = now();
      const ping = () => {
        const id = `p${++n}`;
        sent.set(id, now());
        if (sent.size > 8) sent.delete(sent.keys().next().value as string);
        opts.sendPing(id);
      };
      pingTimer = setInterval(ping, heartbeatMs);
      ping(); // a latency figure right away, not after the first interval
      armIdle(idleTimeoutMs);
    },
    seen() {
      lastSeen = now();
    },
    pong(id) {
      const at = sent.get(String(id));
      if (at === undefined) return;
      sent.delete(String(id));
      opts.onLatency(now() - at);
    },
    stop,
  };
}
