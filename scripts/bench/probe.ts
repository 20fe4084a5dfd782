/**
 * What the benchmark injects into the side panel page before it loads
 * (CDP `Page.addScriptToEvaluateOnNewDocument`): a recorder that reads only
 * what the page shows. Nothing in the extension is changed or simulated.
 *
 * Paint time: a MutationObserver notes that the DOM changed; the next
 * "frame end" (a task posted from a requestAnimationFrame callback, which
 * runs after that frame's style, layout and paint) scans what is visible and
 * stamps every newly shown probe mark `[#n]` (session previews) and token
 * `wN` (the open transcript, the streaming reply included) with that time. A change made during a frame's
 * rAF phase is stamped at the end of that same frame; one made between
 * frames at the end of the next one.
 *
 * Port receipt (off until `tapPort`): `chrome.runtime.connect` is wrapped
 * so that every port the page opens gets a first listener, which runs before
 * the panel's own; it stamps the newest token `wN` a patch's transcripts carry
 * when it arrives (the token stream's worker→panel hop, token-hops.ts), and notes each message's size.
 *
 * Frame health: rAF intervals and PerformanceObserver long tasks while
 * `recording` is on; `scrolling` scrolls the session list a little every
 * frame, bouncing at both ends.
 */
export interface ProbeData {
  /** [mark, epoch ms painted] for each newly painted probe mark. */
  marks: number[];
  /** [highest token index shown, epoch ms painted], each time it grows. */
  tokens: number[];
  /** [newest token index a patch carried, epoch ms received], each time it grows, while `tapPort`. */
  portTokens: number[];
  /** The length of each message the panel's port received (JSON characters), while `tapPort`. */
  portChars: number[];
  /** rAF intervals (ms) while recording. */
  frames: number[];
  /** Long task durations (ms) while recording. */
  longTasks: number[];
  /** Epoch ms of the end of the first frame that showed a session card. */
  firstCardAt: number;
  maxMark: number;
  maxToken: number;
  maxPortToken: number;
  tapPort: boolean;
  recording: boolean;
  scrolling: boolean;
  /** Forgets everything recorded (before a heap reading, between phases). */
  reset(): void;
}

/** Runs in the page. Kept self-contained: it is sent as source text. */
function probe(): void {
  const P: ProbeData = {
    marks: [],
    tokens: [],
    portTokens: [],
    portChars: [],
    frames: [],
    longTasks: [],
    firstCardAt: 0,
    maxMark: -1,
    maxToken: -1,
    maxPortToken: -1,
    tapPort: false,
    recording: false,
    scrolling: false,
    reset() {
      P.marks = [];
      P.tokens = [];
      P.portTokens = [];
      P.portChars = [];
      P.frames = [];
      P.longTasks = [];
      seen = new Set();
    },
  };
  (globalThis as unknown as { __bench: ProbeData }).__bench = P;
  const origin = performance.timeOrigin;
  let seen = new Set<number>();
  const MARK = /^\[#(\d+)\]/;
  const TOKEN = /w(\d+)\s*$/;
  let changed = false;
  let lastTs = 0;
  let dir = 1;
  const channel = new MessageChannel();

  function scan(at: number): void {
    if (!P.firstCardAt && document.querySelector(".session-card")) P.firstCardAt = at;
    const previews = document.querySelectorAll(".card-preview");
    for (let i = 0; i < previews.length; i++) {
      const m = MARK.exec(previews[i]?.textContent ?? "");
      if (!m) continue;
      const n = Number(m[1]);
      if (seen.has(n)) continue;
      seen.add(n);
      if (seen.size > 200_000) seen = new Set([...seen].filter((x) => x > P.maxMark - 100_000));
      P.marks.push(n, at);
      if (n > P.maxMark) P.maxMark = n;
    }
    const bodies = document.querySelectorAll(".transcript .message-agent .message-body");
    for (let i = Math.max(0, bodies.length - 2); i < bodies.length; i++) {
      const m = TOKEN.exec(bodies[i]?.textContent ?? "");
      if (!m) continue;
      const n = Number(m[1]);
      if (n > P.maxToken) {
        P.maxToken = n;
        P.tokens.push(n, at);
      }
    }
  }

  // The worker sends each message as one JSON string; a patch's transcripts come last in it.
  const PORT_TOKEN = /w(\d+) /g;
  const onPortMessage = (m: unknown) => {
    if (!P.tapPort || typeof m !== "string") return;
    P.portChars.push(m.length);
    const from = m.indexOf('"transcripts":');
    if (from < 0) return;
    const at = origin + performance.now();
    let max = -1;
    PORT_TOKEN.lastIndex = from;
    for (let t = PORT_TOKEN.exec(m); t; t = PORT_TOKEN.exec(m)) max = Math.max(max, Number(t[1]));
    if (max > P.maxPortToken) {
      P.maxPortToken = max;
      P.portTokens.push(max, at);
    }
  };
  type Port = { onMessage: { addListener(fn: (m: unknown) => void): void } };
  const runtime = (
    globalThis as unknown as { chrome?: { runtime?: { connect?: (...a: unknown[]) => Port } } }
  ).chrome?.runtime;
  const connect = runtime?.connect;
  if (runtime && connect) {
    runtime.connect = (...a: unknown[]) => {
      const port = connect.apply(runtime, a);
      port.onMessage.addListener(onPortMessage);
      return port;
    };
  }

  channel.port1.onmessage = () => {
    if (!changed) return;
    changed = false;
    scan(origin + performance.now());
  };
  const frame = (ts: number) => {
    if (P.recording && lastTs) P.frames.push(ts - lastTs);
    lastTs = ts;
    if (P.scrolling) {
      const list = document.querySelector(".session-list");
      if (list) {
        if (list.scrollTop + list.clientHeight >= list.scrollHeight - 2) dir = -1;
        else if (list.scrollTop <= 0) dir = 1;
        list.scrollTop += 60 * dir;
      }
    }
    channel.port2.postMessage(0);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new MutationObserver(() => {
    changed = true;
  }).observe(document, { subtree: true, childList: true, characterData: true });
  try {
    new PerformanceObserver((list) => {
      if (!P.recording) return;
      for (const e of list.getEntries()) P.longTasks.push(e.duration);
    }).observe({ type: "longtask", buffered: false });
  } catch {
    // no long task timing: the figure says so (empty list)
  }
}

// esbuild (tsx) may wrap functions in `__name(...)`; give the page a no-op one.
export const PROBE_SOURCE = `var __name = (f) => f; (${probe.toString()})();`;
