import { computed, signal } from "@preact/signals";
import { afterEach, describe, expect, it } from "vitest";
import {
  ACTION_LABELS,
  ACTION_SHORT,
  createCommandJournal,
  createInterventionModel,
  decodeInterventionsAnswer,
  describeCommandError,
  type InterventionModel,
  interventionsPath,
  isCobrowsing,
  mergeInterventions,
  type OutgoingCommand,
  shortcutFor,
} from "@/utils/interventions";
import type { ActivityEntry, CommandStatus, StreamingReply } from "@/utils/panel-messages";
import {
  ACTIONS,
  type Agent,
  ERROR_CODES,
  type Intervention,
  type Session,
  type User,
} from "@/utils/protocol";
import { createAgentSummaries } from "@/utils/query";
import { AGENT, makeIntervention, makeSession, USER } from "../fixtures/frames";

const OTHER: Agent = { id: "agt_billing", name: "Billing Bot", color: "#16a34a", online: true };

function setup(
  opts: { user?: User | null; session?: Record<string, unknown>; all?: Record<string, unknown>[] } = {},
) {
  const sent: OutgoingCommand[] = [];
  let n = 0;
  const user = signal<User | null>(opts.user === undefined ? (USER as User) : opts.user);
  const session = signal<Session | null>(makeSession(opts.session) as Session);
  const agents = signal<readonly Agent[]>([AGENT, OTHER]);
  const streaming = signal<StreamingReply | null>(null);
  const activity = signal<readonly ActivityEntry[]>([]);
  const allSessions = signal<readonly Session[]>((opts.all ?? []).map((x) => makeSession(x) as Session));
  // The worker's per-agent counts, as it keeps them, over these sessions.
  const agentSummaries = computed(() => {
    const summaries = createAgentSummaries();
    for (const s of allSessions.value) summaries.set(s.id, s);
    return summaries.list();
  });
  const journal = createCommandJournal({
    post: (cmd) => {
      sent.push(cmd);
      return undefined;
    },
  });
  const statuses = journal.statuses;
  const model = createInterventionModel({
    journal,
    user,
    session,
    agents,
    streaming,
    activity,
    agentSummaries,
    newId: () => `cmd-${++n}`,
  });
  models.push(model);
  const report = (s: CommandStatus) => journal.report(s);
  return { model, sent, user, session, agents, streaming, statuses, activity, allSessions, report };
}

const models: InterventionModel[] = [];
afterEach(() => {
  for (const m of models.splice(0)) m[Symbol.dispose]();
});

describe("describeCommandError", () => {
  it("has supervisor words for every protocol error code", () => {
    for (const code of ERROR_CODES) {
      const text = describeCommandError(code, "raw gateway text", 2500);
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toMatch(/^[A-Z_]+$/);
    }
    expect(describeCommandError("FORBIDDEN", "x")).toBe("You don't have permission to intervene");
    expect(describeCommandError("SESSION_ENDED", "x")).toBe("Session has already ended");
    expect(describeCommandError("RATE_LIMITED", "x", 2100)).toBe("Too many actions — try again in 3 s");
    expect(describeCommandError("RATE_LIMITED", "x")).toBe("Too many actions — try again shortly");
    expect(describeCommandError("VALIDATION_FAILED", "payload.agent_id: no agent x in this org.")).toBe(
      "The gateway refused the details: no agent x in this org.",
    );
    expect(describeCommandError("HTTP_502", "")).toContain("HTTP 502");
    expect(describeCommandError("SOMETHING_NEW", "odd")).toBe("The gateway refused the action: odd");
  });
});

describe("shortcuts", () => {
  it("maps Alt+letters and ignores typing, modifiers and repeats", () => {
    const base = { altKey: true, ctrlKey: false, metaKey: false, shiftKey: false, target: null };
    expect(shortcutFor({ ...base, code: "KeyP" })).toBe("pause");
    expect(shortcutFor({ ...base, code: "KeyM" })).toBe("message");
    expect(shortcutFor({ ...base, code: "KeyO" })).toBe("override");
    expect(shortcutFor({ ...base, code: "KeyT" })).toBe("transfer");
    expect(shortcutFor({ ...base, code: "KeyC" })).toBe("cobrowse");
    expect(shortcutFor({ ...base, code: "KeyX" })).toBeNull();
    expect(shortcutFor({ ...base, code: "KeyP", altKey: false })).toBeNull();
    expect(shortcutFor({ ...base, code: "KeyP", ctrlKey: true })).toBeNull();
    expect(shortcutFor({ ...base, code: "KeyP", repeat: true })).toBeNull();
  });
});

describe("intervention model", () => {
  it("offers pause or resume by session status, nothing live for an ended session", () => {
    const { model, session } = setup();
    expect(model.controls.value.map((c) => c.action)).toEqual([
      "pause",
      "system_message",
      "override",
      "transfer",
      "cobrowse_start",
      "whisper",
      "take_over",
      "review_mode",
    ]);
    session.value = makeSession({ status: "paused" }) as Session;
    expect(model.controls.value[0]?.action).toBe("resume");
    expect(model.controls.value[0]?.label).toBe("Resume");
    expect(model.controls.value[0]?.title).toContain("Alt+P");
    session.value = makeSession({ status: "ended" }) as Session;
    expect(model.controls.value.every((c) => c.disabled)).toBe(true);
    expect(model.open("pause")).toBe(false);
  });

  it("denies controls without sessions:intervene and waits while the user is unknown", () => {
    const { model, user } = setup({ user: null });
    expect(model.permission.value).toBe("unknown");
    expect(model.open("pause")).toBe(false);
    user.value = { ...(USER as User), roles: ["viewer"], permissions: ["sessions:read"] };
    expect(model.permission.value).toBe("denied");
    expect(model.roleName.value).toBe("viewer");
    expect(model.open("message")).toBe(false);
    expect(model.dialog.value).toBeNull();
  });

  it("validates the reason and payload with the protocol's checks, sending nothing until valid", () => {
    const { model, sent } = setup();
    expect(model.open("message")).toBe(true);
    expect(model.reasonError.value).toBeNull(); // nothing shown before the first attempt
    expect(model.submit()).toBeNull();
    expect(model.reasonError.value).toBe("A reason is required.");
    expect(model.payloadError.value).toBe("Write the text to send.");
    model.reason.value = "ab";
    expect(model.reasonError.value).toBe("The reason must be 3–500 characters (it has 2).");
    model.reason.value = "x".repeat(501);
    expect(model.reasonError.value).toContain("it has 501");
    model.reason.value = "Customer is confused";
    model.text.value = "A human will join shortly.";
    expect(model.reasonError.value).toBeNull();
    expect(sent).toHaveLength(0);
    expect(model.submit()).toBe("cmd-1");
    expect(sent).toEqual([
      {
        cmd_id: "cmd-1",
        action: "system_message",
        session_id: "ses_abc123xyz",
        reason: "Customer is confused",
        payload: { text: "A human will join shortly." },
      },
    ]);
    expect(model.dialog.value).toBeNull();
  });

  it("builds each action's payload", () => {
    const { model, sent, session, report } = setup();
    const run = (kind: Parameters<typeof model.open>[0], fill: () => void) => {
      expect(model.open(kind)).toBe(true);
      model.reason.value = "  Needed for QA  ";
      fill();
      expect(model.submit()).not.toBeNull();
    };
    run("pause", () => {});
    run("override", () => {
      model.text.value = "Sorry, let me correct that.";
    });
    run("transfer", () => {
      model.target.value = "agt_billing";
    });
    run("transfer", () => {
      model.target.value = "human";
    });
    run("cobrowse", () => {});
    // The pause is pending until acked: pause/resume stays disabled meanwhile.
    expect(model.open("pause")).toBe(false);
    report({ cmd_id: sent[0]?.cmd_id ?? "", status: "acked", intervention_id: "int_00000001" });
    session.value = makeSession({ status: "paused" }) as Session;
    run("pause", () => {});
    expect(sent.map((c) => [c.action, c.payload, c.reason])).toEqual([
      ["pause", undefined, "Needed for QA"],
      ["override", { text: "Sorry, let me correct that." }, "Needed for QA"],
      ["transfer", { agent_id: "agt_billing" }, "Needed for QA"],
      ["transfer", { queue: "human" }, "Needed for QA"],
      ["cobrowse_start", undefined, "Needed for QA"],
      ["resume", undefined, "Needed for QA"],
    ]);
    expect(new Set(sent.map((c) => c.cmd_id)).size).toBe(sent.length);
  });

  it("requires a transfer target and lists the other agents", () => {
    const { model } = setup();
    model.open("transfer");
    model.reason.value = "Billing question";
    expect(model.submit()).toBeNull();
    expect(model.payloadError.value).toBe("Choose an agent or the human handoff queue.");
    expect(model.transferAgents.value.map((a) => a.id)).toEqual(["agt_billing"]);
  });

  it("tracks pending → succeeded and pending → failed with supervisor words", () => {
    const { model, report } = setup();
    model.open("message");
    model.reason.value = "Clarify";
    model.text.value = "Hello";
    const id = model.submit() ?? "";
    expect(model.recent.value[0]).toMatchObject({ cmd_id: id, phase: "pending" });
    expect(model.recent.value[0]?.text).toContain("waiting for the gateway");
    report({ cmd_id: id, status: "pending" });
    expect(model.recent.value[0]?.phase).toBe("pending");
    report({ cmd_id: id, status: "acked", intervention_id: "int_abcd1234" });
    expect(model.recent.value[0]).toMatchObject({ phase: "succeeded", intervention_id: "int_abcd1234" });
    expect(model.recent.value[0]?.text).toContain("int_abcd1234");

    model.open("override");
    model.reason.value = "Wrong answer";
    model.text.value = "Correct answer";
    const id2 = model.submit() ?? "";
    report({
      cmd_id: id2,
      status: "failed",
      code: "RATE_LIMITED",
      message: "slow down",
      retry_after_ms: 3000,
    });
    expect(model.recent.value[0]).toMatchObject({ cmd_id: id2, phase: "failed" });
    expect(model.recent.value[0]?.error).toBe("Too many actions — try again in 3 s");
  });

  it("says when the agent runtime applied an intervention, or why it did not", () => {
    const { model, report, activity } = setup();
    const at = "2026-06-24T16:30:00.000Z";
    const result = (intervention_id: string, extra: Record<string, unknown>): ActivityEntry => ({
      kind: "intervention_result",
      at,
      session_id: "ses_abc123xyz",
      result: { intervention_id, action: "pause", outcome: "applied", ...extra } as never,
    });
    model.open("pause");
    model.reason.value = "Checking the answer";
    const id = model.submit() ?? "";
    report({ cmd_id: id, status: "acked", intervention_id: "int_agent001" });
    expect(model.recent.value[0]).toMatchObject({ phase: "succeeded" });
    expect(model.recent.value[0]?.agent).toBeUndefined();
    activity.value = [result("int_agent001", {})];
    expect(model.recent.value[0]).toMatchObject({ phase: "succeeded", agent: "applied" });
    expect(model.recent.value[0]?.text).toBe("Paused — applied by the agent (logged as int_agent001)");

    model.open("override");
    model.reason.value = "Wrong refund amount";
    model.text.value = "A refund of 20 EUR is on its way.";
    const id2 = model.submit() ?? "";
    report({ cmd_id: id2, status: "acked", intervention_id: "int_agent002" });
    activity.value = [
      ...activity.value,
      result("int_agent002", { outcome: "failed", code: "RUNTIME_OFFLINE" }),
    ];
    expect(model.recent.value[0]).toMatchObject({ phase: "failed", agent: "failed", retryable: false });
    expect(model.recent.value[0]?.error).toBe("the agent runtime stayed offline, so nothing was applied");
    // Retrying the accepted cmd_id cannot help; editing makes a new command.
    expect(model.retry(id2)).toBe(false);
    expect(model.edit(id2)).toBe(true);
    expect(model.dialog.value?.prior).toBeUndefined();
  });

  it("keeps the cmd_id for a retry and for an unchanged resubmission, a new one when edited", () => {
    const { model, sent, report } = setup();
    model.open("override");
    model.reason.value = "Wrong answer";
    model.text.value = "Correct answer";
    const id = model.submit() ?? "";
    report({ cmd_id: id, status: "failed", code: "RATE_LIMITED", message: "m", retry_after_ms: 1000 });
    expect(model.retry(id)).toBe(true);
    expect(sent.at(-1)?.cmd_id).toBe(id);
    // The old failure is still in the map, but this send has no answer yet.
    expect(model.recent.value[0]?.phase).toBe("pending");
    expect(model.retry(id)).toBe(false); // pending: not twice
    report({ cmd_id: id, status: "failed", code: "RATE_LIMITED", message: "m", retry_after_ms: 1000 });
    expect(model.edit(id)).toBe(true);
    expect(model.text.value).toBe("Correct answer");
    expect(model.submit()).toBe(id);
    report({ cmd_id: id, status: "failed", code: "SESSION_ENDED", message: "m" });
    model.edit(id);
    model.text.value = "Another answer";
    const id3 = model.submit();
    expect(id3).not.toBe(id);
    expect(sent.map((c) => c.cmd_id)).toEqual([id, id, id, id3]);
    expect(model.recent.value.map((c) => c.cmd_id)).toEqual([id3]);
  });

  it("adopts the cmd_id a sender chose for itself", () => {
    const model = createInterventionModel({
      journal: createCommandJournal({ post: () => "from-sender" }),
      user: signal(USER as User),
      session: signal(makeSession() as Session),
      agents: signal([AGENT]),
      streaming: signal(null),
    });
    models.push(model);
    model.open("pause");
    model.reason.value = "Check";
    expect(model.submit()).toBe("from-sender");
    expect(model.recent.value[0]?.cmd_id).toBe("from-sender");
  });

  it("blocks a second pause while one is pending", () => {
    const { model, report } = setup();
    model.open("pause");
    model.reason.value = "Look closer";
    const id = model.submit() ?? "";
    expect(model.controls.value[0]?.busy).toBe(true);
    expect(model.open("pause")).toBe(false);
    report({ cmd_id: id, status: "acked", intervention_id: "int_00000001" });
    expect(model.controls.value[0]?.busy).toBe(false);
  });

  it("names the override target: the reply in progress, else the next one", () => {
    const { model, streaming, session } = setup();
    expect(model.overrideTarget.value).toEqual({ kind: "next" });
    session.value = makeSession({ status: "thinking" }) as Session;
    expect(model.overrideTarget.value).toMatchObject({ kind: "current", phase: "thinking" });
    streaming.value = { message_id: "msg_9", phase: "streaming", text: "Your order ships" };
    expect(model.overrideTarget.value).toEqual({
      kind: "current",
      phase: "streaming",
      message_id: "msg_9",
      preview: "Your order ships",
    });
    expect(model.controls.value[2]?.title).toContain("being written now");
  });

  it("knows co-browse state from acks, the audit trail and monitored_by", () => {
    const { model, report, activity, session } = setup();
    model.open("cobrowse");
    model.reason.value = "Quality check";
    const id = model.submit() ?? "";
    report({ cmd_id: id, status: "acked", intervention_id: "int_cobr0001" });
    expect(model.cobrowsing.value).toBe(true);
    expect(model.controls.value[4]?.action).toBe("cobrowse_stop");
    const entry = (i: Record<string, unknown>): ActivityEntry => ({
      kind: "intervention",
      at: "2026-06-24T16:30:00.123Z",
      intervention: makeIntervention(i) as Intervention,
    });
    activity.value = [entry({ intervention_id: "int_cobr0001", type: "cobrowse_start" })];
    expect(model.cobrowsing.value).toBe(true);
    activity.value = [
      ...activity.value,
      entry({ intervention_id: "int_cobr0002", type: "cobrowse_stop", cmd_id: "other" }),
    ];
    expect(model.cobrowsing.value).toBe(false);
    session.value = makeSession({ monitored_by: ["admin_xyz789"] }) as Session;
    expect(model.cobrowsing.value).toBe(true);
  });
});

describe("log helpers", () => {
  it("merges by intervention_id, newest first, optionally for one session", () => {
    const a = makeIntervention({ intervention_id: "int_00000001", timestamp: "2026-06-24T16:00:00.000Z" });
    const b = makeIntervention({
      intervention_id: "int_00000002",
      timestamp: "2026-06-24T17:00:00.000Z",
      session_id: "ses_other",
    });
    const c = makeIntervention({ intervention_id: "int_00000003", timestamp: "2026-06-24T16:30:00.000Z" });
    const list = [a, b, c] as Intervention[];
    expect(mergeInterventions([list, [a as Intervention]]).map((i) => i.intervention_id)).toEqual([
      "int_00000002",
      "int_00000003",
      "int_00000001",
    ]);
    expect(mergeInterventions([list], "ses_abc123xyz")).toHaveLength(2);
  });

  it("isCobrowsing is false without a user or session", () => {
    expect(isCobrowsing(null, "x", [], [])).toBe(false);
    expect(isCobrowsing(makeSession() as Session, null, [], [])).toBe(false);
  });
});

describe("structure", () => {
  it("every protocol action is reachable from a toolbar control and has labels", () => {
    const { model, session, activity } = setup();
    const reachable = new Set(model.controls.value.map((c) => c.action));
    session.value = makeSession({ status: "paused" }) as Session;
    activity.value = [
      {
        kind: "intervention",
        at: "2026-06-24T16:30:00.123Z",
        intervention: makeIntervention({ type: "cobrowse_start" }) as Intervention,
      },
    ];
    for (const c of model.controls.value) reachable.add(c.action);
    // Taken over by this supervisor: Hand back on the toolbar, replies from the compose box.
    session.value = makeSession({ taken_over_by: { id: USER.id, name: USER.name } }) as Session;
    for (const c of model.controls.value) reachable.add(c.action);
    expect(model.heldByMe.value).toBe(true);
    reachable.add("takeover_reply");
    // Review mode: Approve / Edit / Reject are buttons on each draft in the transcript (resolveDraft).
    reachable.add("approve_draft");
    reachable.add("reject_draft");
    expect([...reachable].sort()).toEqual([...ACTIONS].sort());
    for (const a of ACTIONS) {
      expect(ACTION_LABELS[a].verb.toLowerCase()).toContain(ACTION_LABELS[a].short.toLowerCase());
      expect(ACTION_SHORT[a]).toBeTruthy();
    }
  });
});

describe("history request (proposal)", () => {
  it("builds the audit path and checks the answer", () => {
    expect(interventionsPath()).toBe("/v1/interventions");
    expect(interventionsPath({ session_id: "ses_a b", after: 12, limit: 5000 })).toBe(
      "/v1/interventions?session_id=ses_a+b&after=12&limit=1000",
    );
    expect(interventionsPath({ after: -1, limit: 0 })).toBe("/v1/interventions");
    const ok = decodeInterventionsAnswer({ interventions: [makeIntervention()] });
    expect(ok.ok && ok.interventions[0]?.intervention_id).toBe("int_0a1b2c3d");
    const bad = decodeInterventionsAnswer({ interventions: [makeIntervention({ intervention_id: "x" })] });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toContain("intervention_id");
  });
});

describe("review mode for a whole agent (issue 24)", () => {
  const ADMIN = { ...USER, roles: ["admin"], permissions: ["sessions:read", "sessions:intervene"] } as User;
  const agent = { id: "agt_sales", name: "Sales Assistant", color: "#16a34a" };

  it("only admins get the control; it switches every session of the agent with a reason", () => {
    expect(setup().model.controls.value.some((c) => c.kind === "review_agent")).toBe(false);
    expect(setup().model.open("review_agent")).toBe(false);
    const { model, sent, allSessions, report } = setup({
      user: ADMIN,
      session: { id: "ses_a", agent },
      all: [
        { id: "ses_a", agent },
        { id: "ses_b", agent },
        { id: "ses_c", agent: { id: "agt_support", name: "Support", color: "#000" } },
      ],
    });
    const control = () => model.controls.value.find((c) => c.kind === "review_agent");
    expect(control()).toMatchObject({
      action: "review_mode",
      keys: "Alt+G",
      pressed: false,
      short: "Review agent",
      label: "Review every reply of Sales Assistant",
    });
    expect(model.open("review_agent")).toBe(true);
    expect(model.submit()).toBeNull(); // a reason is required
    model.reason.value = "New sales prompt goes live";
    expect(model.submit()).toBe("cmd-1");
    expect(sent.at(-1)).toMatchObject({
      action: "review_mode",
      session_id: "ses_a",
      reason: "New sales prompt goes live",
      payload: { agent_id: "agt_sales", enabled: true },
    });
    report({ cmd_id: "cmd-1", status: "acked", intervention_id: "int_00000001" });
    // Every supervisor sees it: the sessions carry review (the other agent's session does not count).
    allSessions.value = allSessions.value.map((x) =>
      x.agent.id === "agt_sales" ? { ...x, review: { enabled: true, drafts_waiting: 0 } } : x,
    );
    expect(control()).toMatchObject({
      pressed: true,
      label: "Stop reviewing every reply of Sales Assistant",
    });
    expect(model.open("review_agent")).toBe(true);
    model.reason.value = "Prompt checked";
    model.submit();
    expect(sent.at(-1)).toMatchObject({ payload: { agent_id: "agt_sales", enabled: false } });
  });
});

describe("review mode (issue 12)", () => {
  it("the toggle switches review mode on and off with a reason", () => {
    const { model, sent, session, report } = setup();
    const control = () => model.controls.value.find((c) => c.kind === "review");
    expect(control()).toMatchObject({ action: "review_mode", keys: "Alt+V", pressed: false });
    expect(model.open("review")).toBe(true);
    model.reason.value = "New prompt under review";
    expect(model.submit()).toBe("cmd-1");
    expect(sent.at(-1)).toMatchObject({ action: "review_mode", payload: { enabled: true } });
    expect(model.open("review")).toBe(false); // busy until the gateway answers
    report({ cmd_id: "cmd-1", status: "acked", intervention_id: "int_00000001" });
    session.value = makeSession({ review: { enabled: true, drafts_waiting: 2 } }) as Session;
    expect(control()?.pressed).toBe(true);
    expect(model.open("review")).toBe(true);
    model.reason.value = "Prompt looks fine";
    model.submit();
    expect(sent.at(-1)).toMatchObject({ action: "review_mode", payload: { enabled: false } });
  });

  it("approves, edits and rejects a draft; an edit and a rejection need their reason", () => {
    const { model, sent } = setup();
    expect(model.resolveDraft("approve_draft", "drf_1")).not.toBeNull();
    expect(sent.at(-1)).toMatchObject({
      action: "approve_draft",
      reason: "Approved in review",
      payload: { draft_id: "drf_1" },
    });
    // An edit is audited as "Edit draft" with the supervisor's own reason: none, nothing sent.
    expect(model.resolveDraft("approve_draft", "drf_2", { text: "Edited words" })).toBeNull();
    model.resolveDraft("approve_draft", "drf_2", { text: "Edited words", reason: "Softer tone" });
    expect(sent.at(-1)).toMatchObject({
      reason: "Softer tone",
      payload: { draft_id: "drf_2", text: "Edited words" },
    });
    expect(model.resolveDraft("approve_draft", "drf_3", { text: "  " })).toBeNull();
    expect(model.resolveDraft("reject_draft", "drf_3")).toBeNull();
    expect(model.resolveDraft("reject_draft", "drf_3", { reason: "Too pushy" })).not.toBeNull();
    expect(sent.at(-1)).toMatchObject({
      action: "reject_draft",
      reason: "Too pushy",
      payload: { draft_id: "drf_3" },
    });
    expect(sent).toHaveLength(3);
  });
});
