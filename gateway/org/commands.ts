/**
 * Interventions, in the protocol's order (§5): authenticate (by the caller)
 * → authorize → validate → rate limit → idempotency → durable audit → ack →
 * apply → intervention_triggered. Shared by the socket and POST /v1/commands.
 *
 * One refinement keeps the promise "the same cmd_id sent again returns the
 * first outcome": a cmd_id already accepted is looked up right after the
 * command's own checks, before the session and rate checks, so a client that
 * resends after losing the ack gets its ack even if the session has ended
 * since or the user is momentarily rate limited (nothing happens again).
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import * as v from "valibot";
import {
  CommandBody,
  decodeCommand,
  decodeWith,
  type ErrorCode,
  JsonObject,
  nestedDeeperThan,
  type TakeoverHolder,
} from "../../utils/protocol/index.ts";
import { type AuditRecord, canonicalJson } from "../audit/audit-chain.ts";
import type { AuditStore } from "../audit/audit-store.ts";
import type { AuthUser } from "../auth/auth.ts";
import type { RateLimiter } from "../auth/rate-limit.ts";
import { applyIntervention, type OrgRuntime } from "./interventions.ts";

export type CommandResult =
  | { ok: true; cmd_id: string; intervention_id: string; apply: () => void }
  | {
      ok: false;
      cmd_id: string;
      code: ErrorCode;
      message: string;
      retry_after_ms?: number;
      /** CONFLICT: the supervisor holding the take-over. */
      holder?: TakeoverHolder;
    };

export interface CommandHandler {
  handle(user: AuthUser, body: unknown): CommandResult;
}

export interface CommandDeps {
  orgs: Map<string, OrgRuntime>;
  audit: AuditStore;
  limiter: RateLimiter;
  log: Logger;
  now(): number;
}

export function newInterventionId(): string {
  const bytes = randomBytes(8);
  let s = "";
  for (const b of bytes) s += (b % 36).toString(36);
  return `int_${s}`;
}

const str = (x: unknown, fallback: string) =>
  typeof x === "string" && x.length > 0 ? x.slice(0, 200) : fallback;

export function createCommandHandler(deps: CommandDeps): CommandHandler {
  const fail = (
    cmd_id: string,
    code: ErrorCode,
    message: string,
    retry_after_ms?: number,
  ): CommandResult => ({
    ok: false,
    cmd_id,
    code,
    message,
    ...(retry_after_ms !== undefined ? { retry_after_ms } : {}),
  });

  /** A refused attempt, in the acting user's org's audit log (write failures are logged, not raised). */
  function auditRefused(user: AuthUser, raw: Record<string, unknown>, code: ErrorCode): void {
    const cmdId = str(raw.cmd_id, "unknown");
    try {
      deps.audit.append({
        org_id: user.org_id,
        intervention_id: newInterventionId(),
        session_id: str(raw.session_id, "unknown"),
        admin_id: user.id,
        type: str(raw.action, "unknown"),
        reason: typeof raw.reason === "string" ? raw.reason.slice(0, 500) : "",
        timestamp: new Date(deps.now()).toISOString(),
        cmd_id: cmdId,
        // Not decoded (authorization comes first): keep a payload only if hashing it is safe.
        payload: nestedDeeperThan(raw.payload) ? "(omitted: nested too deeply)" : (raw.payload ?? null),
        outcome: `refused:${code}`,
      });
    } catch (e) {
      deps.log.error({ err: (e as Error).message }, "could not audit a refused command");
    }
  }

  function refuseForbidden(
    user: AuthUser,
    raw: Record<string, unknown>,
    message = "Your role may not intervene (needs sessions:intervene).",
  ): CommandResult {
    auditRefused(user, raw, "FORBIDDEN");
    deps.log.warn({ user: user.id, action: raw.action }, "command refused: FORBIDDEN");
    return fail(str(raw.cmd_id, "unknown"), "FORBIDDEN", message);
  }

  /**
   * A session the caller's org does not have: refused the same way whether it
   * exists in another org or nowhere (no hint), and audited in the caller's org
   * as `refused:SESSION_NOT_FOUND` either way, so the org's audit log does not
   * hint either; only the operator's log says it was another org's session.
   */
  function refuseUnknownSession(user: AuthUser, raw: Record<string, unknown>, sid: string): CommandResult {
    auditRefused(user, raw, "SESSION_NOT_FOUND");
    let crossOrg = false;
    for (const [id, o] of deps.orgs) if (id !== user.org_id && o.state.session(sid)) crossOrg = true;
    if (crossOrg)
      deps.log.warn(
        { user: user.id, org: user.org_id, session: sid, action: raw.action, cross_org: true },
        "command on another organisation's session refused",
      );
    return fail(str(raw.cmd_id, "unknown"), "SESSION_NOT_FOUND", `No session ${sid}.`);
  }

  return {
    handle(user, body) {
      const raw: Record<string, unknown> = v.is(JsonObject, body) ? body : {};
      if (!user.canIntervene) return refuseForbidden(user, raw);
      const decoded = decodeWith(CommandBody, typeof body === "object" && body !== null ? body : raw);
      const cmdId = str(raw.cmd_id, "unknown");
      if (!decoded.ok)
        return fail(
          cmdId,
          "VALIDATION_FAILED",
          `${decoded.error.path || "command"}: ${decoded.error.message}`,
        );
      const meant = decodeCommand(decoded.value);
      if (!meant.ok) return fail(decoded.value.cmd_id, meant.problem.code, meant.problem.message);
      const cmd = meant.value;

      // (`original_text` is the gateway's to add: one sent by the client is not kept.)
      const given = withoutAdded(cmd.payload ?? {});
      const reason = (cmd.reason ?? "").trim();
      const fingerprint = canonicalJson({
        admin_id: user.id,
        type: cmd.action,
        session_id: cmd.session_id,
        reason,
        payload: given,
      });
      const unavailable = (e: unknown) => {
        deps.log.error({ err: (e as Error).message, cmd_id: cmd.cmd_id }, "audit log unavailable");
        return fail(cmd.cmd_id, "AUDIT_UNAVAILABLE", "The audit log cannot be written; nothing was done.");
      };
      let prior: AuditRecord | null;
      try {
        prior = deps.audit.findAccepted(user.org_id, cmd.cmd_id);
      } catch (e) {
        return unavailable(e);
      }
      if (prior) {
        const same =
          canonicalJson({
            admin_id: prior.admin_id,
            type: prior.type,
            session_id: prior.session_id,
            reason: prior.reason,
            payload: withoutGatewayFields(prior.payload),
          }) === fingerprint;
        if (!same)
          return fail(
            cmd.cmd_id,
            "IDEMPOTENCY_MISMATCH",
            "This cmd_id was already used for a different command.",
          );
        return { ok: true, cmd_id: cmd.cmd_id, intervention_id: prior.intervention_id, apply() {} };
      }

      const org = deps.orgs.get(user.org_id);
      const entry = org?.state.session(cmd.session_id);
      if (!org || !entry) return refuseUnknownSession(user, raw, cmd.session_id);
      if (entry.session.status === "ended")
        return fail(cmd.cmd_id, "SESSION_ENDED", `Session ${cmd.session_id} has ended.`);
      // Review mode for a whole agent is an admin's decision (audited as refused like any FORBIDDEN).
      if (cmd.action === "review_mode" && cmd.payload.agent_id !== undefined) {
        if (!user.isAdmin)
          return refuseForbidden(user, raw, "Only admins may switch review mode for an agent.");
        const agentId = cmd.payload.agent_id;
        // An agent of the org's list, or one whose sessions a runtime of the team's own publishes.
        const known =
          org.state.agents.some((a) => a.id === agentId) ||
          [...org.state.sessions.values()].some((e) => e.session.agent.id === agentId);
        if (!known)
          return fail(cmd.cmd_id, "VALIDATION_FAILED", `payload.agent_id: no agent ${agentId} in this org.`);
      }
      if (cmd.action === "transfer" && typeof cmd.payload.agent_id === "string") {
        const agentId = cmd.payload.agent_id;
        if (!org.state.agents.some((a) => a.id === agentId))
          return fail(cmd.cmd_id, "VALIDATION_FAILED", `payload.agent_id: no agent ${agentId} in this org.`);
      }
      // Take-over: one supervisor at a time; replies and hand-back are the holder's.
      const conflict = org.locks?.check(user.id, cmd.action, cmd.session_id);
      if (conflict)
        return {
          ok: false,
          cmd_id: cmd.cmd_id,
          code: "CONFLICT",
          message: conflict.message,
          ...(conflict.holder ? { holder: conflict.holder } : {}),
        };
      // Review mode: only a draft still waiting can be approved or rejected (once, by one supervisor).
      if (cmd.action === "approve_draft" || cmd.action === "reject_draft") {
        const draftId = cmd.payload.draft_id;
        if (!entry.drafts?.includes(draftId))
          return fail(
            cmd.cmd_id,
            "CONFLICT",
            `Draft ${draftId} is not waiting for approval (already approved, rejected or expired).`,
          );
      }
      // An edit (approve_draft with `text`) is audited with both texts: the draft as the agent wrote it too.
      const original =
        cmd.action === "approve_draft" && cmd.payload.text !== undefined
          ? entry.waiting?.find((d) => d.draft_id === cmd.payload.draft_id)?.text
          : undefined;
      const payload = original === undefined ? given : { ...given, original_text: original };
      const wait = deps.limiter.take(user.id);
      if (wait > 0) return fail(cmd.cmd_id, "RATE_LIMITED", "Too many commands; slow down.", wait);

      let record: AuditRecord;
      try {
        record = deps.audit.append({
          org_id: user.org_id,
          intervention_id: newInterventionId(),
          session_id: cmd.session_id,
          admin_id: user.id,
          type: cmd.action,
          reason,
          timestamp: new Date(deps.now()).toISOString(),
          cmd_id: cmd.cmd_id,
          payload,
          outcome: "accepted",
        });
      } catch (e) {
        return unavailable(e);
      }
      deps.log.info(
        {
          user: user.id,
          org: user.org_id,
          action: cmd.action,
          session: cmd.session_id,
          intervention: record.intervention_id,
        },
        "intervention",
      );
      return {
        ok: true,
        cmd_id: cmd.cmd_id,
        intervention_id: record.intervention_id,
        apply: () => applyIntervention(org, user, cmd, record),
      };
    },
  };
}

export const ERROR_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  REASON_REQUIRED: 422,
  VALIDATION_FAILED: 422,
  SESSION_NOT_FOUND: 404,
  SESSION_ENDED: 409,
  RATE_LIMITED: 429,
  IDEMPOTENCY_MISMATCH: 409,
  IN_PROGRESS: 409,
  AUDIT_UNAVAILABLE: 503,
  INTERNAL: 500,
  CONFLICT: 409,
};

/** A recorded payload as the client sent it: without what the gateway added (an edit's `original_text`). */
function withoutGatewayFields(p: unknown): unknown {
  return typeof p === "object" && p !== null && !Array.isArray(p) ? withoutAdded({ ...p }) : p;
}

function withoutAdded(p: Record<string, unknown>): Record<string, unknown> {
  const { original_text: _added, ...rest } = p;
  return rest;
}
