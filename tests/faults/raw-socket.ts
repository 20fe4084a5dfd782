/**
 * A WebSocket client written straight onto TCP, for the abuse tests (issue #9,
 * items 10 and 11): it sends any frame — any opcode, invalid UTF-8, a huge
 * payload — and it does not stop when the server closes: it keeps sending
 * until the server tears the TCP connection down, as a hostile client would.
 * It reads what the server sends (text frames and the close frame).
 */
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { EXTENSION_ORIGIN } from "../../utils/extension-id.ts";

export interface RawClient {
  /** Text messages received, in order. */
  texts: string[];
  /** The server's close frame, once it came. */
  closeFrame: { code: number; reason: string } | null;
  /** Resolves when the TCP connection is gone (the server ended or destroyed it). */
  ended: Promise<void>;
  /** True until the TCP connection is gone. */
  readonly open: boolean;
  /** Sends one frame (a text frame by default); false once the connection is gone. */
  send(payload: string | Buffer, opcode?: number): boolean;
  /** Waits for a text message matching `pred` (from index `from` on). */
  waitForText(pred: (t: string) => boolean, timeoutMs?: number, from?: number): Promise<string>;
  destroy(): void;
}

/** Encodes one masked client frame (RFC 6455 §5.2). */
export function encodeFrame(payload: Buffer, opcode = 0x1, fin = true): Buffer {
  const len = payload.length;
  const head = len < 126 ? 2 : len < 65_536 ? 4 : 10;
  const out = Buffer.alloc(head + 4 + len);
  out[0] = (fin ? 0x80 : 0) | opcode;
  if (len < 126) out[1] = 0x80 | len;
  else if (len < 65_536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(len), 2);
  }
  const mask = randomBytes(4);
  mask.copy(out, head);
  for (let i = 0; i < len; i++) out[head + 4 + i] = (payload[i] as number) ^ (mask[i & 3] as number);
  return out;
}

/** Opens /v1/stream on `port` with `origin`, completing the HTTP upgrade. */
export function connectRaw(port: number, origin: string = EXTENSION_ORIGIN): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let open = true;
    let upgraded = false;
    let buf = Buffer.alloc(0);
    const waiters = new Set<() => void>();
    let endedResolve: () => void = () => undefined;
    const ended = new Promise<void>((r) => {
      endedResolve = r;
    });
    const client: RawClient = {
      texts: [],
      closeFrame: null,
      ended,
      get open() {
        return open;
      },
      send(payload, opcode = 0x1) {
        if (!open || socket.destroyed) return false;
        socket.write(encodeFrame(typeof payload === "string" ? Buffer.from(payload) : payload, opcode));
        return true;
      },
      waitForText(pred, timeoutMs = 5000, from = 0) {
        return new Promise((res, rej) => {
          const check = () => {
            for (let i = from; i < client.texts.length; i++)
              if (pred(client.texts[i] as string)) {
                done();
                res(client.texts[i] as string);
                return;
              }
            if (!open) {
              done();
              rej(new Error("connection gone while waiting"));
            }
          };
          const timer = setTimeout(() => {
            done();
            rej(new Error(`timed out after ${timeoutMs} ms waiting for a message`));
          }, timeoutMs);
          const done = () => {
            clearTimeout(timer);
            waiters.delete(check);
          };
          waiters.add(check);
          check();
        });
      },
      destroy: () => socket.destroy(),
    };
    const gone = () => {
      open = false;
      endedResolve();
      for (const w of [...waiters]) w();
    };
    socket.on("close", gone);
    socket.on("error", () => undefined);
    socket.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (!upgraded) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buf.subarray(0, end).toString();
        buf = buf.subarray(end + 4);
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
        if (status !== 101) {
          socket.destroy();
          reject(new Error(`upgrade refused: HTTP ${status}`));
          return;
        }
        upgraded = true;
        resolve(client);
      }
      // Server frames are not masked.
      for (;;) {
        if (buf.length < 2) return;
        const opcode = (buf[0] as number) & 0x0f;
        let len = (buf[1] as number) & 0x7f;
        let at = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          at = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          at = 10;
        }
        if (buf.length < at + len) return;
        const payload = buf.subarray(at, at + len);
        buf = buf.subarray(at + len);
        if (opcode === 0x1) client.texts.push(payload.toString());
        else if (opcode === 0x8)
          client.closeFrame = {
            code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005,
            reason: payload.subarray(2).toString(),
          };
        for (const w of [...waiters]) w();
      }
    });
    socket.once("connect", () => {
      socket.write(
        [
          "GET /v1/stream HTTP/1.1",
          `Host: 127.0.0.1:${port}`,
          "Upgrade: websocket",
          "Connection: Upgrade",
          `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`,
          "Sec-WebSocket-Version: 13",
          ...(origin ? [`Origin: ${origin}`] : []),
          "",
          "",
        ].join("\r\n"),
      );
    });
    socket.once("error", (e) => {
      if (!upgraded) reject(e);
    });
  });
}
