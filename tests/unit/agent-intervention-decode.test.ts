import { describe, expect, it } from "vitest";
import type { InterventionFrame } from "@/utils/protocol";
import { createInterventionRouter, type Intervention } from "../../agent-client/interventions";

const frame = (action: InterventionFrame["action"], payload: Record<string, unknown>): InterventionFrame => ({
  type: "intervention",
  intervention_id: "int_00000001",
  cmd_id: "c1",
  session_id: "ses_a",
  action,
  payload,
  reason: "Escalating",
  deadline: new Date(Date.now() + 60_000).toISOString(),
});

function answerOf(
  router: ReturnType<typeof createInterventionRouter>,
  f: InterventionFrame,
): Promise<object> {
  return new Promise((resolve) => router.receive(f, resolve));
}

describe("an agent runtime decodes an intervention's payload before its handlers see it", () => {
  it("hands the handler a payload typed by its action", async () => {
    const router = createInterventionRouter();
    const seen: Intervention[] = [];
    router.add((iv) => {
      seen.push(iv);
      if (iv.action === "transfer" && iv.payload.queue === "human") return { outcome: "applied" };
      return { outcome: "rejected", detail: "unexpected" };
    });
    const answer = await answerOf(router, frame("transfer", { queue: "human" }));
    expect(answer).toMatchObject({ outcome: "applied" });
    expect(seen[0]).toMatchObject({ action: "transfer", payload: { queue: "human" } });
  });

  it("rejects a payload its action cannot use, naming the field, without calling a handler", async () => {
    const router = createInterventionRouter();
    let called = false;
    router.add(() => {
      called = true;
      return undefined;
    });
    const answer = await answerOf(router, frame("approve_draft", {}));
    expect(answer).toMatchObject({
      outcome: "rejected",
      detail: "payload.draft_id: a draft id is required.",
    });
    expect(called).toBe(false);
  });
});
