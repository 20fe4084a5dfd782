/**
 * Sends server frames to one socket. Frames are serialized once (events are
 * shared by every client of an org) and coalesced into `{"type":"batch"}`
 * frames of at most ~60 KiB: everything queued in the same turn of the event
 * loop goes out together at the end of that turn, and at most one write
 * happens per `batchMs` (so a frame waits at most `batchMs`).
 */
import type { WebSocket } from "ws";

const MAX_BATCH_CHARS = 60 * 1024;
const cache = new WeakMap<object, string>();

export function serialize(frame: object): string {
  let s = cache.get(frame);
  if (s === undefined) {
    s = JSON.stringify(frame);
    cache.set(frame, s);
  }
  return s;
}

export interface FrameSender {
  send(frame: object): void;
  flush(): void;
  dispose(): void;
  /** Frames queued or buffered in the socket, in bytes (for slow-consumer checks). */
  backlog(): number;
}

/**
 * `onWrite` (benchmarks only; null in normal use): called with each text just
 * after it is handed to the socket, so a bench can stamp when a frame left.
 */
export function createFrameSender(
  ws: WebSocket,
  batchMs: number,
  onWrite: ((text: string) => void) | null = null,
): FrameSender {
  let queue: string[] = [];
  let queuedChars = 0;
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let lastFlush = 0;

  // Unbatched mode still writes one WebSocket frame per event, but the TCP writes of one event-loop
  // turn are corked into one syscall (ws keeps the net.Socket as `_socket`).
  const raw = (ws as unknown as { _socket?: { cork?(): void; uncork?(): void } })._socket;
  let corked = false;
  const uncork = () => {
    corked = false;
    raw?.uncork?.();
  };

  function write(text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (batchMs <= 0 && !corked && raw?.cork) {
      corked = true;
      raw.cork();
      setImmediate(uncork);
    }
    ws.send(text);
    if (onWrite !== null) onWrite(text);
  }

  function cancel() {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
  }

  function flush() {
    cancel();
    lastFlush = Date.now();
    const frames = queue;
    queue = [];
    queuedChars = 0;
    if (frames.length === 1) return write(frames[0] as string);
    let chunk: string[] = [];
    let size = 0;
    const emit = () => {
      if (chunk.length === 1) write(chunk[0] as string);
      else if (chunk.length > 1) write(`{"type":"batch","frames":[${chunk.join(",")}]}`);
      chunk = [];
      size = 0;
    };
    for (const f of frames) {
      if (size + f.length > MAX_BATCH_CHARS && chunk.length > 0) emit();
      chunk.push(f);
      size += f.length + 1;
    }
    emit();
  }

  return {
    send(frame) {
      const text = serialize(frame);
      if (batchMs <= 0) return write(text);
      queue.push(text);
      queuedChars += text.length;
      if (timer || immediate) return;
      const wait = batchMs - (Date.now() - lastFlush);
      if (wait <= 0) immediate = setImmediate(flush);
      else timer = setTimeout(flush, wait);
    },
    flush,
    dispose() {
      cancel();
      queue = [];
    },
    backlog: () => queuedChars + ws.bufferedAmount,
  };
}
