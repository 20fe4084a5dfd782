/**
 * The simulated agents of one org as an agent runtime: the simulation writes
 * to an outlet that publishes through the agent client (`agent-client`)
 * over `/v1/agent` — or the in-process transport in tests — and obeys the
 * interventions the gateway forwards to it, exactly as a real runtime does.
 */
import type { Logger } from "pino";
import WebSocket from "ws";
import {
  type AgentClient,
  createAgentClient,
  type Intervention,
  type WebSocketCtor,
} from "../../agent-client/index.ts";
import { PUBLISH_KINDS, type PublishKind } from "../../utils/protocol/index.ts";
import type { Clock } from "../clock.ts";
import { createRefusalLog, type RefusalLog } from "./refusal-log.ts";
import { AGENTS } from "./sim-content.ts";
import type { SimOutlet } from "./sim-outlet.ts";
import { createSimulation, type Simulation, type SimulationOptions } from "./simulation.ts";

export type { Simulation, SpawnOptions } from "./simulation.ts";
/** The simulated agents' roster: the org's agent list starts from it, and the runtime's token may publish as them. */
export const SIM_AGENTS = AGENTS;

export interface SimRuntime {
  readonly sim: Simulation;
  /** What the gateway refused of the simulation (logged once per session and reason). */
  readonly refusals: RefusalLog;
  /** Starts the client: `url` is the gateway's (unused by the in-process transport). */
  connect(url: string): void;
  readonly client: AgentClient | null;
  close(): void;
}

export interface SimRuntimeOptions {
  orgId: string;
  clock: Clock;
  sim: SimulationOptions;
  token: string;
  /** The transport's WebSocket: the in-process one, or null for a real socket. */
  inProcess: WebSocketCtor | null;
  log: Logger;
}

const publishable = new Set<string>(PUBLISH_KINDS);

export function createSimRuntime(opts: SimRuntimeOptions): SimRuntime {
  let client: AgentClient | null = null;
  const early: [PublishKind, string | null, unknown][] = [];
  const refusals = createRefusalLog(opts.log, "simulated event refused");
  const publish = (kind: PublishKind, sid: string | null, data: unknown) => {
    if (!client) return early.push([kind, sid, data]);
    void client.publish(kind, sid, data).then((r) => {
      // CLOSED: the simulation's own client closed first (the gateway is stopping): not a refusal.
      if (!r.ok && r.code !== "CLOSED")
        refusals.note(sid, r.code, { kind, path: r.path, message: r.message });
    });
  };
  const outlet: SimOutlet = {
    id: opts.orgId,
    emit(kind, sid, data) {
      if (publishable.has(kind)) publish(kind as PublishKind, sid, data);
      else opts.log.error({ kind }, "the simulation emitted a kind only the gateway may publish");
    },
    delta(f) {
      client?.delta(f.session_id, f.message_id, f.idx, f.text);
    },
  };
  const sim = createSimulation(outlet, opts.clock, opts.sim);

  function apply(iv: Intervention): { outcome: "applied" | "rejected"; detail?: string } {
    const s = sim.get(iv.session_id);
    if (!s || s.ended) return { outcome: "rejected", detail: "The simulated conversation is over." };
    switch (iv.action) {
      case "pause":
        s.pause();
        break;
      case "resume":
        s.resume();
        break;
      case "system_message":
        s.systemMessage(iv.payload.text);
        break;
      case "override":
        s.override(iv.payload.text);
        break;
      case "whisper":
        s.whisper(iv.payload.text);
        break;
      case "take_over":
        s.takeOver();
        break;
      case "takeover_reply":
        s.humanReply(iv.payload.text);
        break;
      case "hand_back":
        s.handBack();
        break;
      case "review_mode":
        if (iv.payload.agent_id !== undefined) sim.reviewAgent(iv.payload.agent_id, iv.payload.enabled);
        else s.reviewMode(iv.payload.enabled);
        break;
      case "approve_draft":
      case "reject_draft": {
        const draftId = iv.payload.draft_id;
        const ok =
          iv.action === "approve_draft"
            ? s.approveDraft(draftId, iv.payload.text, iv.admin_id)
            : s.rejectDraft(draftId, iv.admin_id);
        if (!ok) return { outcome: "rejected", detail: `No draft ${draftId} is waiting for approval.` };
        break;
      }
      case "transfer": {
        const to = iv.payload.agent_id;
        const a = AGENTS.find((x) => x.id === to);
        s.transfer(a ? { id: a.id, name: a.name, color: a.color } : "human");
        break;
      }
      default:
        return { outcome: "rejected", detail: `The simulated agent does not handle ${iv.action}.` };
    }
    return { outcome: "applied" };
  }

  return {
    sim,
    refusals,
    get client() {
      return client;
    },
    connect(url) {
      if (client) return;
      client = createAgentClient({
        url,
        token: opts.token,
        runtimeId: "simulation",
        WebSocket: opts.inProcess ?? (WebSocket as unknown as WebSocketCtor),
        backoff: { minMs: 100, maxMs: 2000 },
        // An agent_error names no session: its message (which does) stands in for it.
        onError: (code, message) => refusals.note(message, code, { frame: "delta or result" }),
        onState: (state, detail) => opts.log.debug({ state, detail }, "simulation runtime link"),
      });
      client.onIntervention(apply);
      for (const [k, sid, data] of early.splice(0)) publish(k, sid, data);
    },
    close() {
      client?.close();
    },
  };
}
