/**
 * The HTTP endpoints of protocol §1 on fastify: polling, snapshot, one
 * session's transcript, commands without a socket, the audit log, who am I,
 * agents and health. Errors are `{"error":{code,message,retry_after_ms?}}`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import * as v from "valibot";
import { decodeWith, JsonObject, PROTOCOL_VERSION, PublishBatchBody } from "../../utils/protocol/index.ts";
import type { AgentPublisher } from "../agents/agent-publish.ts";
import type { AuditStore } from "../audit/audit-store.ts";
import { type Authenticator, type AuthUser, publicUser } from "../auth/auth.ts";
import { type CommandHandler, ERROR_STATUS } from "../org/commands.ts";
import { type OrgRuntime, toIntervention } from "../org/interventions.ts";
import { viewEvent, viewSession } from "../org/views.ts";
import { answerStreamProbe } from "../stream/stream-probe.ts";

export interface RouteDeps {
  auth: Authenticator;
  orgs: Map<string, OrgRuntime>;
  commands: CommandHandler;
  audit: AuditStore;
  publisher: AgentPublisher;
  allowOrigins: readonly string[];
  /** As the stream server's: the plain-HTTP probe of `/v1/stream` answers what its upgrade would. */
  allowNoOrigin?: boolean;
}

export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  retryAfterMs?: number,
  extra: Record<string, unknown> = {},
) {
  if (retryAfterMs !== undefined) reply.header("Retry-After", Math.ceil(retryAfterMs / 1000));
  return reply.code(status).send({
    error: {
      code,
      message,
      ...(retryAfterMs !== undefined ? { retry_after_ms: retryAfterMs } : {}),
      ...extra,
    },
  });
}

const intQuery = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, "must be a whole number"),
    v.transform(Number),
    v.minValue(min),
    v.maxValue(max),
  );
const EventsQuery = v.object({
  epoch: v.pipe(v.string(), v.minLength(1)),
  after: intQuery(0, Number.MAX_SAFE_INTEGER),
  limit: v.optional(intQuery(1, 5000)),
});
const InterventionsQuery = v.object({
  session_id: v.optional(v.string()),
  after: v.optional(intQuery(0, Number.MAX_SAFE_INTEGER)),
  limit: v.optional(intQuery(1, 1000)),
  include_refused: v.optional(v.picklist(["true", "false", "1", "0"])),
});

declare module "fastify" {
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const allowed = new Set(deps.allowOrigins.map((o) => o.toLowerCase()));
  app.decorateRequest("user", null);

  app.addHook("onRequest", async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin.toLowerCase())) {
      reply.header("Access-Control-Allow-Origin", origin);
      reply.header("Vary", "Origin");
      reply.header("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key");
      reply.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    }
    if (req.method === "OPTIONS") return reply.code(204).send();
    if (req.url.split("?")[0] === "/v1/stream")
      return answerStreamProbe(reply, origin, allowed, deps.allowNoOrigin ?? false);
    if (!req.url.startsWith("/v1/")) return;
    req.user = deps.auth.fromHeader(req.headers.authorization);
    if (!req.user) return sendError(reply, 401, "UNAUTHENTICATED", "A valid bearer token is required.");
    // Agent tokens publish on /v1/agent and nothing else; supervisors' tokens may not publish.
    const agentPath = req.url === "/v1/agent" || req.url.startsWith("/v1/agent/");
    if (req.user.agentIds && !agentPath)
      return sendError(reply, 403, "FORBIDDEN", "An agent token may only use /v1/agent.");
    if (!req.user.agentIds && agentPath)
      return sendError(reply, 403, "FORBIDDEN", "/v1/agent needs an agent token (role agent).");
  });

  const orgOf = (req: FastifyRequest): OrgRuntime => {
    const org = req.user ? deps.orgs.get(req.user.org_id) : undefined;
    if (!org) throw new Error("authenticated user without an org");
    return org;
  };
  const bad = (reply: FastifyReply, path: string, message: string) =>
    sendError(reply, 400, "VALIDATION_FAILED", `${path}: ${message}`);

  app.get("/healthz", async () => ({ ok: true, orgs: deps.orgs.size, protocol: PROTOCOL_VERSION }));

  app.get("/v1/me", async (req) => ({ user: publicUser(req.user as AuthUser) }));

  app.get("/v1/agents", async (req) => ({ agents: orgOf(req).state.agents }));

  app.get("/v1/snapshot", async (req) => orgOf(req).state.snapshot((req.user as AuthUser).isAdmin));

  app.get("/v1/events", async (req, reply) => {
    const q = decodeWith(EventsQuery, req.query);
    if (!q.ok) return bad(reply, q.error.path, q.error.message);
    const log = orgOf(req).state.log;
    const { epoch, after } = q.value;
    const events = epoch === log.epoch ? log.readAfter(after, q.value.limit ?? 500) : null;
    if (!events)
      return sendError(
        reply,
        409,
        "SNAPSHOT_REQUIRED",
        epoch === log.epoch
          ? "That history is no longer retained; take a snapshot."
          : "Unknown epoch; take a snapshot.",
      );
    const admin = (req.user as AuthUser).isAdmin;
    return {
      epoch: log.epoch,
      events: events.map((e) => viewEvent(e, admin)),
      next_after: events.at(-1)?.seq ?? after,
    };
  });

  app.get<{ Params: { id: string } }>("/v1/sessions/:id", async (req, reply) => {
    const org = orgOf(req);
    const entry = org.state.session(req.params.id);
    if (!entry) return sendError(reply, 404, "SESSION_NOT_FOUND", `No session ${req.params.id}.`);
    return {
      session: viewSession(entry.session, (req.user as AuthUser).isAdmin),
      messages: org.state.transcript(req.params.id) ?? [],
      steps: entry.steps ?? [],
      // Review mode: the drafts waiting for approval (a snapshot resync refetches them with the transcript).
      drafts: entry.waiting ?? [],
      epoch: org.state.log.epoch,
      seq: org.state.log.lastSeq(),
    };
  });

  app.get("/v1/interventions", async (req, reply) => {
    const q = decodeWith(InterventionsQuery, req.query);
    if (!q.ok) return bad(reply, q.error.path, q.error.message);
    const user = req.user as AuthUser;
    const records = deps.audit.list(user.org_id, {
      limit: q.value.limit ?? 200,
      ...(q.value.after !== undefined ? { after: q.value.after } : {}),
      ...(q.value.session_id ? { sessionId: q.value.session_id } : {}),
      includeRefused: user.isAdmin && (q.value.include_refused === "true" || q.value.include_refused === "1"),
    });
    // Admins may also see refused attempts (marked with `outcome`); everyone else sees what happened.
    return {
      interventions: records.map((r) => ({
        ...toIntervention(r),
        seq: r.seq,
        ...(r.outcome !== "accepted" ? { outcome: r.outcome } : {}),
      })),
    };
  });

  app.post("/v1/commands", async (req, reply) => {
    const fields = req.body;
    if (!v.is(JsonObject, fields))
      return bad(reply, "body", "must be a JSON object (the command without type)");
    const key = req.headers["idempotency-key"];
    if (typeof key === "string" && key !== "") {
      if (fields.cmd_id === undefined) fields.cmd_id = key;
      else if (fields.cmd_id !== key) return bad(reply, "cmd_id", "must equal the Idempotency-Key header");
    }
    const result = deps.commands.handle(req.user as AuthUser, fields);
    if (!result.ok)
      return sendError(
        reply,
        ERROR_STATUS[result.code],
        result.code,
        result.message,
        result.retry_after_ms,
        result.holder ? { holder: result.holder } : {},
      );
    reply.code(200).send({ cmd_id: result.cmd_id, intervention_id: result.intervention_id });
    result.apply();
    return reply;
  });

  // The agent side without a socket: one publish `{pub_id, event}` or a batch `{events: [...], runtime_id?}`.
  // 200 with one result per event, in order; a refused event does not stop the others.
  app.post("/v1/agent/events", async (req, reply) => {
    const user = req.user as AuthUser;
    const body = req.body;
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return bad(reply, "body", "must be a JSON object: {pub_id, event} or {events: [...]}");
    const isBatch = "events" in body;
    const batch = isBatch ? decodeWith(PublishBatchBody, body) : null;
    if (batch && !batch.ok) return bad(reply, batch.error.path, batch.error.message);
    const runtimeId =
      batch?.ok && typeof batch.value.runtime_id === "string" ? batch.value.runtime_id : "http";
    if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(runtimeId))
      return bad(reply, "runtime_id", "must be 1–100 of A-Z a-z 0-9 _ . : -");
    const ctx = { user, runtimeKey: `${user.id}/${runtimeId}` };
    const items: unknown[] = batch?.ok ? batch.value.events : [body];
    const results = items.map((item, i) => {
      const out = deps.publisher.publishBody(ctx, item, i);
      if (out.ok) return { pub_id: out.pub_id, seq: out.seq };
      return {
        pub_id: out.pub_id,
        error: {
          code: out.code,
          message: out.message,
          ...(out.path !== undefined ? { path: out.path } : {}),
        },
      };
    });
    if (!isBatch) {
      const only = results[0] as { pub_id: string; seq?: number; error?: { code: string } };
      if (only.error) return reply.code(422).send({ pub_id: only.pub_id, error: only.error });
      return only;
    }
    return { results };
  });

  app.setNotFoundHandler((req, reply) =>
    sendError(reply, 404, "NOT_FOUND", `No route ${req.method} ${req.url.split("?")[0]}.`),
  );
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413) return sendError(reply, 413, "PAYLOAD_TOO_LARGE", "The body is larger than 64 KiB.");
    if (status === 415) return sendError(reply, 415, "VALIDATION_FAILED", "body: send application/json.");
    if (status >= 400 && status < 500)
      return sendError(reply, status, "VALIDATION_FAILED", `body: ${err.message}`);
    app.log.error({ err: err.message }, "request failed");
    return sendError(reply, 500, "INTERNAL", "Internal error.");
  });
}
