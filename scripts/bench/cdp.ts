/**
 * A bare Chrome DevTools Protocol client for the benchmark: one WebSocket to
 * the browser, flat sessions per target. Unlike Playwright it never enables
 * the Network domain, so WebSocket frames are not copied to the driver (which
 * slows a WebSocket page ~2.5× on the 2-core machine).
 */
import WebSocket from "ws";

type Pending = { resolve(v: unknown): void; reject(e: Error): void; method: string };

export interface CdpSession {
  readonly id: string;
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Evaluates an expression in the target's main world; returns its (awaited) JSON value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  on(event: string, fn: (params: Record<string, unknown>) => void): () => void;
}

export interface Cdp {
  browser: CdpSession;
  attach(targetId: string): Promise<CdpSession>;
  close(): void;
}

export async function connectCdp(url: string): Promise<Cdp> {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(p: Record<string, unknown>) => void>>();

  ws.on("message", (raw) => {
    const msg = JSON.parse(String(raw)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: Record<string, unknown>;
      sessionId?: string;
    };
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
      return;
    }
    if (msg.method)
      for (const fn of listeners.get(`${msg.sessionId ?? ""}:${msg.method}`) ?? []) fn(msg.params ?? {});
  });
  ws.on("close", () => {
    for (const p of pending.values()) p.reject(new Error(`${p.method}: browser connection closed`));
    pending.clear();
  });

  function session(sessionId: string): CdpSession {
    const s: CdpSession = {
      id: sessionId,
      send<T>(method: string, params: Record<string, unknown> = {}) {
        const id = nextId++;
        return new Promise<T>((resolve, reject) => {
          pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
          ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
        });
      },
      async evaluate<T>(expression: string) {
        const r = await s.send<{
          result: { value?: T };
          exceptionDetails?: { text: string; exception?: { description?: string } };
        }>("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
        if (r.exceptionDetails)
          throw new Error(
            `evaluate failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`,
          );
        return r.result.value as T;
      },
      on(event, fn) {
        const key = `${sessionId}:${event}`;
        const set = listeners.get(key) ?? new Set();
        listeners.set(key, set);
        set.add(fn);
        return () => set?.delete(fn);
      },
    };
    return s;
  }

  const browser = session("");
  return {
    browser,
    async attach(targetId) {
      const { sessionId } = await browser.send<{ sessionId: string }>("Target.attachToTarget", {
        targetId,
        flatten: true,
      });
      return session(sessionId);
    },
    close: () => ws.close(),
  };
}
