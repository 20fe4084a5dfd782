/** A socket for the worker in Node that can hold the gateway's snapshot back (to open a panel meanwhile). */
import type { CreateSocket, SocketLike } from "../../utils/connection/socket";
import { nodeSocket } from "./worker-node";

/** Holds snapshot frames (and everything after them) until `release`, to open a panel meanwhile. */
export function snapshotGate() {
  let holding = false;
  const queue: (() => void)[] = [];
  const createSocket: CreateSocket = (url) => {
    const ws = nodeSocket(url);
    const outer: SocketLike = {
      get readyState() {
        return ws.readyState;
      },
      send: (d) => ws.send(d),
      close: (c, r) => ws.close(c, r),
      onopen: null,
      onmessage: null,
      onclose: null,
      onerror: null,
    };
    ws.onopen = (e) => outer.onopen?.(e);
    ws.onclose = (e) => outer.onclose?.(e);
    ws.onerror = (e) => outer.onerror?.(e);
    ws.onmessage = (e) => {
      const deliver = () => outer.onmessage?.(e);
      if (
        queue.length > 0 ||
        (holding && (JSON.parse(String(e.data)) as { type?: string }).type === "snapshot")
      )
        queue.push(deliver);
      else deliver();
    };
    return outer;
  };
  return {
    createSocket,
    hold: () => {
      holding = true;
    },
    get held() {
      return queue.length;
    },
    release() {
      holding = false;
      for (const deliver of queue.splice(0)) deliver();
    },
  };
}
