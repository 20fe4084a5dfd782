/**
 * Applies an audited intervention to the conversation, then announces it as
 * `intervention_triggered`. On a session an agent runtime owns (the
 * simulation's too), the runtime applies it: it is forwarded there and the
 * runtime's answer arrives later as `intervention_result` (agent-interventions.ts).
 */
import type { Action, Intervention } from "../utils/protocol/index.ts";
import { HUMAN_QUEUE_AGENT } from "../utils/protocol/index.ts";
import type { AuditRecord } from "./audit-chain.ts";
import type { AuthUser } from "./auth.ts";
import type { HumanQueueWatch } from "./human-queue.ts";
import type { OrgState } from "./org-state.ts";
import type { PresenceRegistry } from "./presence.ts";
import type { Simulation } from "./simulation.ts";
import type { TakeoverLocks } from "./takeover.ts";

export interface OrgRuntime {
  state: OrgState;
  sim: Simulation;
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

export function applyIntervention(org: OrgRuntime, user: AuthUser, action: Action, r: AuditRecord): void {
  const sid = r.session_id;
  const entry = org.state.session(sid);
  if (!entry || entry.session.status === "ended") return;
  // A supervisor who takes over, resumes or answers deals with the agent's hand-off request (whether the
  // gateway's simulation or a runtime of the team's own carries the action out).
  if (entry.session.handoff && (action === "transfer" || action === "resume" || action === "override"))
    org.state.emit("session_updated", sid, { handoff: null });
  // A whisper shows in the supervisors' transcript whoever carries it out; the end user never sees it.
  if (action === "whisper") emitWhisper(org, r);
  // The take-over lock and who holds it are the gateway's; the runtime silences or resumes the agent.
  if (action === "take_over" || action === "hand_back" || action === "takeover_reply")
    updateLock(org, user, action, r);
  // Review mode is on the session for every client to see; the runtime holds the drafts.
  if (action === "review_mode") {
    const p = (r.payload ?? {}) as { enabled?: unknown; agent_id?: unknown };
    const enabled = p.enabled === true;
    // Per agent (admins): every open session of that agent; the runtime applies it to its later ones too.
    const targets =
      typeof p.agent_id === "string"
        ? [...org.state.sessions.values()].filter(
            (e) => e.session.agent.id === p.agent_id && e.session.status !== "ended",
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
  const sim = org.sim.get(sid);
  const payload = (r.payload ?? {}) as { text?: string; agent_id?: string; queue?: string };
  const iso = () => new Date().toISOString();
  const system = (
    kind: "paused" | "resumed" | "notice" | "agent_transferred" | "handoff_initiated",
    text: string,
  ) =>
    org.state.emit("message_sent", sid, {
      id: `msg_${r.intervention_id}`,
      role: "system",
      format: "text",
      text,
      ts: iso(),
      system_kind: kind,
    });
  switch (action) {
    case "pause":
      if (sim) sim.pause();
      else {
        org.state.emit("session_updated", sid, { status: "paused" });
        system("paused", "The conversation is paused for a moment.");
      }
      break;
    case "resume":
      if (sim) sim.resume();
      else {
        org.state.emit("session_updated", sid, { status: "active" });
        system("resumed", "The conversation has resumed.");
      }
      break;
    case "system_message":
      if (sim) sim.systemMessage(payload.text ?? "");
      else system("notice", payload.text ?? "");
      break;
    case "override":
      if (sim) sim.override(payload.text ?? "");
      else
        org.state.emit("message_sent", sid, {
          id: `msg_${r.intervention_id}`,
          role: "agent",
          format: "text",
          text: payload.text ?? "",
          ts: iso(),
          overridden: true,
        });
      break;
    case "transfer": {
      const agent = org.state.agents.find((a) => a.id === payload.agent_id);
      const to = agent ? { id: agent.id, name: agent.name, color: agent.color } : "human";
      if (sim) sim.transfer(to);
      else if (to === "human") {
        org.state.emit("session_updated", sid, { status: "transferring", agent: HUMAN_QUEUE_AGENT });
        system("handoff_initiated", "You are being connected to a human agent.");
        org.humanQueue?.enqueue(sid);
      } else {
        const queued = entry.session.human_queue ? { human_queue: null } : {};
        org.state.emit("session_updated", sid, { agent: to, status: "transferring", ...queued });
        system("agent_transferred", `${to.name} has joined the conversation.`);
      }
      break;
    }
    case "whisper":
      sim?.whisper(payload.text ?? "");
      break;
    case "take_over":
      sim?.takeOver();
      break;
    case "review_mode": {
      const p = r.payload as { enabled?: unknown; agent_id?: unknown };
      if (typeof p.agent_id === "string") org.sim.reviewAgent(p.agent_id, p.enabled === true);
      else sim?.reviewMode(p.enabled === true);
      break;
    }
    case "approve_draft":
      sim?.approveDraft(String((r.payload as { draft_id?: unknown }).draft_id), payload.text, r.admin_id);
      break;
    case "reject_draft":
      sim?.rejectDraft(String((r.payload as { draft_id?: unknown }).draft_id), r.admin_id);
      break;
    case "hand_back":
      sim?.handBack();
      break;
    case "takeover_reply":
      if (sim) sim.humanReply(payload.text ?? "");
      else
        org.state.emit("message_sent", sid, {
          id: `msg_${r.intervention_id}`,
          role: "supervisor",
          format: "text",
          text: payload.text ?? "",
          ts: iso(),
        });
      break;
    case "cobrowse_start":
    case "cobrowse_stop": {
      const current = new Set(entry.session.monitored_by ?? []);
      if (action === "cobrowse_start") current.add(user.id);
      else current.delete(user.id);
      org.state.emit("session_updated", sid, { monitored_by: [...current] });
      break;
    }
  }
  org.state.emit("intervention_triggered", sid, toIntervention(r));
}

/** The whisper as a supervisors-only system message (`whisper: true`), id derived from the intervention. */
function emitWhisper(org: OrgRuntime, r: AuditRecord): void {
  const text = (r.payload as { text?: unknown } | undefined)?.text;
  org.state.emit("message_sent", r.session_id, {
    id: `msg_${r.intervention_id}`,
    role: "system",
    format: "text",
    text: typeof text === "string" ? text : "",
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
