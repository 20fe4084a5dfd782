/**
 * "Test connection" names the real fault, each against a real server on 127.0.0.1 port 0: the real gateway
 * (origin allowlist, bad token, agent token, viewer token), the fault kit's TCP proxy that passes HTTP but
 * refuses or swallows WebSocket upgrades, a port with nothing listening, self-signed TLS servers, and a tiny
 * server of another protocol version. The logic runs in Node with `ws` (sending the extension's origin) and
 * a fetch that behaves as the extension page's (Origin, CORS, opaque errors where said).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestDeps, testConnection } from "../../utils/connection/test-connection";
import { classifyNetError, plainHttpTwin } from "../../utils/connection/test-connection-probes";
import { EXTENSION_ORIGIN } from "../../utils/extension-id";
import { startTcpProxy } from "../faults/kit";
import { DEMO_AGENT_TOKEN } from "../helpers/agent-socket";
import {
  browserLikeFetch,
  closedPortUrl,
  type Running,
  startSelfSignedHttps,
  startSilentServer,
  startTlsLikeNginx,
  startVersionServer,
} from "../helpers/connection-servers";
import { startTestGateway, type TestGateway } from "../helpers/gateway";
import { nodeSocket } from "../helpers/worker-node";

let tg: TestGateway;
beforeAll(async () => {
  tg = await startTestGateway({ sessions: 1 });
});
afterAll(() => tg.stop());

const deps: TestDeps = {
  createSocket: nodeSocket,
  origin: EXTENSION_ORIGIN,
  fetch: browserLikeFetch(EXTENSION_ORIGIN),
  timeoutMs: 3000,
};
const browserDeps: TestDeps = { ...deps, fetch: browserLikeFetch(EXTENSION_ORIGIN, { opaqueErrors: true }) };
const test = (gatewayUrl: string, token = tg.tokens.supervisor, d = deps) =>
  testConnection({ gatewayUrl, token, pollIntervalMs: 5000 }, d);
async function using<T>(server: Running, fn: (s: Running) => Promise<T>): Promise<T> {
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

describe("Test connection names the real fault", () => {
  it("success against the real gateway, naming who we are", async () => {
    const r = await test(tg.url);
    expect(r).toMatchObject({ ok: true });
    expect(r.message).toMatch(/^Connected as .+ \(supervisor\)/);
  });

  it("unreachable: a port with nothing listening", async () => {
    const url = await closedPortUrl();
    for (const d of [deps, browserDeps]) {
      const r = await test(url, tg.tokens.supervisor, d);
      expect(r).toMatchObject({ ok: false, step: "unreachable" });
      expect(r.ok || r.fix).toContain("the gateway runs");
    }
  });

  it("a host that accepts but never answers: no answer within the time limit", async () => {
    await using(await startSilentServer(), async (s) => {
      const r = await test(s.url, tg.tokens.supervisor, { ...browserDeps, timeoutMs: 500 });
      expect(r).toMatchObject({ ok: false, step: "timeout" });
      expect(r.message).toContain("did not answer within 0.5 s");
    });
  });

  it("TLS failure: a self-signed certificate (Node's server; the runtime names the cause)", async () => {
    await using(await startSelfSignedHttps(), async (s) => {
      const r = await test(s.url);
      expect(r).toMatchObject({ ok: false, step: "tls" });
      expect(r.message).toContain("SELF_SIGNED");
      expect(r.ok || r.fix).toContain("certificate this browser trusts");
    });
  });

  it("TLS failure seen as a browser sees it (no cause): the port answers plain HTTP, so a TLS server is there", async () => {
    await using(await startTlsLikeNginx(), async (s) => {
      expect(await test(s.url, tg.tokens.supervisor, browserDeps)).toMatchObject({ ok: false, step: "tls" });
      // The same server with a runtime that names the cause agrees.
      expect(await test(s.url)).toMatchObject({ ok: false, step: "tls" });
    });
  });

  for (const mode of ["refuse", "blackhole"] as const) {
    it(`a proxy that passes HTTP but ${mode === "refuse" ? "resets" : "swallows"} WebSocket upgrades: WebSockets blocked, polling`, async () => {
      const proxy = await startTcpProxy(tg.port);
      proxy.upgrades = mode;
      try {
        const r = await test(proxy.url, tg.tokens.supervisor, {
          ...browserDeps,
          timeoutMs: mode === "blackhole" ? 1000 : 3000,
        });
        expect(r).toMatchObject({ ok: false, step: "websocket" });
        expect(r.message).toContain("your network blocks WebSockets; the panel will poll every 5 s");
        expect(r.message).not.toMatch(/\b403\b|origin/i); // a status, not a random port's digits
      } finally {
        await proxy.close();
      }
    });
  }

  it("the same proxy passing upgrades: connected", async () => {
    const proxy = await startTcpProxy(tg.port);
    try {
      expect(await test(proxy.url)).toMatchObject({ ok: true });
    } finally {
      await proxy.close();
    }
  });

  it("origin not in the allowlist: prints the origin and the flag", async () => {
    const other = await startTestGateway({ sessions: 0, allowOrigins: ["chrome-extension://someoneelse"] });
    try {
      const r = await test(other.url, other.tokens.supervisor);
      expect(r).toMatchObject({ ok: false, step: "origin" });
      expect(r.message).toContain(EXTENSION_ORIGIN);
      expect(r.ok || r.fix).toContain(`--allow-origin ${EXTENSION_ORIGIN}`);
    } finally {
      await other.stop();
    }
  });

  it("the stream path over HTTP answers what the upgrade would: 426 for an allowed origin, 403 naming another", async () => {
    const ok = await fetch(`${tg.url}/v1/stream`, { headers: { origin: EXTENSION_ORIGIN } });
    expect(ok.status).toBe(426);
    const no = await fetch(`${tg.url}/v1/stream`, { headers: { origin: "https://evil.example" } });
    expect(no.status).toBe(403);
    expect(no.headers.get("access-control-allow-origin")).toBe("https://evil.example");
    expect(await no.json()).toMatchObject({
      error: { code: "ORIGIN_NOT_ALLOWED", origin: "https://evil.example" },
    });
  });

  it("401: a bad token, never echoed", async () => {
    const r = await test(tg.url, "secret_wrong_token_123");
    expect(r).toMatchObject({ ok: false, step: "unauthorized" });
    expect(JSON.stringify(r)).not.toContain("secret_wrong_token_123");
  });

  it("an agent runtime's token: the wrong kind of token, not an origin problem", async () => {
    const r = await test(tg.url, DEMO_AGENT_TOKEN);
    expect(r).toMatchObject({ ok: false, step: "role" });
    expect(r.message).toContain("agent");
    expect(JSON.stringify(r)).not.toMatch(/origin/i);
  });

  it("a viewer's token: can watch, cannot intervene", async () => {
    const r = await test(tg.url, tg.tokens.viewer);
    expect(r).toMatchObject({ ok: false, step: "role" });
    expect(r.message).toContain("viewer");
  });

  it("a gateway newer than the extension (its /healthz says v2)", async () => {
    await using(await startVersionServer(2, EXTENSION_ORIGIN), async (s) => {
      const r = await test(s.url);
      expect(r).toMatchObject({ ok: false, step: "version" });
      expect(r.message).toContain("newer than the extension");
    });
  });

  it("a gateway too old (v0), and one that does not advertise: the stream's 4008 names its version", async () => {
    await using(await startVersionServer(0, EXTENSION_ORIGIN), async (s) => {
      expect((await test(s.url)).message).toContain("the gateway is too old");
    });
    await using(await startVersionServer(2, EXTENSION_ORIGIN, true), async (s) => {
      const r = await test(s.url);
      expect(r).toMatchObject({ ok: false, step: "version" });
      expect(r.message).toContain("speaks protocol v2");
    });
  });
});

describe("the probes' small rules", () => {
  it("the plain-http twin of an https URL keeps host and port (443 when none)", () => {
    expect(plainHttpTwin("https://gw.example.org/")).toBe("http://gw.example.org:443/");
    expect(plainHttpTwin("https://[::1]:8443/x")).toBe("http://[::1]:8443/");
    expect(plainHttpTwin("http://127.0.0.1:8787")).toBeNull();
  });

  it("reads Node's causes: TLS codes, network codes, timeouts; a browser's bare TypeError is unknown", () => {
    const withCause = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: { code } });
    expect(classifyNetError(withCause("CERT_HAS_EXPIRED"))).toEqual({
      kind: "tls",
      code: "CERT_HAS_EXPIRED",
    });
    expect(classifyNetError(withCause("ECONNREFUSED"))).toEqual({ kind: "refused", code: "ECONNREFUSED" });
    const aggregate = Object.assign(new TypeError("fetch failed"), {
      cause: { errors: [{ code: "ENOTFOUND" }] },
    });
    expect(classifyNetError(aggregate).kind).toBe("refused");
    expect(classifyNetError(new DOMException("t", "TimeoutError")).kind).toBe("timeout");
    expect(classifyNetError(new TypeError("Failed to fetch")).kind).toBe("unknown");
  });
});
