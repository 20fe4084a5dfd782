/**
 * A supervisor's command over a test client, answered by an ack, and the
 * `intervention_result` an agent runtime's answer becomes (gateway tests).
 */
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { EventOf } from "../../utils/protocol/index.ts";
import type { TestClient } from "./gateway.ts";

export async function sendCommand(
  sup: TestClient,
  action: string,
  sid: string,
  payload: Record<string, unknown> = {},
): Promise<{ cmd_id: string; from: number; intervention_id: string }> {
  const cmd_id = randomUUID();
  const from = sup.frames.length;
  sup.send({ type: "command", cmd_id, action, session_id: sid, reason: "Supervisor test", payload });
  const answer = await sup.waitFor(
    (f) => (f.type === "ack" || f.type === "command_error") && f.cmd_id === cmd_id,
    5000,
    from,
  );
  expect(answer.type).toBe("ack");
  return { cmd_id, from, intervention_id: (answer as { intervention_id: string }).intervention_id };
}

export const interventionResult = (
  sup: TestClient,
  intervention_id: string,
  from: number,
  timeoutMs = 5000,
) =>
  sup.waitFor<EventOf<"intervention_result">>(
    (f) =>
      f.type === "event" && f.kind === "intervention_result" && f.data.intervention_id === intervention_id,
    timeoutMs,
    from,
  );
