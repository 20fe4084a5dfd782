/**
 * Which agent runtime owns which session, and the interventions on its way
 * to it. A supervisor's command on a runtime-owned session (already audited
 * and acked by `commands.ts`) goes to the owning runtime as an `intervention`
 * frame; its `intervention_result` becomes the org event `intervention_result`
 * (applied / rejected). A runtime offline keeps the intervention queued until
 * it reconnects or the deadline passes; nothing is dropped silently:
 * - the deadline passes before delivery → failed, RUNTIME_OFFLINE
 * - delivered but not answered in time → failed, RUNTIME_TIMEOUT
 * - the session ends while it is still queued → failed, SESSION_ENDED
 * A restarted gateway queues again what its history shows forwarded but never
 * answered (`requeue`, from restore-sessions.ts): the runtime dedupes by id.
 */
import * as v from "valibot";
import {
  ACTIONS,
  type Action,
  type Intervention,
  type InterventionFrame,
  type InterventionResult,
  JsonObject,
} from "../../utils/protocol/index.ts";
import type { AuditRecord } from "../audit/audit-chain.ts";
import type { Clock } from "../clock.ts";
import type { OrgState } from "../org/org-state.ts";
import { createRuntimeOwners, type RuntimeOwners } from "./agent-owners.ts";

/** One live link of a runtime (a socket on /v1/agent, or the in-process transport). */
export interface RuntimeLink {
  readonly orgId: string;
  /** The token's user id and the runtime id: `${user}/${runtime}`. */
  readonly key: string;
  send(frame: InterventionFrame): void;
}

interface Pending {
  org: OrgState;
  frame: InterventionFrame;
  key: string;
  delivered: boolean;
  cancelTimer: () => void;
}

export interface AgentHub {
  /** The runtime key owning a session, if a runtime publishes it. */
  ownerOf(orgId: string, sessionId: string): string | undefined;
  claim(orgId: string, sessionId: string, key: string): void;
  /** Who owns which session, with the grace an absent runtime gets (`agent-owners.ts`). */
  readonly owners: RuntimeOwners;
  /** Open sessions a runtime owns (for its welcome). */
  sessionsOf(orgId: string, key: string): string[];
  /** A runtime link came up: queued interventions go out now. Returns the detach function. */
  attach(link: RuntimeLink): () => void;
  /**
   * Sends an audited intervention to the runtime owning its session; false when
   * no runtime owns it (the gateway then applies it itself).
   */
  forward(org: OrgState, action: Action, record: AuditRecord): boolean;
  /**
   * Queues again, after a restart, an intervention the history shows forwarded to
   * runtime `key` and never answered; it waits a full timeout from now.
   */
  requeue(org: OrgState, intervention: Intervention, key: string): void;
  /** A runtime answered; false when it had no such intervention pending. */
  result(
    link: RuntimeLink,
    answer: { intervention_id: string; outcome: "applied" | "rejected"; detail?: string | undefined },
  ): boolean;
  /** Interventions not yet answered (tests, metrics). */
  pendingCount(): number;
  /** Whether a runtime (`${user id}/${runtime id}`) has a live link now. */
  online(orgId: string, key: string): boolean;
  /** Called for every org event: a session that ends fails what waits for it and loses its owner. */
  sessionEnded(org: OrgState, sessionId: string): void;
  dispose(): void;
}

export interface AgentHubOptions {
  clock: Clock;
  /** How long an intervention may wait for its runtime (queued + answer). */
  timeoutMs: number;
  /** How long an absent runtime's sessions wait for it before `onLost` (`--runtime-grace-ms`). */
  graceMs: number;
  onLost(orgId: string, sessionId: string, key: string): void;
}

/** Actions the gateway applies itself even on a runtime's session: silent monitoring is the gateway's business. */
const GATEWAY_ACTIONS: readonly Action[] = ["cobrowse_start", "cobrowse_stop"];

export function createAgentHub(opts: AgentHubOptions): AgentHub {
  const owners = createRuntimeOwners({ clock: opts.clock, graceMs: opts.graceMs, onLost: opts.onLost });
  const links = new Map<string, RuntimeLink>();
  const pending = new Map<string, Pending>();
  const linkKey = (orgId: string, key: string) => `${orgId}\u0000${key}`;

  function finish(p: Pending, data: Omit<InterventionResult, "intervention_id" | "cmd_id" | "action">): void {
    pending.delete(p.frame.intervention_id);
    p.cancelTimer();
    p.org.emit("intervention_result", p.frame.session_id, {
      intervention_id: p.frame.intervention_id,
      cmd_id: p.frame.cmd_id,
      action: p.frame.action,
      ...data,
    });
  }

  function deliver(p: Pending): void {
    const link = links.get(linkKey(p.org.id, p.key));
    if (!link) return;
    p.delivered = true;
    link.send(p.frame);
  }

  function enqueue(
    org: OrgState,
    r: Pick<Intervention, "intervention_id" | "cmd_id" | "session_id" | "payload" | "reason" | "admin_id">,
    key: string,
    action: Action,
  ): void {
    const frame: InterventionFrame = {
      type: "intervention",
      intervention_id: r.intervention_id,
      cmd_id: r.cmd_id,
      session_id: r.session_id,
      action,
      payload: v.is(JsonObject, r.payload) ? r.payload : {},
      reason: r.reason,
      admin_id: r.admin_id,
      deadline: new Date(opts.clock.now() + opts.timeoutMs).toISOString(),
    };
    const p: Pending = { org, frame, key, delivered: false, cancelTimer: () => {} };
    pending.set(frame.intervention_id, p);
    p.cancelTimer = opts.clock.setTimer(opts.timeoutMs, () => {
      if (pending.get(frame.intervention_id) !== p) return;
      finish(
        p,
        p.delivered
          ? {
              outcome: "failed",
              code: "RUNTIME_TIMEOUT",
              detail: `The agent runtime did not confirm within ${Math.round(opts.timeoutMs / 1000)} s.`,
            }
          : {
              outcome: "failed",
              code: "RUNTIME_OFFLINE",
              detail: `The agent runtime stayed offline for ${Math.round(opts.timeoutMs / 1000)} s; nothing was applied.`,
            },
      );
    });
    deliver(p);
  }

  const hub: AgentHub = {
    ownerOf: (orgId, sid) => owners.ownerOf(orgId, sid)?.key,
    claim: (orgId, sid, key) => owners.claim(orgId, sid, key),
    owners,
    sessionsOf: (orgId, key) => owners.sessionsOf(orgId, key),
    attach(link) {
      const k = linkKey(link.orgId, link.key);
      links.set(k, link);
      owners.present(link.orgId, link.key);
      // Queued, and delivered-but-unanswered (the answer may have been lost with the old socket).
      for (const p of [...pending.values()]) if (p.org.id === link.orgId && p.key === link.key) deliver(p);
      return () => {
        if (links.get(k) !== link) return;
        links.delete(k);
        owners.absent(link.orgId, link.key);
      };
    },
    forward(org, action, record) {
      if (GATEWAY_ACTIONS.includes(action)) return false;
      const key = hub.ownerOf(org.id, record.session_id);
      if (key === undefined) return false;
      enqueue(org, record, key, action);
      return true;
    },
    requeue(org, intervention, key) {
      const action = ACTIONS.find((a) => a === intervention.type);
      if (action === undefined || GATEWAY_ACTIONS.includes(action)) return;
      if (pending.has(intervention.intervention_id)) return;
      enqueue(org, intervention, key, action);
    },
    result(link, answer) {
      const p = pending.get(answer.intervention_id);
      if (!p || p.org.id !== link.orgId || p.key !== link.key) return false;
      finish(p, {
        outcome: answer.outcome,
        ...(answer.detail !== undefined ? { detail: answer.detail } : {}),
      });
      return true;
    },
    pendingCount: () => pending.size,
    online: (orgId, key) => links.has(linkKey(orgId, key)),
    sessionEnded(org, sid) {
      owners.release(org.id, sid);
      // A delivered one may still be answered (a transfer the runtime applied by ending the session).
      for (const p of [...pending.values()])
        if (p.org === org && p.frame.session_id === sid && !p.delivered)
          finish(p, {
            outcome: "failed",
            code: "SESSION_ENDED",
            detail: "The session ended before the agent runtime applied it.",
          });
    },
    dispose() {
      for (const p of pending.values()) p.cancelTimer();
      pending.clear();
      links.clear();
      owners.dispose();
    },
  };
  return hub;
}
