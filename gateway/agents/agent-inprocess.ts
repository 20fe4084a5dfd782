/**
 * The in-process transport for agent runtimes living inside the gateway (the
 * simulation under `--sim-transport inprocess`, tests): a WebSocket-shaped
 * object whose frames go straight to an `/v1/agent` connection, as JSON
 * text, synchronously. Everything else — hello, validation, seq, acks,
 * interventions — is the socket path's own code.
 */
import type { WebSocketCtor, WebSocketLike } from "../../agent-client/index.ts";
import { CloseCode } from "../../utils/protocol/index.ts";
import type { AgentSocket } from "./agent-connection.ts";

export function inProcessWebSocket(accept: (socket: AgentSocket) => void): WebSocketCtor {
  return class InProcessSocket implements WebSocketLike {
    readyState = 0;
    onopen: ((ev: never) => void) | null = null;
    onmessage: ((ev: never) => void) | null = null;
    onclose: ((ev: never) => void) | null = null;
    onerror: ((ev: never) => void) | null = null;
    #toServer: ((text: string) => void) | null = null;
    #serverClosed: ((code: number) => void) | null = null;

    constructor(_url: string) {
      queueMicrotask(() => {
        if (this.readyState !== 0) return;
        this.readyState = 1;
        const self = this;
        accept({
          send(text) {
            if (self.readyState === 1) self.onmessage?.({ data: text } as never);
          },
          close: (code, reason) => self.#shut(code, reason),
          terminate: () => self.#shut(CloseCode.abnormal, ""),
          get open() {
            return self.readyState === 1;
          },
          onMessage: (fn) => {
            self.#toServer = fn;
          },
          onClose: (fn) => {
            self.#serverClosed = fn;
          },
        });
        this.onopen?.({} as never);
      });
    }
    send(data: string): void {
      if (this.readyState === 1) this.#toServer?.(data);
    }
    close(code: number = CloseCode.normal, reason = ""): void {
      this.#shut(code, reason);
    }
    #shut(code: number, reason: string): void {
      if (this.readyState >= 2) return;
      this.readyState = 3;
      this.#serverClosed?.(code);
      this.onclose?.({ code, reason } as never);
    }
  };
}
