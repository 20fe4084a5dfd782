/**
 * The panel's link to the background worker, behind a small interface so
 * tests hand in a fake. `connectRuntimePort` is the real one: a runtime Port
 * named PANEL_PORT that reconnects (waking a stopped MV3 worker) when it drops.
 */
import { PANEL_PORT, type PanelToWorker } from "../panel-messages";

export type LinkStatus = "connecting" | "open" | "lost";

export interface PanelPort {
  post(message: PanelToWorker): void;
  /** Every message from the worker, unvalidated. Returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
  onStatus(listener: (status: LinkStatus) => void): () => void;
  close(): void;
}

/** The subset of runtime.Port we use (webextension-polyfill and chrome agree on it). */
export interface RawPort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

export interface RuntimeLike {
  connect(info: { name: string }): RawPort;
}

export interface RuntimePortOptions {
  /** Delays between reconnect attempts, last one repeats. */
  retryDelaysMs?: number[];
  setTimer?: (cb: () => void, ms: number) => () => void;
}

export function connectRuntimePort(runtime: RuntimeLike, options: RuntimePortOptions = {}): PanelPort {
  const delays = options.retryDelaysMs ?? [100, 500, 1000, 2000, 5000];
  const setTimer =
    options.setTimer ??
    ((cb, ms) => {
      const id = setTimeout(cb, ms);
      return () => clearTimeout(id);
    });
  const messageListeners = new Set<(message: unknown) => void>();
  const statusListeners = new Set<(status: LinkStatus) => void>();
  let raw: RawPort | null = null;
  let closed = false;
  let attempt = 0;
  let cancelRetry: (() => void) | null = null;
  const emit = (status: LinkStatus) => {
    for (const l of statusListeners) l(status);
  };

  const open = () => {
    cancelRetry = null;
    if (closed) return;
    let port: RawPort;
    try {
      port = runtime.connect({ name: PANEL_PORT });
    } catch {
      scheduleRetry();
      return;
    }
    raw = port;
    port.onMessage.addListener((message) => {
      if (raw !== port) return;
      attempt = 0;
      const m = unwrapPortMessage(message);
      for (const l of messageListeners) l(m);
    });
    port.onDisconnect.addListener(() => {
      if (raw !== port) return;
      raw = null;
      scheduleRetry();
    });
    emit("open");
  };
  const scheduleRetry = () => {
    if (closed) return;
    emit("lost");
    const delay = delays[Math.min(attempt, delays.length - 1)] ?? 1000;
    attempt++;
    cancelRetry = setTimer(open, delay);
  };

  open();
  return {
    post(message) {
      try {
        raw?.postMessage(message);
      } catch {
        // the port died between the check and the call; onDisconnect reconnects
      }
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    close() {
      closed = true;
      cancelRetry?.();
      const port = raw;
      raw = null;
      port?.disconnect();
    },
  };
}

/**
 * The worker sends each message as one JSON string (see `fromRuntimePort`):
 * Chrome moves a string across a port far faster than a deep object (an
 * init with 10,000 sessions: a few ms instead of ~300). Anything else is
 * passed on as it is, for the decoder to judge; bad JSON becomes a value the
 * decoder refuses (and counts).
 */
export function unwrapPortMessage(message: unknown): unknown {
  if (typeof message !== "string") return message;
  try {
    return JSON.parse(message);
  } catch {
    return { type: "unreadable" };
  }
}
