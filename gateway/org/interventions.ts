/**
 * Applies an audited intervention to the conversation, then announces it as
 * `intervention_triggered`. On a session an agent runtime owns (the
 * simulation's too: it is an agent runtime like any other, which the org
 * runtime does not hold), the runtime applies it: it is forwarded there and
 * the runtime's answer arrives later as `intervention_result`
 * (agents/agent-interventions.ts).
 */
import type { Action, CommandPayload, Intervention } from "../../utils/protocol/index.ts";
import type { AuditRecord } from "../audit/audit-chain.ts";
import type { AuthUser } from "../auth/auth.ts";
import type { PresenceRegistry } from "../stream/presence.ts";
import type { HumanQueueWatch } from "./human-queue.ts";
import { runHandler } from "./intervention-handlers.ts";
import type { OrgState } from "./org-state.ts";
import type { TakeoverLocks } from "./takeover.ts";

export interface OrgRuntime {
  state: OrgState;
  /** Sends an intervention to the runtime owning its session; false when none does. */
  forward?: (action: Action, record: AuditRecord) => boolean;
  /** Take-over locks of the org's sessions (issue 12). */
  locks?: TakeoverLocks;
  /** The human queue's give-up timers (issue 24). */
  humanQueue?: HumanQueueWatch;
  /** Who views which session now (issue 12). */
  presence?: PresenceRegistry;
}

export function toIntervention(r: AuditRecord): Intervention {
  return {
    intervention_id: r.intervention_id,
    session_id: r.session_id,
    admin_id: r.admin_id,
    type: r.type,
    reason: r.reason,
    timestamp: r.timestamp,
    cmd_id: r.cmd_id,
    payload: r.payload,
    prev_hash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * Applies a decided command: what the gateway does whoever carries it out, then
 * either forwards it to the session's runtime or runs its action's handler.
 */
export function applyIntervention(
  org: OrgRuntime,
  user: AuthUser,
  cmd: CommandPayload,
  r: AuditRecord,
): void {
  const sid = r.session_id;
  const entry = org.state.session(sid);
  if (!entry || entry.session.status === "ended") return;
  const action = cmd.action;
  // A supervisor who takes over, resumes or answers deals with the agent's hand-off request (whether the
  // gateway's simulation or a runtime of the team's own carries the action out).
  if (entry.session.handoff && (action === "transfer" || action === "resume" || action === "override"))
    org.state.emit("session_updated", sid, { handoff: null });
  // A whisper shows in the supervisors' transcript whoever carries it out; the end user never sees it.
  if (cmd.action === "whisper") emitWhisper(org, r, cmd.payload.text);
  // The take-over lock and who holds it are the gateway's; the runtime silences or resumes the agent.
  if (action === "take_over" || action === "hand_back" || action === "takeover_reply")
    updateLock(org, user, action, r);
  // Review mode is on the session for every client to see; the runtime holds the drafts.
  if (cmd.action === "review_mode") {
    const { enabled, agent_id } = cmd.payload;
    // Per agent (admins): every open session of that agent; the runtime applies it to its later ones too.
    const targets =
      agent_id !== undefined
        ? [...org.state.sessions.values()].filter(
            (e) => e.session.agent.id === agent_id && e.session.status !== "ended",
          )
        : [entry];
    if (!targets.includes(entry)) targets.push(entry);
    for (const e of targets)
      org.state.emit("session_updated", e.session.id, {
        review: { enabled, drafts_waiting: e.session.review?.drafts_waiting ?? 0 },
      });
  }
  if (org.forward?.(action, r)) {
    org.state.emit("intervention_triggered", sid, toIntervention(r));
    return;
  }
  runHandler({ org, user, entry, record: r }, cmd.action, cmd.payload);
  org.state.emit("intervention_triggered", sid, toIntervention(r));
}

/** The whisper as a supervisors-only system message (`whisper: true`), id derived from the intervention. */
function emitWhisper(org: OrgRuntime, r: AuditRecord, text: string): void {
  org.state.emit("message_sent", r.session_id, {
    id: `msg_${r.intervention_id}`,
    role: "system",
    format: "text",
    text,
    ts: r.timestamp,
    whisper: true,
  });
}

function updateLock(org: OrgRuntime, user: AuthUser, action: Action, r: AuditRecord): void {
  const sid = r.session_id;
  if (action === "takeover_reply") {
    org.locks?.touch(sid);
    return;
  }
  if (action === "take_over") {
    const had = org.locks?.holder(sid);
    org.locks?.acquire(sid, { id: user.id, name: user.name, since: r.timestamp });
    const holder = org.locks?.holder(sid) ?? { id: user.id, name: user.name, since: r.timestamp };
    if (had?.id !== holder.id) org.state.emit("session_updated", sid, { taken_over_by: holder });
    return;
  }
  org.locks?.release(sid);
  org.state.emit("session_updated", sid, { taken_over_by: null });
}
