/**
 * The soak test's gateway, run as a child process (`fork` with `--import tsx
 * --expose-gc`) so its memory, descriptors and event loop are its own, and so
 * it can be stopped cleanly or killed (-9) and started again on the same
 * `--data-dir`. Options come as JSON in argv[2]; it answers the parent over IPC:
 *   {type:"mem"}   → {type:"mem", heapUsed, rss, lagP99Ms, lagMaxMs} (after a full GC;
 *                    lag: event-loop delay p99 and max since the last "mem", or the start)
 *   {type:"rss"}   → {type:"rss", rss} (no GC, lag untouched)
 *   {type:"halt"}  → stops the traffic → {type:"halted", seq}
 *   {type:"stop"}  → stops the gateway cleanly and exits
 * and says {type:"ready", url, port} once listening.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { GatewayOptions } from "../../gateway/config.ts";
import { createGateway } from "../../gateway/gateway.ts";

const options = JSON.parse(process.argv[2] ?? "{}") as Partial<GatewayOptions>;
const gateway = createGateway(options);
const gc = (globalThis as { gc?: () => void }).gc;
const send = (m: object) => process.send?.(m);
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();

type Request = { type: "mem" } | { type: "rss" } | { type: "halt" } | { type: "stop" };

process.on("message", (m: Request) => {
  switch (m.type) {
    case "mem": {
      const lagP99Ms = lag.percentile(99) / 1e6;
      const lagMaxMs = lag.max / 1e6;
      lag.reset();
      gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      send({ type: "mem", heapUsed, rss, lagP99Ms, lagMaxMs });
      return;
    }
    case "rss":
      send({ type: "rss", rss: process.memoryUsage().rss });
      return;
    case "halt": {
      let seq = 0;
      for (const l of gateway.loads.values()) l.stop();
      for (const sim of gateway.sims.values()) sim.stop();
      for (const o of gateway.orgs.values()) seq = Math.max(seq, o.state.log.lastSeq());
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
