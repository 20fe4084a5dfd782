/**
 * Per agent, how many active sessions it has and how many of them wait in
 * review mode, kept up to date one changed session at a time (O(1) each):
 * the agent filter's options and the "Review agent" switch read it without
 * any panel holding every session.
 */
import type { Session } from "../protocol";
import type { AgentSummary } from "./view-spec";

export interface AgentSummaries {
  /** Records a session as it is now (undefined: it left). */
  set(id: string, s: Session | undefined): void;
  list(): AgentSummary[];
  /** Bumped on every change to the list. */
  readonly version: number;
}

export function createAgentSummaries(): AgentSummaries {
  const byAgent = new Map<string, AgentSummary>();
  const of = new Map<string, { agent: string; reviewing: boolean }>();
  let version = 0;
  let cached: AgentSummary[] | null = null;
  const add = (agentId: string, delta: number, reviewing: boolean, s?: Session) => {
    let a = byAgent.get(agentId);
    if (!a) {
      if (!s) return;
      a = { id: agentId, name: s.agent.name, color: s.agent.color, sessions: 0, reviewing: 0 };
      byAgent.set(agentId, a);
    }
    if (s) {
      a.name = s.agent.name;
      a.color = s.agent.color;
    }
    a.sessions += delta;
    if (reviewing) a.reviewing += delta;
    if (a.sessions <= 0) byAgent.delete(agentId);
  };
  return {
    set(id, s) {
      const before = of.get(id);
      const now =
        s && s.status !== "ended" ? { agent: s.agent.id, reviewing: s.review?.enabled === true } : null;
      if (!before && !now) return; // a session it never counted left: nothing changed
      if (
        before &&
        now &&
        before.agent === now.agent &&
        before.reviewing === now.reviewing &&
        byAgent.get(now.agent)?.name === s?.agent.name &&
        byAgent.get(now.agent)?.color === s?.agent.color
      )
        return;
      if (before) add(before.agent, -1, before.reviewing);
      if (now && s) {
        add(now.agent, 1, now.reviewing, s);
        of.set(id, now);
      } else of.delete(id);
      version++;
      cached = null;
    },
    list() {
      cached ??= [...byAgent.values()]
        .map((a) => ({ ...a }))
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
      return cached;
    },
    get version() {
      return version;
    },
  };
}
