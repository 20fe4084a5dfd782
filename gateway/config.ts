/**
 * Gateway options: defaults, command-line flags and LC_* environment
 * variables. Parsing never throws anything but a ConfigError whose message is
 * one line naming the problem, so `main.ts` can print it and exit.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXTENSION_ORIGIN } from "../utils/extension-id.ts";
import type { EventFrame } from "../utils/protocol/index.ts";
import { parseUsers, type UserRecord } from "./auth/users.ts";
import { ARG_NAMES, FLAGS } from "./config-flags.ts";

export interface GatewayOptions {
  port: number;
  host: string;
  users: UserRecord[];
  /** Directory for the SQLite event history and audit log; null keeps history in memory (epoch changes on restart). */
  dataDir: string | null;
  seed: number;
  /** Concurrent simulated sessions per org. */
  sessions: number;
  /** Numbered events per second per org the simulation aims for. */
  rate: number;
  newPerMinute: number;
  tokensPerSecond: number;
  allowOrigins: string[];
  /** Events kept for replay per org; 0 = enough for a 2-minute outage at `rate` (at least 10 000). */
  historyLimit: number;
  simulate: boolean;
  /** Load mode (benchmarks): `sessions` conversations at once, `rate` messages/s, `tokensPerSecond` deltas into one watched session. */
  load: boolean;
  /** Accept WebSocket upgrades without an Origin header (server-side clients); off by default. */
  allowNoOrigin: boolean;
  /** Drive time by hand (`gateway.clock.advance(ms)`) instead of real timers: for tests. */
  manualClock: boolean;
  helloTimeoutMs: number;
  heartbeatMs: number;
  idleTimeoutMs: number;
  metricsIntervalMs: number;
  /** Coalesce frames per client: frames of one event-loop turn go together, at most one write per this many ms (0 = never batch). */
  batchMs: number;
  commandsPerMinute: number;
  commandBurst: number;
  /** Open sockets at most; more are closed with 4100 (over capacity). */
  maxConnections: number;
  /** Handshakes per user per minute (bursts of a quarter of it); more are closed with 4110. */
  connectsPerMinute: number;
  /** Handshakes per second the gateway is sized for: a 42xx to every socket asks them to spread their reconnects to half of it. */
  handshakesPerSecond: number;
  /**
   * Tests only (the fault suite's snapshot race), never set by the command line:
   * each snapshot sent on the stream has its state captured `capture` ms late and
   * is sent `send` ms after that, while live events keep flowing. null = at once.
   */
  snapshotDelay: SnapshotDelay | null;
  /**
   * Tests only (the fault suite's lost final message), never set by the command line:
   * a live event this returns true for is not sent on that stream socket (it stays in
   * the history, so a replay or a snapshot still carries it). null = send everything.
   */
  dropLiveEvent: ((event: EventFrame, connId: string) => boolean) | null;
  /**
   * Benchmarks only, never set by the command line: called with each text the
   * stream writes to a client socket, just after it is handed to the socket
   * (the bench stamps when each token delta left the gateway). Unset = nothing.
   */
  onWrite?: ((text: string) => void) | null;
  /**
   * Tests only, never set by the command line: the gateway opens the history
   * but does not restore the state or the runtimes' claims from it — the
   * broken restore the restart fault test must catch (issue 19).
   */
  testDisableRestore?: boolean;
  /** Frames per second one socket may send (bursts of `frameBurst`); a client over it is closed with 4110. */
  framesPerSecond: number;
  frameBurst: number;
  logLevel: string;
  /** How the simulated agents reach the gateway: through `/v1/agent` like real runtimes, or in process (tests). */
  simTransport: "socket" | "inprocess";
  /** How long an intervention on a runtime's session waits for the runtime (queued + answer) before it fails. */
  agentCommandTimeoutMs: number;
  /**
   * How long the sessions of an agent runtime that is gone (its socket dropped,
   * or the gateway restarted) wait for it to reconnect before they end with
   * reason `runtime_lost` (issue 19).
   */
  runtimeGraceMs: number;
  /** Frames per second one agent runtime socket may send (bursts of twice that); more closes it with 4110. */
  agentFramesPerSecond: number;
  /** A take-over lock idle this long (no reply from its holder) is released, audited (issue 12). */
  takeoverIdleMs: number;
  /** Review mode: a draft not approved or rejected within this time follows `draftPolicy` (issue 12). */
  draftTimeoutMs: number;
  /** Review mode: at the deadline a draft is held back for good (`hold`) or sent as written (`send`). */
  draftPolicy: "hold" | "send";
  /** The human queue gives up on a session nobody picked up within this time (`human_queue` expired). */
  humanQueueTimeoutMs: number;
}

/** See `GatewayOptions.snapshotDelay`. */
export type SnapshotDelay = () => { capture: number; send: number };

export class ConfigError extends Error {}

export const DEMO_USERS_FILE = resolve(import.meta.dirname, "auth/demo-users.json");

export function loadUsersFile(file: string): UserRecord[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read users file ${file}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`users file ${file} is not valid JSON`);
  }
  const users = parseUsers(json);
  if (!users.ok) throw new ConfigError(`users file ${file}: ${users.error}`);
  return users.value;
}

export function defaultOptions(): GatewayOptions {
  return {
    port: 8787,
    host: "127.0.0.1",
    users: loadUsersFile(DEMO_USERS_FILE),
    dataDir: null,
    seed: 1,
    sessions: 12,
    rate: 4,
    newPerMinute: 6,
    tokensPerSecond: 30,
    allowOrigins: [EXTENSION_ORIGIN],
    historyLimit: 0,
    simulate: true,
    load: false,
    allowNoOrigin: false,
    manualClock: false,
    helloTimeoutMs: 5000,
    heartbeatMs: 20_000,
    idleTimeoutMs: 30_000,
    metricsIntervalMs: 5000,
    batchMs: 8,
    commandsPerMinute: 60,
    commandBurst: 10,
    maxConnections: 10_000,
    connectsPerMinute: 300,
    handshakesPerSecond: 500,
    snapshotDelay: null,
    dropLiveEvent: null,
    framesPerSecond: 100,
    frameBurst: 200,
    logLevel: "info",
    simTransport: "socket",
    agentCommandTimeoutMs: 30_000,
    agentFramesPerSecond: 1000,
    runtimeGraceMs: 60_000,
    takeoverIdleMs: 300_000,
    draftTimeoutMs: 120_000,
    draftPolicy: "hold",
    humanQueueTimeoutMs: 300_000,
  };
}

/** History kept per org: a 2-minute outage at full rate, with 50 % margin. */
export function historyLimitFor(opts: Pick<GatewayOptions, "historyLimit" | "rate">): number {
  return opts.historyLimit > 0 ? opts.historyLimit : Math.max(10_000, Math.ceil(opts.rate * 180));
}

export function usage(): string {
  const defaults = defaultOptions() as unknown as Record<string, unknown>;
  const lines = Object.entries(FLAGS).map(([name, f]) => {
    const arg = f.kind === "bool" ? "" : ` ${ARG_NAMES[name] ?? "N"}`;
    const d = name === "users" ? "built-in demo users" : f.kind === "bool" ? null : defaults[f.key];
    const shown =
      d === null || d === undefined ? "" : ` (default ${Array.isArray(d) ? d.join(", ") : String(d)})`;
    return `  --${`${name}${arg}`.padEnd(28)} ${f.help}${shown} [${f.env}]`;
  });
  return [
    "Usage: npm run gateway -- [options]",
    "Live Conversations reference gateway (protocol v1). Every option can also be set by the environment variable in brackets.",
    "",
    ...lines,
    `  --${"help".padEnd(28)} show this help`,
  ].join("\n");
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Parses argv and env on top of the defaults. Returns null when --help was asked. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): GatewayOptions | null {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {
    help: { type: "boolean" },
  };
  for (const [name, f] of Object.entries(FLAGS))
    options[name] = {
      type: f.kind === "bool" ? "boolean" : "string",
      ...(f.kind === "list" ? { multiple: true } : {}),
    };
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new ConfigError((e as Error).message.split("\n")[0] ?? "bad arguments");
  }
  if (values.help) return null;
  const opts = defaultOptions();
  const out = opts as unknown as Record<string, unknown>;
  for (const [name, f] of Object.entries(FLAGS)) {
    const cli = values[name];
    const raw: unknown = cli !== undefined ? cli : env[f.env];
    if (raw === undefined || raw === "") continue;
    const where = cli !== undefined ? `--${name}` : f.env;
    if (f.kind === "bool") {
      const on = raw === true || raw === "1" || raw === "true";
      out[f.key] = f.key === "simulate" ? !on : on;
    } else if (f.kind === "list") {
      const list = Array.isArray(raw) ? raw.map(String) : String(raw).split(",");
      out[f.key] = list.map((s) => s.trim()).filter(Boolean);
    } else if (f.kind === "string") {
      out[f.key] = String(raw);
    } else {
      const n = Number(raw);
      if (!Number.isFinite(n) || (f.kind === "int" && !Number.isInteger(n)) || n < (f.min ?? -Infinity))
        throw new ConfigError(
          `${where}: expected ${f.kind === "int" ? "an integer" : "a number"}${f.min !== undefined ? ` >= ${f.min}` : ""}, got "${raw}"`,
        );
      out[f.key] = n;
    }
  }
  if (typeof out.users === "string") opts.users = loadUsersFile(out.users);
  if (opts.port > 65535) throw new ConfigError(`--port: ${opts.port} is not a valid port`);
  if (opts.draftPolicy !== "hold" && opts.draftPolicy !== "send")
    throw new ConfigError(`--draft-policy: expected hold or send, got "${opts.draftPolicy}"`);
  if (opts.simTransport !== "socket" && opts.simTransport !== "inprocess")
    throw new ConfigError(`--sim-transport: expected socket or inprocess, got "${opts.simTransport}"`);
  if (!LEVELS.includes(opts.logLevel))
    throw new ConfigError(`--log-level: expected one of ${LEVELS.join(", ")}`);
  for (const o of opts.allowOrigins)
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(o))
      throw new ConfigError(`--allow-origin: "${o}" is not an origin like https://host`);
  return opts;
}
