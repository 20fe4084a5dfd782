/** The worker's per-agent counts: active sessions and those in review mode, one change at a time. */
import { describe, expect, it } from "vitest";
import type { Session } from "@/utils/protocol";
import { createAgentSummaries } from "@/utils/query";
import { makeSession } from "../fixtures/frames";

const BILLING = { id: "agt_billing", name: "Billing Bot", color: "#16a34a" };
const ses = (over: Record<string, unknown>) => makeSession(over) as Session;

describe("agent summaries", () => {
  it("counts each agent's active sessions and reviewed ones, sorted by name", () => {
    const a = createAgentSummaries();
    a.set("s1", ses({ id: "s1" }));
    a.set("s2", ses({ id: "s2", review: { enabled: true, drafts_waiting: 0 } }));
    a.set("s3", ses({ id: "s3", agent: BILLING }));
    expect(a.list()).toEqual([
      { id: "agt_billing", name: "Billing Bot", color: "#16a34a", sessions: 1, reviewing: 0 },
      { id: "agt_support", name: "Support Bot", color: "#2563eb", sessions: 2, reviewing: 1 },
    ]);
    // Moves between agents, review switched off, a session ending, the last of an agent leaving.
    a.set("s1", ses({ id: "s1", agent: BILLING }));
    a.set("s2", ses({ id: "s2" }));
    a.set("s3", ses({ id: "s3", agent: BILLING, status: "ended" }));
    expect(a.list()).toEqual([
      { id: "agt_billing", name: "Billing Bot", color: "#16a34a", sessions: 1, reviewing: 0 },
      { id: "agt_support", name: "Support Bot", color: "#2563eb", sessions: 1, reviewing: 0 },
    ]);
    a.set("s2", undefined);
    expect(a.list().map((x) => x.id)).toEqual(["agt_billing"]);
  });

  it("changes its version only when the list changes", () => {
    const a = createAgentSummaries();
    a.set("s1", ses({ id: "s1" }));
    const v = a.version;
    a.set("s1", ses({ id: "s1", preview: "another message" }));
    expect(a.version).toBe(v);
    // A session it never counted leaving (or ending) changes nothing: panels are not sent the list again.
    a.set("s9", undefined);
    a.set("s8", ses({ id: "s8", status: "ended" }));
    expect(a.version).toBe(v);
    a.set("s1", undefined);
    expect(a.version).toBe(v + 1);
  });
});
