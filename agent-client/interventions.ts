/**
 * The runtime's side of interventions: every `intervention` frame goes to the
 * handlers; what they return (or throw) becomes the `intervention_result`.
 * An intervention delivered again (after a reconnect) is answered with the
 * first answer and not applied twice.
 */
import { type CommandPayload, decodePayload, type InterventionFrame } from "../utils/protocol";

/** An intervention as a handler sees it: the frame without `type`, its payload typed by its action. */
export type Intervention = InterventionMeta & CommandPayload;
interface InterventionMeta {
  intervention_id: string;
  cmd_id: string;
  session_id: string;
  reason: string;
  /** The supervisor who sent it, when the gateway says (review mode: who resolved a draft). */
  admin_id?: string;
  /** ISO time: answer before it, or the supervisor is told RUNTIME_TIMEOUT. */
  deadline: string;
}

/** What a handler says: nothing (= applied), or an explicit outcome. */
export type InterventionAnswer = { outcome: "applied" | "rejected"; detail?: string } | undefined;
export type InterventionHandler = (
  intervention: Intervention,
) => InterventionAnswer | undefined | Promise<InterventionAnswer | undefined>;

export interface InterventionRouter {
  add(handler: InterventionHandler): () => void;
  /** Handles one frame; `answer` sends the intervention_result. */
  receive(frame: InterventionFrame, answer: (result: object) => void): void;
}

const REMEMBERED = 1000;

export function createInterventionRouter(): InterventionRouter {
  const handlers = new Set<InterventionHandler>();
  const answered = new Map<string, object>();
  const running = new Set<string>();

  async function decide(
    frame: InterventionFrame,
  ): Promise<{ outcome: "applied" | "rejected"; detail?: string }> {
    // The boundary: a payload the action cannot use is refused here, never handed to a handler.
    const meant = decodePayload(frame.action, frame.payload);
    if (!meant.ok) return { outcome: "rejected", detail: meant.problem.message };
    const iv: Intervention = {
      intervention_id: frame.intervention_id,
      cmd_id: frame.cmd_id,
      session_id: frame.session_id,
      reason: frame.reason,
      ...(frame.admin_id ? { admin_id: frame.admin_id } : {}),
      deadline: frame.deadline,
      ...meant.value,
    };
    if (handlers.size === 0)
      return { outcome: "rejected", detail: "This runtime has no intervention handler." };
    for (const h of [...handlers]) {
      try {
        const a = await h(iv);
        if (a?.outcome === "rejected") return a;
      } catch (e) {
        return { outcome: "rejected", detail: String((e as Error)?.message ?? e).slice(0, 500) };
      }
    }
    return { outcome: "applied" };
  }

  return {
    add(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    receive(frame, answer) {
      const prior = answered.get(frame.intervention_id);
      if (prior) return answer(prior);
      if (running.has(frame.intervention_id)) return;
      running.add(frame.intervention_id);
      void decide(frame).then((r) => {
        running.delete(frame.intervention_id);
        const result = {
          type: "intervention_result",
          intervention_id: frame.intervention_id,
          cmd_id: frame.cmd_id,
          outcome: r.outcome,
          ...(r.detail !== undefined ? { detail: r.detail.slice(0, 500) } : {}),
        };
        answered.set(frame.intervention_id, result);
        if (answered.size > REMEMBERED) {
          const first = answered.keys().next();
          if (!first.done) answered.delete(first.value);
        }
        answer(result);
      });
    },
  };
}
