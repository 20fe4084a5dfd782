/**
 * What an agent runtime publishes, checked and numbered: the event is
 * validated with the protocol module, the session must belong to the token
 * (started by it, for one of its agent ids), and an accepted event goes
 * through `OrgState.emit` — the one path that assigns the org stream's seq.
 * A refused event changes nothing: no seq is spent, the stream stays
 * contiguous. A `pub_id` seen before returns its first outcome (resends after
 * a reconnect are harmless).
 */
import {
  type AgentErrorCode,
  decodePublishEvent,
  decodeWith,
  type EventKind,
  type NotResumedSession,
  PublishBody,
  type PublishEvent,
  type ResumedSession,
  type Session,
} from "../../utils/protocol/index.ts";
import type { AuthUser } from "../auth/auth.ts";
import type { OrgRuntime } from "../org/interventions.ts";
import type { AgentHub } from "./agent-interventions.ts";

export type PublishOutcome =
  | { ok: true; pub_id: string; seq: number }
  | { ok: false; pub_id: string; code: AgentErrorCode; message: string; path?: string };

export interface PublishContext {
  user: AuthUser;
  /** `${user id}/${runtime id}`: interventions on sessions it publishes go to it. */
  runtimeKey: string;
}

export interface AgentPublisher {
  publish(ctx: PublishContext, pubId: string, event: unknown): PublishOutcome;
  /** One `POST /v1/agent/events` item (`{pub_id, event}`), validated here too. */
  publishBody(ctx: PublishContext, body: unknown, index: number): PublishOutcome;
  /** A token delta: null when relayed, else why not. */
  delta(
    ctx: PublishContext,
    frame: { session_id: string; message_id: string; idx: number; text: string },
  ): { code: AgentErrorCode; message: string } | null;
  /**
   * A runtime's hello (issue 19): takes back the sessions it lists (and keeps
   * those it owns), answering each with what the gateway numbered last.
   */
  resume(
    ctx: PublishContext,
    listed: readonly string[],
  ): { resumed: ResumedSession[]; not_resumed: NotResumedSession[] };
  /** Events and deltas refused so far (tests, logs). */
  readonly refused: number;
}

const userOf = (runtimeKey: string) => runtimeKey.slice(0, runtimeKey.indexOf("/"));

/** Outcomes remembered per token for resends. */
const REMEMBERED = 10_000;

export function createAgentPublisher(deps: { orgs: Map<string, OrgRuntime>; hub: AgentHub }): AgentPublisher {
  const seen = new Map<string, Map<string, PublishOutcome>>();
  let refused = 0;

  function remember(userId: string, out: PublishOutcome): PublishOutcome {
    let m = seen.get(userId);
    if (!m) {
      m = new Map();
      seen.set(userId, m);
    }
    m.set(out.pub_id, out);
    if (m.size > REMEMBERED) {
      const first = m.keys().next();
      if (!first.done) m.delete(first.value);
    }
    return out;
  }

  const refuse = (pub_id: string, code: AgentErrorCode, message: string, path?: string): PublishOutcome => {
    refused++;
    return { ok: false, pub_id, code, message, ...(path !== undefined ? { path } : {}) };
  };

  /**
   * Whether this token may publish to an existing session (claims unowned sessions of its agents). A report
   * of the human queue (`report`, issue 24) claims nothing — the conversation stays with its runtime — and
   * any token of the session's agent may send it (a CRM with a token of its own).
   */
  function checkSession(
    ctx: PublishContext,
    org: OrgRuntime,
    sid: string,
    report = false,
  ): { code: AgentErrorCode; message: string } | null {
    const entry = org.state.session(sid);
    if (!entry)
      return { code: "UNKNOWN_SESSION", message: `No session ${sid}: publish session_started first.` };
    const owner = deps.hub.ownerOf(org.state.id, sid);
    const mine = owner !== undefined && owner.split("/")[0] === ctx.user.id;
    const ofItsAgent = ctx.user.agentIds?.includes(entry.session.agent.id) === true;
    if (!mine && (owner !== undefined || !ofItsAgent) && !(report && ofItsAgent))
      return { code: "FORBIDDEN_AGENT", message: `Session ${sid} does not belong to this token's agents.` };
    if (entry.session.status === "ended")
      return { code: "SESSION_ENDED", message: `Session ${sid} has ended.` };
    if (!report && owner !== ctx.runtimeKey) deps.hub.claim(org.state.id, sid, ctx.runtimeKey);
    return null;
  }

  type Problem = { code: AgentErrorCode; message: string; path?: string };
  const invalid = (path: string, message: string): Problem => ({ code: "INVALID_EVENT", message, path });

  /** Why this token may not publish this (decoded) event, or null; claims the session when it may. */
  function problemWith(ctx: PublishContext, org: OrgRuntime, ev: PublishEvent): Problem | null {
    const sid = ev.session_id;
    const data = ev.data as Record<string, unknown>;
    // Who is silently monitoring is the gateway's to say, never the runtime's (it must not even learn it).
    if ((ev.kind === "session_started" || ev.kind === "session_updated") && "monitored_by" in data)
      return invalid("event.data.monitored_by", "is set by the gateway only");
    if ((ev.kind === "session_started" || ev.kind === "session_updated") && "taken_over_by" in data)
      return invalid("event.data.taken_over_by", "is set by the gateway only (take-over lock)");
    if ((ev.kind === "session_started" || ev.kind === "session_updated") && "viewers" in data)
      return invalid("event.data.viewers", "is presence, sent by the gateway in presence frames only");
    if (ev.kind === "message_received" && data.role !== "user")
      return invalid("event.data.role", "message_received carries the user's messages: role must be user");
    if (ev.kind === "message_sent" && data.role === "user")
      return invalid("event.data.role", "the user's messages are message_received");
    if (ev.kind === "session_started") {
      const s = ev.data as Session;
      if (s.id !== sid) return invalid("event.data.id", "must equal session_id");
      if (!ctx.user.agentIds?.includes(s.agent.id))
        return {
          code: "FORBIDDEN_AGENT",
          message: `This token may publish for ${ctx.user.agentIds?.join(", ") ?? "no agent"}, not ${s.agent.id}.`,
          path: "event.data.agent.id",
        };
      if (org.state.session(s.id) !== undefined)
        return {
          code: "SESSION_EXISTS",
          message: `Session ${s.id} already exists.`,
          path: "event.session_id",
        };
      if (s.status === "ended") return invalid("event.data.status", "a session starts open");
      deps.hub.claim(org.state.id, s.id, ctx.runtimeKey);
      return null;
    }
    if (sid === null) return null; // error_occurred, system-wide
    const problem = checkSession(ctx, org, sid, ev.kind === "human_queue");
    if (problem) return { ...problem, path: "event.session_id" };
    if (ev.kind === "session_updated" && data.id !== undefined && data.id !== sid)
      return invalid("event.data.id", "must equal session_id");
    if (ev.kind === "session_updated" && data.status === "ended")
      return invalid("event.data.status", "publish session_ended to end a session");
    return null;
  }

  function publish(ctx: PublishContext, pubId: string, raw: unknown): PublishOutcome {
    const prior = seen.get(ctx.user.id)?.get(pubId);
    if (prior) return prior;
    const org = deps.orgs.get(ctx.user.org_id);
    if (!org) return refuse(pubId, "FORBIDDEN_AGENT", "This token's organisation has no stream.");
    const decoded = decodePublishEvent(raw);
    if (!decoded.ok) {
      const path = `event${decoded.error.path ? `.${decoded.error.path}` : ""}`;
      return remember(ctx.user.id, refuse(pubId, "INVALID_EVENT", decoded.error.message, path));
    }
    const ev = decoded.value;
    const sid = ev.session_id;
    // The last publish numbered before a restart (the outcomes remembered above died with the process).
    const owner = sid === null ? undefined : deps.hub.owners.ownerOf(org.state.id, sid);
    if (owner?.pubId === pubId && owner.seq !== undefined && userOf(owner.key) === ctx.user.id)
      return remember(ctx.user.id, { ok: true, pub_id: pubId, seq: owner.seq });
    const problem = problemWith(ctx, org, ev);
    if (problem) return remember(ctx.user.id, refuse(pubId, problem.code, problem.message, problem.path));
    const claim = sid === null ? undefined : { runtime: ctx.runtimeKey, pub_id: pubId };
    const frame = org.state.emit(ev.kind as EventKind, sid, ev.data, claim);
    if (sid !== null) deps.hub.owners.published(org.state.id, sid, pubId, frame.seq);
    // A runtime that publishes is there (over HTTP too, which has no link to attach): no grace runs for it.
    deps.hub.owners.present(org.state.id, ctx.runtimeKey);
    return remember(ctx.user.id, { ok: true, pub_id: pubId, seq: frame.seq });
  }

  function resume(ctx: PublishContext, listed: readonly string[]) {
    const resumed: ResumedSession[] = [];
    const not_resumed: NotResumedSession[] = [];
    const org = deps.orgs.get(ctx.user.org_id);
    if (!org) return { resumed, not_resumed };
    const orgId = org.state.id;
    for (const sid of new Set(listed)) {
      const entry = org.state.session(sid);
      const owner = deps.hub.owners.ownerOf(orgId, sid);
      const agentsOk = entry !== undefined && ctx.user.agentIds?.includes(entry.session.agent.id) === true;
      // Only this token's own sessions are named: anything else is "unknown" (no hint).
      const mine = owner ? userOf(owner.key) === ctx.user.id : agentsOk;
      if (!entry || !mine) not_resumed.push({ session_id: sid, reason: "unknown" });
      else if (entry.session.status === "ended") not_resumed.push({ session_id: sid, reason: "ended" });
      else if (owner && owner.key !== ctx.runtimeKey && deps.hub.online(orgId, owner.key))
        not_resumed.push({ session_id: sid, reason: "unknown" }); // a live sibling runtime holds it
      else deps.hub.claim(orgId, sid, ctx.runtimeKey);
    }
    for (const sid of deps.hub.sessionsOf(orgId, ctx.runtimeKey)) {
      const o = deps.hub.owners.ownerOf(orgId, sid);
      resumed.push({
        session_id: sid,
        seq: o?.seq ?? 0,
        ...(o?.pubId !== undefined ? { last_pub_id: o.pubId } : {}),
      });
    }
    return { resumed, not_resumed };
  }

  return {
    publish,
    resume,
    publishBody(ctx, body, index) {
      const b = decodeWith(PublishBody, body);
      if (!b.ok) {
        const pubId =
          typeof body === "object" &&
          body !== null &&
          typeof (body as { pub_id?: unknown }).pub_id === "string"
            ? (body as { pub_id: string }).pub_id.slice(0, 200) || `#${index}`
            : `#${index}`;
        return refuse(pubId, "INVALID_EVENT", b.error.message, b.error.path);
      }
      return publish(ctx, b.value.pub_id, b.value.event);
    },
    delta(ctx, frame) {
      const org = deps.orgs.get(ctx.user.org_id);
      if (!org) return { code: "FORBIDDEN_AGENT", message: "This token's organisation has no stream." };
      const problem = checkSession(ctx, org, frame.session_id);
      if (problem) {
        refused++;
        return problem;
      }
      org.state.delta({ type: "delta", ...frame });
      return null;
    },
    get refused() {
      return refused;
    },
  };
}
