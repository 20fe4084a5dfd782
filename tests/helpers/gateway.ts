/**
 * Starts the reference gateway in process for a test: port 0 on 127.0.0.1,
 * the extension origin allowed, quiet logs and a fast deterministic
 * simulation. Also a tiny WebSocket client that records frames and waits for
 * them (no fixed sleeps).
 */
import WebSocket from "ws";
import type { GatewayOptions } from "../../gateway/config.ts";
import { createGateway, type Gateway } from "../../gateway/gateway.ts";
import type { SimSession } from "../../gateway/sim/sim-session.ts";
import type { Simulation, SpawnOptions } from "../../gateway/sim/simulation.ts";
import { EXTENSION_ORIGIN } from "../../utils/extension-id.ts";
import { decodeServerFrames, type SingleServerFrame } from "../../utils/protocol/index.ts";

export type { Gateway, GatewayOptions };

export interface TestGateway {
  url: string;
  port: number;
  /** ws://127.0.0.1:PORT/v1/stream */
  streamUrl: string;
  tokens: { supervisor: string; admin: string; viewer: string; otherOrg: string };
  gateway: Gateway;
  options: Partial<GatewayOptions>;
  stop(): Promise<void>;
  /** Stops and starts a new gateway with the same options on the same port (same dataDir keeps the epoch). */
  restart(overrides?: Partial<GatewayOptions>): Promise<TestGateway>;
}

export const TEST_DEFAULTS: Partial<GatewayOptions> = {
  port: 0,
  host: "127.0.0.1",
  allowOrigins: [EXTENSION_ORIGIN],
  seed: 42,
  sessions: 4,
  rate: 40,
  newPerMinute: 30,
  tokensPerSecond: 200,
  metricsIntervalMs: 1000,
  logLevel: "silent",
  // Tests reconnect a lot on purpose; the handshake rate limit has its own test.
  connectsPerMinute: 1_000_000,
  // The simulated agents publish through the agent client in process: the same code as over /v1/agent
  // (tests/gateway/agent-*.test.ts cover the socket), synchronous, so the manual clock steps it.
  simTransport: "inprocess",
};

export async function startTestGateway(opts: Partial<GatewayOptions> = {}): Promise<TestGateway> {
  const options = { ...TEST_DEFAULTS, ...opts };
  const gateway = createGateway(options);
  await gateway.listen();
  const users = gateway.options.users;
  const byRole = (role: string) => users.find((u) => (u.roles as string[]).includes(role))?.token ?? "";
  const supervisor = users.find((u) => (u.roles as string[]).includes("supervisor"));
  const tg: TestGateway = {
    url: gateway.url,
    port: gateway.port,
    streamUrl: `ws://127.0.0.1:${gateway.port}/v1/stream`,
    tokens: {
      supervisor: supervisor?.token ?? "",
      admin: byRole("admin"),
      viewer: byRole("viewer"),
      otherOrg: users.find((u) => u.org_id !== supervisor?.org_id)?.token ?? "",
    },
    gateway,
    options,
    stop: () => gateway.stop(),
    async restart(overrides = {}) {
      await gateway.stop();
      return startTestGateway({ ...options, port: gateway.port, ...overrides });
    },
  };
  return tg;
}

export interface TestClient {
  ws: WebSocket;
  /** Every single frame received, batches unpacked, in order. */
  frames: SingleServerFrame[];
  /** Raw messages received (to see batches). */
  raw: string[];
  /** Frames the protocol decoder refused (tests assert this stays empty). */
  errors: string[];
  send(frame: unknown): void;
  /** Resolves with the first frame (from `from` on) matching `pred`. */
  waitFor<T extends SingleServerFrame = SingleServerFrame>(
    pred: (f: SingleServerFrame) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<T>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export function connectClient(
  url: string,
  opts: { origin?: string; hello?: Record<string, unknown> | null } = {},
): Promise<TestClient> {
  // Like a browser, the client sends the extension's origin unless told otherwise ("" = no Origin).
  const origin = opts.origin ?? EXTENSION_ORIGIN;
  const ws = new WebSocket(url, origin ? { origin } : {});
  const frames: SingleServerFrame[] = [];
  const raw: string[] = [];
  const errors: string[] = [];
  const waiters = new Set<() => void>();
  ws.on("message", (data) => {
    const text = data.toString();
    raw.push(text);
    for (const f of decodeServerFrames(text)) {
      if (f.ok) frames.push(f.value);
      else errors.push(`${f.error.path} ${f.error.message}`);
    }
    for (const w of waiters) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const client: TestClient = {
    ws,
    frames,
    raw,
    errors,
    send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    waitFor<T extends SingleServerFrame>(
      pred: (f: SingleServerFrame) => boolean,
      timeoutMs = 5000,
      from = 0,
    ) {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          for (let i = from; i < frames.length; i++) {
            const f = frames[i] as SingleServerFrame;
            if (pred(f)) {
              done();
              resolve(f as T);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for a frame`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    closed,
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => {
      if (opts.hello !== null && opts.hello !== undefined)
        client.send({ type: "hello", v: 1, ...opts.hello });
      resolve(client);
    });
    ws.once("unexpected-response", (_req, res) =>
      reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)),
    );
    ws.once("error", reject);
  });
}

/** Connects and completes the handshake; resolves once the welcome arrived. */
export async function connectAs(
  tg: Pick<TestGateway, "streamUrl">,
  token: string,
  extra: Record<string, unknown> = {},
): Promise<TestClient> {
  const c = await connectClient(tg.streamUrl, { hello: { token, client: "test/1", ...extra } });
  await c.waitFor((f) => f.type === "welcome");
  return c;
}

/** fetch with a bearer token, returning status and parsed JSON. */
export async function api(
  tg: Pick<TestGateway, "url">,
  token: string | null,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies and assert on them
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { ...init.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${tg.url}${path}`, {
    method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
    headers,
    ...(init.body !== undefined
      ? { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }
      : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * Starts a simulated conversation in the supervisor's org, driven by the test
 * (`auto: false`: it only moves when the test calls its methods).
 */
export function spawnSession(tg: TestGateway, opts: SpawnOptions = {}): SimSession {
  const orgId = tg.gateway.options.users.find((u) => u.token === tg.tokens.supervisor)?.org_id ?? "";
  return simOf(tg.gateway, orgId).spawn({ auto: false, ...opts });
}

/** The simulated agents of an org (an agent runtime beside it, not part of the org runtime), for tests to drive. */
export function simOf(gateway: Gateway, orgId = "org_demo"): Simulation {
  const sim = gateway.sims.get(orgId);
  if (!sim) throw new Error(`no simulation for org ${orgId}`);
  return sim;
}
