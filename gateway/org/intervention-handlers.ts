/**
 * What the gateway does for each action on a session no agent runtime owns
 * (load mode's, for one; the simulation is an agent runtime like any other,
 * so its sessions' interventions are forwarded to it by
 * agents/agent-interventions.ts): one handler per action,
 * each given its action's payload as the command schema typed it. The table
 * is `{ [A in Action]: … }`: an action without a handler does not compile,
 * and `tests/unit/command-coverage.test.ts` checks it at run time too.
 */
import { type Action, HUMAN_QUEUE_AGENT, type PayloadOf } from "../../utils/protocol/index.ts";
import type { AuditRecord } from "../audit/audit-chain.ts";
import type { AuthUser } from "../auth/auth.ts";
import type { OrgRuntime } from "./interventions.ts";
import type { SessionEntry } from "./reducer.ts";

/** Where a handler acts: the org, the session and the audited record. */
export interface ApplyContext {
  org: OrgRuntime;
  user: AuthUser;
  entry: SessionEntry;
  record: AuditRecord;
}

export type InterventionHandlers = { [A in Action]: (ctx: ApplyContext, payload: PayloadOf<A>) => void };

type SystemKind = "paused" | "resumed" | "notice" | "agent_transferred" | "handoff_initiated";

function system(ctx: ApplyContext, kind: SystemKind, text: string): void {
  ctx.org.state.emit("message_sent", ctx.record.session_id, {
    id: `msg_${ctx.record.intervention_id}`,
    role: "system",
    format: "text",
    text,
    ts: new Date().toISOString(),
    system_kind: kind,
  });
}

function said(ctx: ApplyContext, role: "agent" | "supervisor", text: string): void {
  ctx.org.state.emit("message_sent", ctx.record.session_id, {
    id: `msg_${ctx.record.intervention_id}`,
    role,
    format: "text",
    text,
    ts: new Date().toISOString(),
    ...(role === "agent" ? { overridden: true } : {}),
  });
}

function cobrowse(ctx: ApplyContext, on: boolean): void {
  const current = new Set(ctx.entry.session.monitored_by ?? []);
  if (on) current.add(ctx.user.id);
  else current.delete(ctx.user.id);
  ctx.org.state.emit("session_updated", ctx.record.session_id, { monitored_by: [...current] });
}

/** An action with nothing more for the gateway to do on a session no runtime owns. */
const nothingMore = (): void => {};

export const INTERVENTION_HANDLERS: InterventionHandlers = {
  pause(ctx) {
    ctx.org.state.emit("session_updated", ctx.record.session_id, { status: "paused" });
    system(ctx, "paused", "The conversation is paused for a moment.");
  },
  resume(ctx) {
    ctx.org.state.emit("session_updated", ctx.record.session_id, { status: "active" });
    system(ctx, "resumed", "The conversation has resumed.");
  },
  system_message(ctx, p) {
    system(ctx, "notice", p.text);
  },
  override(ctx, p) {
    said(ctx, "agent", p.text);
  },
  transfer(ctx, p) {
    const sid = ctx.record.session_id;
    const agent = ctx.org.state.agents.find((a) => a.id === p.agent_id);
    const to = agent ? { id: agent.id, name: agent.name, color: agent.color } : "human";
    if (to === "human") {
      ctx.org.state.emit("session_updated", sid, { status: "transferring", agent: HUMAN_QUEUE_AGENT });
      system(ctx, "handoff_initiated", "You are being connected to a human agent.");
      ctx.org.humanQueue?.enqueue(sid);
    } else {
      const queued = ctx.entry.session.human_queue ? { human_queue: null } : {};
      ctx.org.state.emit("session_updated", sid, { agent: to, status: "transferring", ...queued });
      system(ctx, "agent_transferred", `${to.name} has joined the conversation.`);
    }
  },
  cobrowse_start: (ctx) => cobrowse(ctx, true),
  cobrowse_stop: (ctx) => cobrowse(ctx, false),
  // Without a runtime there is no agent to instruct, silence, resume or hold drafts: the gateway's part
  // (the whisper line, the take-over lock, the review flag) is done by `applyIntervention` for every session.
  whisper: nothingMore,
  take_over: nothingMore,
  takeover_reply(ctx, p) {
    said(ctx, "supervisor", p.text);
  },
  hand_back: nothingMore,
  review_mode: nothingMore,
  approve_draft: nothingMore,
  reject_draft: nothingMore,
};

/** Runs the handler of a command's action with its payload. */
export function runHandler<A extends Action>(ctx: ApplyContext, action: A, payload: PayloadOf<A>): void {
  INTERVENTION_HANDLERS[action](ctx, payload);
}
