import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testConnection } from "../../utils/worker/test-connection";
import { type FakeGateway, startFakeGateway } from "../helpers/worker-fake-gateway";
import { nodeSocket } from "../helpers/worker-node";

let gw: FakeGateway;
beforeEach(async () => {
  gw = await startFakeGateway();
});
afterEach(async () => {
  await gw.stop();
});
const deps = { createSocket: nodeSocket, timeoutMs: 3000 };

describe("Test connection reports exactly what failed", () => {
  it("success", async () => {
    const r = await testConnection({ gatewayUrl: gw.url, token: gw.token }, deps);
    expect(r.ok).toBe(true);
  });

  it("unreachable", async () => {
    const r = await testConnection({ gatewayUrl: "http://127.0.0.1:9", token: "t" }, deps);
    expect(r).toMatchObject({ ok: false, step: "unreachable" });
  });

  it("401, without echoing the token", async () => {
    const r = await testConnection({ gatewayUrl: gw.url, token: "secret_wrong_token" }, deps);
    expect(r).toMatchObject({ ok: false, step: "unauthorized" });
    expect(r.message).not.toContain("secret_wrong_token");
  });

  it("403 origin at the socket upgrade", async () => {
    gw.refuseSockets = true;
    const r = await testConnection({ gatewayUrl: gw.url, token: gw.token }, deps);
    expect(r).toMatchObject({ ok: false, step: "origin" });
  });
});
