/**
 * The soak test's gateway, run as a child process (`fork` with `--import tsx
 * --expose-gc`) so its memory is measured apart from the worker's. Options
 * come as JSON in argv[2]; it answers the parent over IPC:
 *   {type:"mem"}           → {type:"mem", heapUsed, rss} (after a full GC)
 *   {type:"reset", code}   → closes every client socket with `code`
 *   {type:"halt"}          → stops the traffic → {type:"halted", seq}
 *   {type:"stop"}          → stops the gateway and exits
 * and says {type:"ready", url, port} once listening.
 */
import type { GatewayOptions } from "../../gateway/config.ts";
import { createGateway } from "../../gateway/gateway.ts";

const options = JSON.parse(process.argv[2] ?? "{}") as Partial<GatewayOptions>;
const gateway = createGateway(options);
const gc = (globalThis as { gc?: () => void }).gc;
const send = (m: object) => process.send?.(m);

type Request = { type: "mem" } | { type: "reset"; code: number } | { type: "halt" } | { type: "stop" };

process.on("message", (m: Request) => {
  switch (m.type) {
    case "mem": {
      gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      send({ type: "mem", heapUsed, rss });
      return;
    }
    case "reset":
      gateway.closeAllSockets(m.code, "soak: connection reset");
      return;
    case "halt": {
      let seq = 0;
      for (const o of gateway.orgs.values()) {
        o.sim.stop();
        seq = Math.max(seq, o.state.log.lastSeq());
      }
      send({ type: "halted", seq });
      return;
    }
    case "stop":
      void gateway.stop().then(() => process.exit(0));
      return;
  }
});
process.on("disconnect", () => void gateway.stop().then(() => process.exit(0)));

await gateway.listen();
send({ type: "ready", url: gateway.url, port: gateway.port });
