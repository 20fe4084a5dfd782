/**
 * The WebSocket as the connection sees it: the browser API's small subset
 * that `ws` also implements, so Node tests inject `ws` and the worker injects
 * the global WebSocket.
 */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type CreateSocket = (url: string) => SocketLike;

export const SOCKET_OPEN = 1;

/** The browser's own WebSocket (the extension origin is sent by the browser). */
export const browserSocket: CreateSocket = (url) => new WebSocket(url) as unknown as SocketLike;

/** Text of a message event: browsers give strings; `ws` may give a Buffer. */
export function messageText(data: unknown): string | null {
  if (typeof data === "string") return data;
  if (data && typeof (data as { toString?: unknown }).toString === "function") {
    const text = String(data);
    return text === "[object Blob]" || text === "[object ArrayBuffer]" ? null : text;
  }
  return null;
}
