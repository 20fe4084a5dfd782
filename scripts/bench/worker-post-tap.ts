/**
 * What the bench evaluates in the extension's worker (over CDP, no product
 * change) to stamp when the worker posts each patch to a panel: a later
 * `runtime.onConnect` listener wraps the `postMessage` of every panel port
 * opened from then on (the worker's own listener holds the same Port object
 * and looks the method up at each call). While `on`, each posted message that
 * carries transcripts is scanned for its newest token `wN` (the same rule as
 * the probe's port tap); [newest, epoch ms] is recorded when it grows.
 * Installed once per worker; off until the bench sets `on`.
 */
export interface WorkerPostTap {
  on: boolean;
  max: number;
  /** [newest token a posted patch carried, epoch ms it was handed to the port], each time it grows. */
  records: number[];
}

/** Runs in the worker. Kept self-contained: it is sent as source text. */
function install(): void {
  const G = globalThis as unknown as {
    __benchPost?: WorkerPostTap;
    chrome: {
      runtime: {
        onConnect: {
          addListener(fn: (port: { postMessage(m: unknown): void }) => void): void;
        };
      };
    };
  };
  if (G.__benchPost) return;
  const T: WorkerPostTap = { on: false, max: -1, records: [] };
  G.__benchPost = T;
  const TOKEN = /w(\d+) /g;
  G.chrome.runtime.onConnect.addListener((port) => {
    const post = port.postMessage;
    port.postMessage = (m: unknown) => {
      const at = Date.now();
      post.call(port, m);
      if (!T.on || typeof m !== "string") return;
      const from = m.indexOf('"transcripts":');
      if (from < 0) return;
      let max = -1;
      TOKEN.lastIndex = from;
      for (let t = TOKEN.exec(m); t; t = TOKEN.exec(m)) max = Math.max(max, Number(t[1]));
      if (max > T.max) {
        T.max = max;
        T.records.push(max, at);
      }
    };
  });
}

// esbuild (tsx) may wrap functions in `__name(...)`; give the worker a no-op one.
export const WORKER_POST_TAP_SOURCE = `(() => { var __name = (f) => f; (${install.toString()})(); return 0; })()`;
