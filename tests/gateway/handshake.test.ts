import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIN_SPREAD_MS } from "../../gateway/stream/restart-spread.ts";
import { EXTENSION_ORIGIN } from "../../utils/extension-id.ts";
import { decodeCloseReason, MAX_FRAME_BYTES, type WelcomeFrame } from "../../utils/protocol/index.ts";
import { connectAs, connectClient, startTestGateway, type TestGateway } from "../helpers/gateway.ts";

let tg: TestGateway;
beforeAll(async () => {
  tg = await startTestGateway({ helloTimeoutMs: 300, metricsIntervalMs: 200 });
});
afterAll(() => tg.stop());

describe("handshake", () => {
  it("answers hello with welcome, then a snapshot, then live events and metrics", async () => {
    const c = await connectAs(tg, tg.tokens.supervisor, { watch: [] });
    const welcome = c.frames[0] as WelcomeFrame;
    expect(welcome.type).toBe("welcome");
    expect(welcome.recovered).toBe(false);
    expect(welcome.user).toMatchObject({ org_id: "org_demo", roles: ["supervisor"] });
    expect(welcome.user.permissions).toContain("sessions:intervene");
    expect(welcome.epoch).toMatch(/^e_/);
    const snap = await c.waitFor((f) => f.type === "snapshot");
    expect(snap).toMatchObject({ epoch: welcome.epoch, seq: welcome.seq });
    await c.waitFor((f) => f.type === "event" && f.seq === welcome.seq + 1);
    await c.waitFor((f) => f.type === "metrics");
    c.close();
  });

  it("answers ping with pong carrying the same id", async () => {
    const c = await connectAs(tg, tg.tokens.viewer);
    c.send({ type: "ping", id: "p-42" });
    const pong = await c.waitFor((f) => f.type === "pong");
    expect(pong).toMatchObject({ type: "pong", id: "p-42" });
    c.close();
  });

  it("closes with 4001 when no hello arrives in time", async () => {
    const c = await connectClient(tg.streamUrl);
    expect((await c.closed).code).toBe(4001);
  });

  it("closes with 4001 for an unknown token", async () => {
    const c = await connectClient(tg.streamUrl, { hello: { token: "lc_not_a_real_token_at_all" } });
    expect((await c.closed).code).toBe(4001);
    expect(c.frames).toHaveLength(0);
  });

  it("closes with 4001 when the first frame is not a hello", async () => {
    const c = await connectClient(tg.streamUrl);
    c.send({ type: "ping", id: 1 });
    expect((await c.closed).code).toBe(4001);
  });

  it("closes with 4008 for another protocol version", async () => {
    const c = await connectClient(tg.streamUrl, { hello: { token: tg.tokens.supervisor, v: 2 } });
    expect((await c.closed).code).toBe(4008);
  });

  it("closes with 1009 for a frame over 64 KiB", async () => {
    const c = await connectAs(tg, tg.tokens.supervisor);
    c.send({ type: "ping", id: "x".repeat(MAX_FRAME_BYTES + 10) });
    expect((await c.closed).code).toBe(1009);
  });

  it("refuses the upgrade with 403 for an origin not in the allowlist", async () => {
    await expect(connectClient(tg.streamUrl, { origin: "https://evil.example" })).rejects.toThrow(/HTTP 403/);
  });

  it("accepts the extension origin", async () => {
    const a = await connectClient(tg.streamUrl, {
      origin: EXTENSION_ORIGIN,
      hello: { token: tg.tokens.supervisor },
    });
    await a.waitFor((f) => f.type === "welcome");
    a.close();
  });

  it("refuses an upgrade without an Origin (403) unless --allow-no-origin", async () => {
    await expect(connectClient(tg.streamUrl, { origin: "" })).rejects.toThrow(/HTTP 403/);
    await expect(
      connectClient(tg.streamUrl, { origin: "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }),
    ).rejects.toThrow(/HTTP 403/);
    const open = await startTestGateway({ simulate: false, allowNoOrigin: true });
    try {
      const b = await connectClient(open.streamUrl, { origin: "", hello: { token: open.tokens.supervisor } });
      await b.waitFor((f) => f.type === "welcome");
      b.close();
    } finally {
      await open.stop();
    }
  });

  it("closes every socket with the code asked for, naming the reconnect spread (issue 19)", async () => {
    const c = await connectAs(tg, tg.tokens.supervisor);
    tg.gateway.closeAllSockets(4210, "state invalidated");
    const closed = await c.closed;
    expect(closed.code).toBe(4210);
    // A few sockets: the shortest spread.
    expect(decodeCloseReason(closed.reason)).toEqual({
      text: "state invalidated",
      retryAfterMs: MIN_SPREAD_MS,
    });
  });

  it("closes with 4100 over capacity and 4110 for a user connecting too often", async () => {
    const small = await startTestGateway({ simulate: false, maxConnections: 1, connectsPerMinute: 60 });
    try {
      const first = await connectAs(small, small.tokens.supervisor);
      const second = await connectClient(small.streamUrl, { hello: { token: small.tokens.supervisor } });
      expect((await second.closed).code).toBe(4100);
      first.close();
      await first.closed;
      // A burst of 15 handshakes is allowed (60/min), then 4110.
      let code = 0;
      for (let i = 0; i < 20 && code !== 4110; i++) {
        const c = await connectClient(small.streamUrl, { hello: { token: small.tokens.admin } });
        const end = await Promise.race([
          c.waitFor((f) => f.type === "welcome").then(() => 0),
          c.closed.then((x) => x.code),
        ]);
        if (end === 0) {
          c.close();
          await c.closed;
        } else code = end;
      }
      expect(code).toBe(4110);
    } finally {
      await small.stop();
    }
  });

  it("answers 404 for another path", async () => {
    await expect(connectClient(`ws://127.0.0.1:${tg.port}/v2/stream`)).rejects.toThrow(/HTTP 404/);
  });
});
