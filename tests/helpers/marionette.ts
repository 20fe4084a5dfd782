/**
 * A small client for Firefox's Marionette protocol (no geckodriver: its npm
 * package downloads a binary). JSON over TCP, each message prefixed by its
 * byte length and a colon; the server greets first; commands are
 * `[0, id, name, params]`, replies `[1, id, error, result]`.
 * See /work/shared/platform-notes.md "End-to-end in a real Firefox".
 */
import { connect, type Socket } from "node:net";

interface Pending {
  name: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

export interface MarionetteClient {
  /** Sends one command; resolves with its result, rejects with the error Marionette names. */
  send<T = unknown>(name: string, params?: Record<string, unknown>): Promise<T>;
  /** Runs `script` (a function body; `arguments` are `args`) in the current context; its return value. */
  execute<T = unknown>(script: string, args?: unknown[]): Promise<T>;
  close(): void;
}

/** Parses length-prefixed messages out of `buf`; returns the messages and what is left. */
export function parseFrames(buf: Buffer): { messages: unknown[]; rest: Buffer } {
  const messages: unknown[] = [];
  let rest = buf;
  for (;;) {
    const colon = rest.indexOf(0x3a);
    if (colon < 0) break;
    const len = Number(rest.subarray(0, colon).toString("latin1"));
    if (!Number.isInteger(len) || len < 0)
      throw new Error(`marionette: bad length prefix "${rest.subarray(0, colon)}"`);
    if (rest.length < colon + 1 + len) break;
    messages.push(JSON.parse(rest.subarray(colon + 1, colon + 1 + len).toString("utf8")));
    rest = rest.subarray(colon + 1 + len);
  }
  return { messages, rest };
}

export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  return Buffer.concat([Buffer.from(`${body.length}:`, "latin1"), body]);
}

export async function connectMarionette(port: number, timeoutMs = 5000): Promise<MarionetteClient> {
  const socket: Socket = connect(port, "127.0.0.1");
  const pending = new Map<number, Pending>();
  let buf: Buffer = Buffer.alloc(0);
  let nextId = 1;
  let greet: (v: unknown) => void = () => undefined;
  const greeting = new Promise<unknown>((resolve, reject) => {
    greet = resolve;
    socket.once("error", reject);
    setTimeout(
      () => reject(new Error(`marionette: no greeting on port ${port} within ${timeoutMs} ms`)),
      timeoutMs,
    ).unref();
  });
  let greeted = false;
  socket.on("data", (chunk) => {
    const { messages, rest } = parseFrames(Buffer.concat([buf, chunk]));
    buf = rest;
    for (const m of messages) {
      if (!greeted) {
        greeted = true;
        greet(m);
        continue;
      }
      const [, id, error, result] = m as [number, number, { error: string; message: string } | null, unknown];
      const p = pending.get(id);
      if (!p) continue;
      pending.delete(id);
      if (error) p.reject(new Error(`marionette ${p.name}: ${error.error}: ${error.message}`));
      else p.resolve(result);
    }
  });
  socket.on("close", () => {
    for (const p of pending.values()) p.reject(new Error(`marionette ${p.name}: connection closed`));
    pending.clear();
  });
  socket.on("error", () => undefined);
  await greeting;

  const send = <T>(name: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { name, resolve: resolve as (v: unknown) => void, reject });
      socket.write(encodeFrame([0, id, name, params]));
    });
  return {
    send,
    async execute<T>(script: string, args: unknown[] = []) {
      const r = await send<{ value: T }>("WebDriver:ExecuteScript", { script, args });
      return r.value;
    },
    close: () => socket.destroy(),
  };
}
