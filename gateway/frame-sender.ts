/**
 * Sends server frames to one socket. Frames are serialized once (events are
 * shared by every client of an org) and, when they come faster than
 * `batchMs`, coalesced into `{"type":"batch"}` frames of at most ~60 KiB.
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

export function createFrameSender(ws: WebSocket, batchMs: number): FrameSender {
  let queue: string[] = [];
  let queuedChars = 0;
  let timer: NodeJS.Timeout | null = null;
  let lastFlush = 0;

  function write(text: string): void {
    if (ws.readyState === ws.OPEN) ws.send(text);
  }

  function flush() {
    if (timer) clearTimeout(timer);
    timer = null;
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
      if (timer) return;
      if (queue.length === 1 && Date.now() - lastFlush >= batchMs) return flush();
      timer = setTimeout(flush, batchMs);
    },
    flush,
    dispose() {
      if (timer) clearTimeout(timer);
      timer = null;
      queue = [];
    },
    backlog: () => queuedChars + ws.bufferedAmount,
  };
}
