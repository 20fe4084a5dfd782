/**
 * What a (re)started gateway does with the sessions its history left open
 * (issue 19), and how a session ends when its runtime does not come back:
 * - a session an agent runtime owns (a claim in the history) waits for it:
 *   its claim goes to the hub, whose grace (`--runtime-grace-ms`) runs now;
 * - one with no runtime behind it any more — the simulation ran inside the old
 *   process, load mode has none — ends at once (`gateway_restart`);
 * - a runtime that does not come back in time: its sessions end `runtime_lost`;
 * - an intervention forwarded to a runtime and not answered before the stop
 *   (an `intervention_triggered` with no `intervention_result` in the
 *   history) is queued for that runtime again: acknowledged means resolved.
 */
import type { Logger } from "pino";
import type { Intervention } from "../../utils/protocol/index.ts";
import type { Clock } from "../clock.ts";
import type { EventLog, RuntimeClaim } from "../org/event-log.ts";
import type { OrgState } from "../org/org-state.ts";
import type { AgentHub } from "./agent-interventions.ts";

export interface RestoreDeps {
  hub: AgentHub;
  clock: Clock;
  log: Logger;
}

export function restoreSessions(
  state: OrgState,
  deps: RestoreDeps,
  opts: { simPrefix: string; disabled: boolean },
): void {
  const claims = new Map(opts.disabled ? [] : state.log.claims().map((c) => [c.session_id, c]));
  const kept: RuntimeClaim[] = [];
  for (const e of state.sessions.values()) {
    if (e.session.status === "ended") continue;
    const c = claims.get(e.session.id);
    if (c && !c.runtime.startsWith(opts.simPrefix)) kept.push(c);
    else
      state.emit("session_ended", e.session.id, {
        reason: "gateway_restart",
        ended_at: new Date(deps.clock.now()).toISOString(),
      });
  }
  deps.hub.owners.restore(state.id, kept);
  if (kept.length === 0) return;
  const owner = new Map(kept.map((c) => [c.session_id, c.runtime]));
  const waiting = unanswered(state.log, new Set(owner.keys()));
  for (const i of waiting) deps.hub.requeue(state, i, owner.get(i.session_id) ?? "");
  deps.log.info(
    { org: state.id, sessions: kept.length, interventions: waiting.length },
    "sessions wait for their agent runtimes to come back",
  );
}

/** Interventions on `sessions` that the history shows forwarded and never answered, oldest first. */
function unanswered(log: EventLog, sessions: ReadonlySet<string>): Intervention[] {
  const open = new Map<string, Intervention>();
  for (let after = log.firstSeq() - 1; ; ) {
    const batch = log.readAfter(after, 1000);
    if (!batch || batch.length === 0) break;
    for (const ev of batch) {
      if (ev.session_id === null || !sessions.has(ev.session_id)) continue;
      if (ev.kind === "intervention_triggered") open.set(ev.data.intervention_id, ev.data);
      else if (ev.kind === "intervention_result") open.delete(ev.data.intervention_id);
    }
    after = batch[batch.length - 1]?.seq ?? after;
  }
  return [...open.values()];
}

/** The runtime owning `sid` did not come back within the grace: the session ends, saying why. */
export function endLostSession(
  state: OrgState | undefined,
  sid: string,
  key: string,
  deps: Pick<RestoreDeps, "clock" | "log">,
): void {
  const status = state?.session(sid)?.session.status;
  if (!state || status === undefined || status === "ended") return;
  deps.log.warn(
    { org: state.id, session: sid, runtime: key },
    "agent runtime did not come back in time: session ended",
  );
  state.emit("session_ended", sid, {
    reason: "runtime_lost",
    ended_at: new Date(deps.clock.now()).toISOString(),
  });
}
