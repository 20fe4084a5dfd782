import { describe, expect, it } from "vitest";
import { toastForActivity } from "@/utils/panel/toast-rules";

describe("toasts for the agent's answer to an intervention", () => {
  const entry = (outcome: "applied" | "rejected" | "failed", extra: Record<string, string> = {}) =>
    ({
      kind: "intervention_result",
      at: "2026-06-24T16:30:00.000Z",
      session_id: "ses_1",
      result: { intervention_id: "int_1", action: "override", outcome, ...extra },
    }) as const;

  it("says nothing when it was applied, warns when it was not", () => {
    expect(toastForActivity(entry("applied"))).toBeNull();
    expect(toastForActivity(entry("failed", { code: "RUNTIME_OFFLINE" }))).toEqual({
      title: "Override not applied by the agent",
      body: "the agent runtime stayed offline, so nothing was applied",
      severity: "warning",
      session_id: "ses_1",
    });
    expect(toastForActivity(entry("rejected", { detail: "No reply in flight" }))?.body).toBe(
      "the agent refused it: No reply in flight",
    );
  });
});
