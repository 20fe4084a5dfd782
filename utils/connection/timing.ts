/** The connection's durations (protocol §6 defaults), injectable so tests run in milliseconds. */
export interface ConnectionTiming {
  backoffMinMs: number;
  backoffMaxMs: number;
  pollIntervalMs: number;
  /** Time without a socket after which the socket is retried only every `socketRetryWhilePollingMs`. */
  pollAfterMs: number;
  socketRetryWhilePollingMs: number;
  /** One socket attempt — opening handshake, hello, welcome — takes at most this; then it counts as failed. */
  helloTimeoutMs: number;
  /**
   * After a 42xx close (server restarting, state invalidated) the socket is retried without backoff
   * at a random moment within the close reason's `retry_after_ms` (the gateway's spread), or within
   * this when the reason has none: every client of a gateway gets that close at the same time, and
   * 500 of them spread over 12 s stay near 8 % per second (fault suite, item 6).
   */
  restartSpreadMs: number;
}

export const DEFAULT_TIMING: ConnectionTiming = {
  backoffMinMs: 500,
  backoffMaxMs: 20_000,
  pollIntervalMs: 5000,
  pollAfterMs: 120_000,
  socketRetryWhilePollingMs: 30_000,
  helloTimeoutMs: 10_000,
  restartSpreadMs: 12_000,
};
