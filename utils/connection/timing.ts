/** The connection's durations (protocol §6 defaults), injectable so tests run in milliseconds. */
export interface ConnectionTiming {
  backoffMinMs: number;
  backoffMaxMs: number;
  pollIntervalMs: number;
  /** Time without a socket after which the socket is retried only every `socketRetryWhilePollingMs`. */
  pollAfterMs: number;
  socketRetryWhilePollingMs: number;
  helloTimeoutMs: number;
}

export const DEFAULT_TIMING: ConnectionTiming = {
  backoffMinMs: 500,
  backoffMaxMs: 20_000,
  pollIntervalMs: 5000,
  pollAfterMs: 120_000,
  socketRetryWhilePollingMs: 30_000,
  helloTimeoutMs: 10_000,
};
