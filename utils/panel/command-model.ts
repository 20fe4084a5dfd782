/**
 * Commands from this panel: checked here exactly as the worker and the gateway
 * will check them, then sent through the command journal (the panel's one
 * holder of a command's life); and the audit history asked for through the worker.
 */
import { signal } from "@preact/signals";
import { createCommandJournal } from "../interventions";
import type { InterventionsAnswer, PanelToWorker } from "../panel-messages";
import { type Action, commandBody, decodeCommand, type Intervention } from "../protocol";

export function createCommands(post: (message: PanelToWorker) => void) {
  const journal = createCommandJournal({
    post(cmd) {
      post({ type: "command", ...commandBody(cmd) });
      return undefined;
    },
  });
  /** Audit history fetched through the worker (`GET /v1/interventions`), by intervention_id. */
  const history = signal<ReadonlyMap<string, Intervention>>(new Map());
  const historyError = signal<string | null>(null);

  return {
    journal,
    /** Every command status reported, by cmd_id (the journal's). */
    statuses: journal.statuses,
    history,
    historyError,
    applyHistory(m: InterventionsAnswer) {
      if ("error" in m) {
        historyError.value = m.error.message;
        return;
      }
      historyError.value = null;
      const next = new Map(history.value);
      for (const i of m.interventions) next.set(i.intervention_id, i);
      history.value = next;
    },
    /** Asks the worker for the intervention audit history (all sessions, or one). */
    requestHistory(sessionId?: string) {
      post({
        type: "interventions",
        request_id: crypto.randomUUID(),
        ...(sessionId ? { session_id: sessionId } : {}),
      });
    },
    /**
     * Sends an intervention command; returns its cmd_id, whose status lands in `statuses`.
     * `cmd_id` is generated once per user action: a retry of the same action passes it back in.
     */
    send(
      action: Action,
      sessionId: string,
      reason: string,
      payload?: Record<string, unknown>,
      cmd_id: string = crypto.randomUUID(),
    ) {
      const meant = decodeCommand({
        cmd_id,
        action,
        session_id: sessionId,
        reason,
        ...(payload ? { payload } : {}),
      });
      if (!meant.ok) {
        // Refused here exactly as the worker and the gateway would refuse it.
        journal.report({
          cmd_id,
          status: "failed",
          code: meant.problem.code,
          message: meant.problem.message,
        });
        return cmd_id;
      }
      return journal.send(meant.value);
    },
  };
}

export type Commands = ReturnType<typeof createCommands>;
