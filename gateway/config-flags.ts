/**
 * The gateway's command-line flags: each flag's LC_* environment variable,
 * kind, option key, lower bound and help text. `config.ts` parses them.
 */
import { CloseCode } from "../utils/protocol/index.ts";
import type { GatewayOptions } from "./config.ts";

export interface Flag {
  env: string;
  help: string;
  kind: "int" | "number" | "string" | "list" | "bool";
  key: keyof GatewayOptions | "users";
  min?: number;
}
export const FLAGS: Record<string, Flag> = {
  port: { env: "LC_PORT", kind: "int", key: "port", min: 0, help: "port to listen on (0 picks a free port)" },
  host: { env: "LC_HOST", kind: "string", key: "host", help: "address to bind" },
  users: {
    env: "LC_USERS",
    kind: "string",
    key: "users",
    help: "JSON users file (token,id,name,org_id,roles)",
  },
  "data-dir": { env: "LC_DATA_DIR", kind: "string", key: "dataDir", help: "keep history and audit log here" },
  seed: { env: "LC_SEED", kind: "int", key: "seed", min: 0, help: "simulation seed" },
  sessions: { env: "LC_SESSIONS", kind: "int", key: "sessions", min: 0, help: "concurrent sessions per org" },
  rate: {
    env: "LC_RATE",
    kind: "number",
    key: "rate",
    min: 0.01,
    help: "numbered events per second per org",
  },
  "new-per-minute": {
    env: "LC_NEW_PER_MINUTE",
    kind: "number",
    key: "newPerMinute",
    min: 0,
    help: "new sessions per minute",
  },
  "tokens-per-second": {
    env: "LC_TOKENS_PER_SECOND",
    kind: "number",
    key: "tokensPerSecond",
    min: 0.1,
    help: "agent reply speed",
  },
  "allow-origin": {
    env: "LC_ALLOW_ORIGIN",
    kind: "list",
    key: "allowOrigins",
    help: "allowed Origin (repeatable; env: comma-separated)",
  },
  "allow-no-origin": {
    env: "LC_ALLOW_NO_ORIGIN",
    kind: "bool",
    key: "allowNoOrigin",
    help: "accept WebSocket clients that send no Origin (server-side tools)",
  },
  "history-limit": {
    env: "LC_HISTORY_LIMIT",
    kind: "int",
    key: "historyLimit",
    min: 0,
    help: "events kept for replay (0 = auto)",
  },
  "no-simulate": {
    env: "LC_NO_SIMULATE",
    kind: "bool",
    key: "simulate",
    help: "start without simulated traffic",
  },
  "batch-ms": {
    env: "LC_BATCH_MS",
    kind: "int",
    key: "batchMs",
    min: 0,
    help: "at most one write per client per this many ms; frames coalesce meanwhile (0 = no batching)",
  },
  load: {
    env: "LC_LOAD",
    kind: "bool",
    key: "load",
    help: "load mode: --sessions at once, --rate messages/s, --tokens-per-second into one session",
  },
  "max-connections": {
    env: "LC_MAX_CONNECTIONS",
    kind: "int",
    key: "maxConnections",
    min: 1,
    help: `open sockets at most (then ${CloseCode.overCapacity})`,
  },
  "connects-per-minute": {
    env: "LC_CONNECTS_PER_MINUTE",
    kind: "number",
    key: "connectsPerMinute",
    min: 1,
    help: `handshakes per user per minute (then ${CloseCode.rateLimited})`,
  },
  "handshakes-per-second": {
    env: "LC_HANDSHAKES_PER_SECOND",
    kind: "number",
    key: "handshakesPerSecond",
    min: 1,
    help: `handshakes per second the gateway answers at most (more wait their turn, up to 5 s, then ${CloseCode.overCapacity}); a restart asks its clients to spread their reconnects to half of it`,
  },
  "frames-per-second": {
    env: "LC_FRAMES_PER_SECOND",
    kind: "number",
    key: "framesPerSecond",
    min: 1,
    help: `frames one socket may send per second, bursts of 200 (then ${CloseCode.rateLimited})`,
  },
  "commands-per-minute": {
    env: "LC_COMMANDS_PER_MINUTE",
    kind: "number",
    key: "commandsPerMinute",
    min: 0.01,
    help: "per-user command rate limit",
  },
  "sim-transport": {
    env: "LC_SIM_TRANSPORT",
    kind: "string",
    key: "simTransport",
    help: "how simulated agents publish: socket (/v1/agent, like real runtimes) or inprocess",
  },
  "agent-command-timeout-ms": {
    env: "LC_AGENT_COMMAND_TIMEOUT_MS",
    kind: "int",
    key: "agentCommandTimeoutMs",
    min: 1,
    help: "an intervention waits this long for an offline or silent agent runtime, then fails",
  },
  "runtime-grace-ms": {
    env: "LC_RUNTIME_GRACE_MS",
    kind: "int",
    key: "runtimeGraceMs",
    min: 0,
    help: "sessions of an agent runtime that is gone (socket dropped, gateway restarted) wait this long for it, then end with reason runtime_lost",
  },
  "takeover-idle-ms": {
    env: "LC_TAKEOVER_IDLE_MS",
    kind: "int",
    key: "takeoverIdleMs",
    min: 1,
    help: "a take-over lock without a reply from its holder for this long is released (audited)",
  },
  "draft-timeout-ms": {
    env: "LC_DRAFT_TIMEOUT_MS",
    kind: "int",
    key: "draftTimeoutMs",
    min: 1,
    help: "review mode: a draft not approved or rejected within this time follows --draft-policy",
  },
  "draft-policy": {
    env: "LC_DRAFT_POLICY",
    kind: "string",
    key: "draftPolicy",
    help: "review mode: at the deadline a draft is held back (hold) or sent as written (send)",
  },
  "human-queue-timeout-ms": {
    env: "LC_HUMAN_QUEUE_TIMEOUT_MS",
    kind: "int",
    key: "humanQueueTimeoutMs",
    min: 1,
    help: "a session transferred to the human queue that nobody picks up within this time expires",
  },
  "agent-frames-per-second": {
    env: "LC_AGENT_FRAMES_PER_SECOND",
    kind: "number",
    key: "agentFramesPerSecond",
    min: 1,
    help: `frames one agent runtime socket may send per second, bursts of twice that (then ${CloseCode.rateLimited})`,
  },
  "log-level": {
    env: "LC_LOG_LEVEL",
    kind: "string",
    key: "logLevel",
    help: "pino level (fatal…trace, silent)",
  },
};

export const ARG_NAMES: Record<string, string> = {
  host: "HOST",
  users: "FILE",
  "data-dir": "DIR",
  "allow-origin": "ORIGIN",
  "log-level": "LEVEL",
  "sim-transport": "MODE",
};
