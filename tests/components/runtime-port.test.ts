import { describe, expect, it } from "vitest";
import { connectRuntimePort, type LinkStatus, type RawPort } from "@/utils/panel";
import { PANEL_PORT } from "@/utils/panel-messages";

function fakeRuntime() {
  const ports: (RawPort & { emit(m: unknown): void; drop(): void; posted: unknown[]; closed: boolean })[] =
    [];
  const names: string[] = [];
  return {
    ports,
    names,
    connect({ name }: { name: string }) {
      names.push(name);
      const msg: ((m: unknown) => void)[] = [];
      const disc: (() => void)[] = [];
      const port = {
        posted: [] as unknown[],
        closed: false,
        postMessage(m: unknown) {
          if (port.closed) throw new Error("Attempting to use a disconnected port object");
          port.posted.push(m);
        },
        disconnect() {
          port.closed = true;
        },
        onMessage: { addListener: (f: (m: unknown) => void) => msg.push(f) },
        onDisconnect: { addListener: (f: () => void) => disc.push(f) },
        emit: (m: unknown) => {
          for (const f of msg) f(m);
        },
        drop() {
          port.closed = true;
          for (const f of disc) f();
        },
      };
      ports.push(port);
      return port;
    },
  };
}

describe("runtime port link", () => {
  it("connects by name, relays messages both ways and reconnects after the worker drops it", () => {
    const rt = fakeRuntime();
    const timers: (() => void)[] = [];
    const port = connectRuntimePort(rt, {
      retryDelaysMs: [10],
      setTimer: (cb) => {
        timers.push(cb);
        return () => {};
      },
    });
    const got: unknown[] = [];
    const statuses: LinkStatus[] = [];
    port.onMessage((m) => got.push(m));
    port.onStatus((s) => statuses.push(s));
    expect(rt.names).toEqual([PANEL_PORT]);
    rt.ports[0]?.emit({ type: "init" });
    port.post({ type: "resync" });
    expect(got).toEqual([{ type: "init" }]);
    expect(rt.ports[0]?.posted).toEqual([{ type: "resync" }]);

    rt.ports[0]?.drop();
    expect(statuses).toEqual(["lost"]);
    port.post({ type: "resync" }); // dropped quietly while down
    timers.shift()?.();
    expect(statuses).toEqual(["lost", "open"]);
    expect(rt.ports).toHaveLength(2);
    rt.ports[0]?.emit({ type: "stale" }); // the old port is ignored
    rt.ports[1]?.emit({ type: "init", n: 2 });
    expect(got).toEqual([{ type: "init" }, { type: "init", n: 2 }]);

    port.close();
    expect(rt.ports[1]?.closed).toBe(true);
    rt.ports[1]?.drop();
    expect(timers).toHaveLength(0); // no reconnect after close
  });
});
