/**
 * The gateway as an object: HTTP routes and the WebSocket stream on one
 * fastify server, one org runtime per organisation in the users file (its
 * state, take-over locks, human queue and presence) with its simulated agents
 * beside it as an agent runtime, the history store and the audit log. Tests create it in
 * process; `main.ts` runs it from the command line.
 */
import { randomBytes, randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, LogController } from "fastify";
import pino, { type Logger } from "pino";
import { CloseCode, HUMAN_QUEUE_AGENT, MAX_FRAME_BYTES } from "../utils/protocol/index.ts";
import { type AgentConnectionDeps, createAgentConnection } from "./agents/agent-connection.ts";
import { inProcessWebSocket } from "./agents/agent-inprocess.ts";
import { type AgentHub, createAgentHub } from "./agents/agent-interventions.ts";
import { createAgentPublisher } from "./agents/agent-publish.ts";
import { endLostSession, restoreSessions } from "./agents/restore-sessions.ts";
import { type AuditStore, openAuditStore } from "./audit/audit-store.ts";
import { type AuthUser, createAuthenticator } from "./auth/auth.ts";
import { createRateLimiter } from "./auth/rate-limit.ts";
import { type Clock, createManualClock, createRealClock } from "./clock.ts";
import { defaultOptions, type GatewayOptions, historyLimitFor } from "./config.ts";
import { registerRoutes } from "./http/http-routes.ts";
import { createLoadGenerator, type LoadGenerator } from "./load/load.ts";
import { createCommandHandler } from "./org/commands.ts";
import { createMemoryHistory, type HistoryStore } from "./org/event-log.ts";
import { createHumanQueueWatch, type HumanQueueWatch } from "./org/human-queue.ts";
import type { OrgRuntime } from "./org/interventions.ts";
import { createOrgState, type OrgSnapshot } from "./org/org-state.ts";
import { createTakeoverLocks, type TakeoverLocks } from "./org/takeover.ts";
import { createSimRuntime, SIM_AGENTS, type SimRuntime, type Simulation } from "./sim/sim-runtime.ts";
import { openSqliteHistory } from "./store/sqlite-history.ts";
import { createStreamCounters, type StreamCounters } from "./stream/connection.ts";
import { createHandshakeGate, type HandshakeGateStats } from "./stream/handshake-gate.ts";
import { createPresence } from "./stream/presence.ts";
import { createStreamServer, type StreamServer } from "./stream/ws-server.ts";

export interface Gateway {
  readonly options: GatewayOptions;
  readonly orgs: Map<string, OrgRuntime>;
  /**
   * The simulated agents of each org: an agent runtime beside the org, reached by the gateway only as one
   * (tests and scripts drive it directly: spawn, start, stop).
   */
  readonly sims: Map<string, Simulation>;
  /** Load mode (`--load`): the generator of each org. */
  readonly loads: Map<string, LoadGenerator>;
  readonly clock: Clock;
  readonly audit: AuditStore;
  readonly log: Logger;
  /** Set once listening. */
  url: string;
  port: number;
  listen(): Promise<void>;
  stop(): Promise<void>;
  /** Closes every client socket with `code` (default 4200, "server restarting"). */
  closeAllSockets(code?: number, reason?: string): void;
  /** Drops every client socket without a close frame, as a network failure would (benchmarks, fault tests). */
  dropAllSockets(): void;
  snapshot(orgId: string): OrgSnapshot;
  connectionCount(): number;
  /** The handshake budget on `/v1/stream`: peak per second, waiting, queued, refused (`reset`: from now on). */
  handshakes(reset?: boolean): HandshakeGateStats;
  /** What the WebSocket endpoint counted about client frames (live object). */
  readonly counters: StreamCounters;
  /** Agent runtimes: who owns which session, interventions on their way. */
  readonly agents: AgentHub;
  /** What `/v1/agent` counted about agent runtimes' frames (the simulation's included; live object). */
  readonly agentCounters: StreamCounters;
  /**
   * Revokes a token until the process ends: its open sockets are closed with
   * 4001 and it no longer authenticates on the WebSocket or over HTTP. To
   * revoke it for good, also remove it from the users file. False for an unknown token.
   */
  revokeToken(token: string): boolean;
}

export function createGateway(partial: Partial<GatewayOptions> = {}, logger?: Logger): Gateway {
  const options: GatewayOptions = { ...defaultOptions(), ...partial };
  const log =
    logger ?? pino({ level: options.logLevel, redact: ["token", "*.token", "req.headers.authorization"] });
  const clock = options.manualClock ? createManualClock() : createRealClock();
  const history: HistoryStore = options.dataDir ? openSqliteHistory(options.dataDir) : createMemoryHistory();
  const audit = openAuditStore(options.dataDir);
  const auth = createAuthenticator(options.users);
  const counters = createStreamCounters();
  const limit = historyLimitFor(options);
  const orgs = new Map<string, OrgRuntime>();
  const loads = new Map<string, LoadGenerator>();
  const simRuntimes = new Map<string, SimRuntime>();
  const sims = new Map<string, Simulation>();
  const allLocks: TakeoverLocks[] = [];
  const queues: HumanQueueWatch[] = [];
  const agentCounters = createStreamCounters();
  const hub = createAgentHub({
    clock,
    timeoutMs: options.agentCommandTimeoutMs,
    graceMs: options.runtimeGraceMs,
    onLost: (orgId, sid, key) => endLostSession(orgs.get(orgId)?.state, sid, key, { clock, log }),
  });
  const publisher = createAgentPublisher({ orgs, hub });
  const connectLimiter = createRateLimiter(
    options.connectsPerMinute,
    Math.max(1, options.connectsPerMinute / 4),
  );
  // A hello waits at most 5 s for its turn (half the reference client's 10 s welcome time-out), then 4100.
  const handshakeGate = createHandshakeGate({ perSecond: options.handshakesPerSecond, maxWaitMs: 5000 });
  const agentDeps: AgentConnectionDeps = {
    auth,
    hub,
    publisher,
    log: log.child({ component: "agent" }),
    helloTimeoutMs: options.helloTimeoutMs,
    heartbeatMs: options.heartbeatMs,
    idleTimeoutMs: options.idleTimeoutMs,
    connectLimiter,
    framesPerSecond: options.agentFramesPerSecond,
    counters: agentCounters,
  };
  const inProcess =
    options.simTransport === "inprocess"
      ? inProcessWebSocket((s) => createAgentConnection(s, agentDeps, () => {}))
      : null;
  for (const orgId of auth.orgIds()) {
    const state = createOrgState(
      orgId,
      history.open(orgId, limit),
      SIM_AGENTS.map((a) => ({ ...a })),
      clock,
      !options.testDisableRestore,
      { onError: (err) => log.error({ err, org: orgId }, "saving the state for restarts failed; retrying") },
    );
    restoreSessions(
      state,
      { hub, clock, log },
      { simPrefix: `sim_${orgId}/`, disabled: options.testDisableRestore === true },
    );
    const locks = createTakeoverLocks({
      clock,
      idleMs: options.takeoverIdleMs,
      releasers: [TAKEOVER_IDLE_ID],
      onIdle: (sid, holder) => releaseIdle(orgId, sid, holder),
    });
    allLocks.push(locks);
    const humanQueue = createHumanQueueWatch({ state, clock, timeoutMs: options.humanQueueTimeoutMs });
    queues.push(humanQueue);
    const presence = createPresence();
    // A session that ends fails the interventions still queued for it — after its own event has gone out —
    // and leaves nothing behind: its take-over lock and its presence entries go.
    state.onEvent((ev) => {
      const sid = ev.session_id;
      if (ev.kind === "session_ended" && sid) {
        locks.release(sid);
        presence.sessionEnded(sid);
        queueMicrotask(() => hub.sessionEnded(state, sid));
      }
    });
    // The simulated agents are an agent runtime like any other, with a token of their own for this process.
    const simToken = `lc_sim_${randomBytes(24).toString("hex")}`;
    auth.addInternal(simToken, {
      id: `sim_${orgId}`,
      name: "Simulated agents",
      org_id: orgId,
      roles: ["agent"],
      permissions: ["agent:publish"],
      isAdmin: false,
      canIntervene: false,
      agentIds: [...SIM_AGENTS.map((a) => a.id), HUMAN_QUEUE_AGENT.id],
      internal: true,
    });
    const runtime = createSimRuntime({
      orgId,
      clock,
      token: simToken,
      inProcess,
      log: log.child({ component: "sim", org: orgId }),
      sim: {
        ...options,
        onEscalation: (sid) => clock.setTimer(0, () => runPolicy(orgId, sid)),
        known: (sid) => state.session(sid) !== undefined,
        review: { timeoutMs: options.draftTimeoutMs, policy: options.draftPolicy },
        humanQueue: { timeoutMs: options.humanQueueTimeoutMs },
      },
    });
    simRuntimes.set(orgId, runtime);
    sims.set(orgId, runtime.sim);
    if (inProcess) runtime.connect("http://in-process");
    orgs.set(orgId, {
      state,
      forward: (action, record) => hub.forward(state, action, record),
      locks,
      humanQueue,
      presence,
    });
    if (options.load)
      loads.set(
        orgId,
        createLoadGenerator(state, {
          sessions: options.sessions,
          rate: options.rate,
          tokensPerSecond: options.tokensPerSecond,
        }),
      );
  }
  const commands = createCommandHandler({
    orgs,
    audit,
    limiter: createRateLimiter(options.commandsPerMinute, options.commandBurst),
    log,
    now: () => clock.now(),
  });
  /** The automated escalation policy: an intervention like any other, audited and rate limited. */
  function runPolicy(orgId: string, sessionId: string): void {
    if (sims.get(orgId)?.halted) return;
    const r = commands.handle(policyUser(orgId), {
      cmd_id: randomUUID(),
      action: "system_message",
      session_id: sessionId,
      reason: "Automated policy: the customer escalated to urgent",
      payload: { text: "A supervisor has been notified and is following this conversation." },
    });
    if (r.ok) r.apply();
  }
  /** A take-over idle for too long is handed back by the gateway: an audited intervention like any other. */
  function releaseIdle(orgId: string, sessionId: string, holder: { id: string; name: string }): void {
    const seconds = Math.round(options.takeoverIdleMs / 1000);
    const r = commands.handle(takeoverIdleUser(orgId), {
      cmd_id: randomUUID(),
      action: "hand_back",
      session_id: sessionId,
      reason: `Take-over by ${holder.name} idle for ${seconds} s: released automatically`,
      payload: {},
    });
    if (r.ok) {
      log.info({ org: orgId, session: sessionId, holder: holder.id }, "idle take-over released");
      r.apply();
      return;
    }
    log.warn({ org: orgId, session: sessionId, code: r.code }, "idle take-over not released yet");
    // Refused for now (rate limit, audit log down): try again after the same idle time.
    if (r.code !== "SESSION_ENDED" && r.code !== "SESSION_NOT_FOUND")
      orgs.get(orgId)?.locks?.touch(sessionId);
  }
  const app = Fastify({
    loggerInstance: log.child({ component: "http" }) as FastifyBaseLogger,
    bodyLimit: MAX_FRAME_BYTES,
    logController: new LogController({ disableRequestLogging: true }),
  });
  registerRoutes(app, {
    auth,
    orgs,
    commands,
    audit,
    publisher,
    allowOrigins: options.allowOrigins,
    allowNoOrigin: options.allowNoOrigin,
  });
  let stream: StreamServer | null = null;
  let stopped = false;

  const gateway: Gateway = {
    options,
    orgs,
    sims,
    loads,
    clock,
    audit,
    log,
    url: "",
    port: 0,
    async listen() {
      stream = createStreamServer(app.server, {
        auth,
        orgs,
        commands,
        log: log.child({ component: "ws" }),
        helloTimeoutMs: options.helloTimeoutMs,
        heartbeatMs: options.heartbeatMs,
        idleTimeoutMs: options.idleTimeoutMs,
        batchMs: options.batchMs,
        allowOrigins: options.allowOrigins,
        allowNoOrigin: options.allowNoOrigin,
        metricsIntervalMs: options.metricsIntervalMs,
        maxConnections: options.maxConnections,
        handshakesPerSecond: options.handshakesPerSecond,
        snapshotDelay: options.snapshotDelay,
        dropLiveEvent: options.dropLiveEvent,
        onWrite: options.onWrite ?? null,
        framesPerSecond: options.framesPerSecond,
        frameBurst: options.frameBurst,
        counters,
        connectLimiter,
        handshakeGate,
        agent: agentDeps,
      });
      await app.listen({ port: options.port, host: options.host });
      const addr = app.server.address();
      gateway.port = typeof addr === "object" && addr ? addr.port : options.port;
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      gateway.url = `http://${host}:${gateway.port}`;
      if (!inProcess) for (const r of simRuntimes.values()) r.connect(gateway.url);
      if (options.load) for (const l of loads.values()) l.start();
      else if (options.simulate) for (const sim of sims.values()) sim.start();
      log.info(
        { url: gateway.url, orgs: [...orgs.keys()], dataDir: options.dataDir, historyLimit: limit },
        "gateway listening",
      );
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const l of loads.values()) l.stop();
      for (const sim of sims.values()) sim.stop();
      for (const o of orgs.values()) {
        o.state.persist();
        o.state.persister?.dispose();
      }
      for (const r of simRuntimes.values()) r.close();
      hub.dispose();
      for (const l of allLocks) l.dispose();
      for (const q of queues) q.stop();
      clock.dispose();
      await stream?.close();
      await app.close();
      history.close();
      audit.close();
    },
    closeAllSockets(code: number = CloseCode.restarting, reason = "server restarting") {
      stream?.closeAll(code, reason);
    },
    dropAllSockets() {
      stream?.terminateAll();
    },
    snapshot(orgId) {
      const o = orgs.get(orgId);
      if (!o) throw new Error(`no org ${orgId}`);
      return o.state.snapshot(true);
    },
    connectionCount: () => stream?.connections().length ?? 0,
    handshakes: (reset) => handshakeGate.stats(reset),
    counters,
    agents: hub,
    agentCounters,
    revokeToken(token) {
      const user = auth.revoke(token);
      if (!user) return false;
      const closed =
        stream?.closeWhere((c) => c.user === user, CloseCode.unauthenticated, "token revoked") ?? 0;
      log.warn({ user: user.id, org: user.org_id, closed }, "token revoked");
      return true;
    },
  };
  return gateway;
}

const TAKEOVER_IDLE_ID = "policy_takeover_idle";

function takeoverIdleUser(orgId: string): AuthUser {
  return {
    id: TAKEOVER_IDLE_ID,
    name: "Take-over idle release",
    org_id: orgId,
    roles: ["supervisor"],
    permissions: ["sessions:read", "sessions:intervene"],
    isAdmin: false,
    canIntervene: true,
    agentIds: null,
  };
}

function policyUser(orgId: string): AuthUser {
  const permissions = ["sessions:read", "sessions:intervene"];
  return {
    id: "policy_escalation",
    name: "Escalation policy",
    org_id: orgId,
    roles: ["supervisor"],
    permissions,
    isAdmin: false,
    canIntervene: true,
    agentIds: null,
  };
}
