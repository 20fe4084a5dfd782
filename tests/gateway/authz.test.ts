import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import type { Simulation } from "../../gateway/sim/simulation.ts";
import { ACTIONS, type EventFrame } from "../../utils/protocol/index.ts";
import {
  api,
  connectAs,
  simOf,
  startTestGateway,
  type TestClient,
  type TestGateway,
} from "../helpers/gateway.ts";

let tg: TestGateway;
let org: OrgRuntime;
let sim: Simulation;

beforeAll(async () => {
  tg = await startTestGateway({
    manualClock: true,
    simulate: false,
    commandsPerMinute: 6000,
    commandBurst: 1000,
  });
  const o = tg.gateway.orgs.get("org_demo");
  if (!o) throw new Error("no org");
  org = o;
  sim = simOf(tg.gateway);
});
afterAll(() => tg.stop());

const payloadFor = (action: string): Record<string, unknown> =>
  action === "system_message" || action === "override" || action === "whisper" || action === "takeover_reply"
    ? { text: "Hello from a supervisor" }
    : action === "transfer"
      ? { agent_id: "agt_sales" }
      : action === "review_mode"
        ? { enabled: true }
        : action === "approve_draft" || action === "reject_draft"
          ? { draft_id: "drf_matrix" }
          : {};

async function viaSocket(c: TestClient, body: Record<string, unknown>) {
  const from = c.frames.length;
  c.send({ type: "command", ...body });
  return c.waitFor(
    (f) => (f.type === "ack" || f.type === "command_error") && f.cmd_id === body.cmd_id,
    5000,
    from,
  );
}

const auditCount = () => tg.gateway.audit.list("org_demo", { limit: 10_000, includeRefused: true }).length;

describe("authorization matrix", () => {
  const roles = ["admin", "supervisor", "viewer"] as const;
  for (const role of roles)
    for (const action of ACTIONS)
      for (const transport of ["ws", "http"] as const)
        it(`${role} × ${action} × ${transport}`, async () => {
          const s = sim.spawn({ auto: false });
          const token = tg.tokens[role];
          const body = {
            cmd_id: randomUUID(),
            action,
            session_id: s.id,
            reason: "Matrix check",
            payload: payloadFor(action),
          };
          // Replying and handing back are the take-over holder's: take over first.
          if (role !== "viewer" && (action === "takeover_reply" || action === "hand_back")) {
            const c = await connectAs(tg, token);
            const r = await viaSocket(c, { ...body, cmd_id: randomUUID(), action: "take_over", payload: {} });
            expect(r.type).toBe("ack");
            c.close();
          }
          // Approving and rejecting need a draft waiting (as a runtime announces it).
          if (action === "approve_draft" || action === "reject_draft")
            org.state.emit("draft_ready", s.id, {
              draft_id: "drf_matrix",
              text: "A draft",
              created_at: new Date().toISOString(),
              expires_at: new Date().toISOString(),
            });
          const seqBefore = org.state.log.lastSeq();
          const auditBefore = auditCount();
          let outcome: { ok: boolean; code?: string };
          if (transport === "ws") {
            const c = await connectAs(tg, token);
            const r = await viaSocket(c, body);
            outcome = r.type === "ack" ? { ok: true } : { ok: false, code: (r as { code: string }).code };
            c.close();
          } else {
            const r = await api(tg, token, "/v1/commands", {
              body,
              headers: { "idempotency-key": body.cmd_id },
            });
            outcome = r.status === 200 ? { ok: true } : { ok: false, code: r.body.error.code };
            if (!outcome.ok) expect(r.status).toBe(403);
            else
              expect(r.body).toMatchObject({
                cmd_id: body.cmd_id,
                intervention_id: expect.stringMatching(/^int_[0-9a-z]{8}$/),
              });
          }
          expect(auditCount()).toBe(auditBefore + 1);
          if (role === "viewer") {
            expect(outcome).toEqual({ ok: false, code: "FORBIDDEN" });
            expect(org.state.log.lastSeq()).toBe(seqBefore);
            const refusal = tg.gateway.audit.list("org_demo", { limit: 10_000, includeRefused: true }).at(-1);
            expect(refusal).toMatchObject({
              outcome: "refused:FORBIDDEN",
              admin_id: "view_sam",
              cmd_id: body.cmd_id,
            });
          } else {
            expect(outcome).toEqual({ ok: true });
            expect(org.state.log.lastSeq()).toBeGreaterThan(seqBefore);
          }
        });
});

describe("organisation isolation", () => {
  it("never shows one org's sessions, events or audit records to another", async () => {
    const other = await connectAs(tg, tg.tokens.otherOrg);
    const s = sim.spawn({ auto: false });
    s.userMessage("secret of org_demo");
    const mine = await connectAs(tg, tg.tokens.supervisor);
    const r = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body: { cmd_id: randomUUID(), action: "pause", session_id: s.id, reason: "Isolation check" },
    });
    expect(r.status).toBe(200);
    await mine.waitFor(
      (f) => f.type === "event" && f.kind === "intervention_triggered" && f.session_id === s.id,
    );
    const otherEvents = other.frames.filter((f): f is EventFrame => f.type === "event");
    expect(otherEvents.some((e) => e.session_id === s.id)).toBe(false);
    expect(JSON.stringify(other.frames)).not.toContain("secret of org_demo");
    expect((await api(tg, tg.tokens.otherOrg, `/v1/sessions/${s.id}`)).status).toBe(404);
    expect((await api(tg, tg.tokens.otherOrg, "/v1/interventions")).body.interventions).toEqual([]);
    const snap = (await api(tg, tg.tokens.otherOrg, "/v1/snapshot")).body;
    expect(snap.sessions.some((x: { id: string }) => x.id === s.id)).toBe(false);
    const cross = await api(tg, tg.tokens.otherOrg, "/v1/commands", {
      body: { cmd_id: randomUUID(), action: "resume", session_id: s.id, reason: "Cross-org attempt" },
    });
    expect(cross.status).toBe(404);
    expect(cross.body.error.code).toBe("SESSION_NOT_FOUND");
    // The same answer as for a session that exists nowhere: no hint.
    const nowhere = await api(tg, tg.tokens.otherOrg, "/v1/commands", {
      body: {
        cmd_id: randomUUID(),
        action: "resume",
        session_id: "ses_nowhere",
        reason: "Cross-org attempt",
      },
    });
    expect({
      status: nowhere.status,
      message: nowhere.body.error.message.replace("ses_nowhere", s.id),
    }).toEqual({ status: cross.status, message: cross.body.error.message });
    // The attempt is in the acting user's org's audit log as a denied attempt, and nowhere else.
    const otherOrgId = tg.gateway.options.users.find((u) => u.token === tg.tokens.otherOrg)?.org_id ?? "";
    const trace = tg.gateway.audit
      .list(otherOrgId, { limit: 10_000, includeRefused: true })
      .filter((a) => a.session_id === s.id);
    expect(trace).toHaveLength(1);
    expect(trace[0]).toMatchObject({ outcome: "refused:SESSION_NOT_FOUND", type: "resume" });
    const inTarget = tg.gateway.audit
      .list("org_demo", { limit: 10_000, includeRefused: true })
      .filter((a) => a.session_id === s.id && a.outcome !== "accepted");
    expect(inTarget).toEqual([]);
    other.close();
    mine.close();
  });
});

describe("idempotency", () => {
  it("returns the first outcome for a retry and IDEMPOTENCY_MISMATCH for a changed payload", async () => {
    const s = sim.spawn({ auto: false });
    const body = {
      cmd_id: randomUUID(),
      action: "system_message",
      session_id: s.id,
      reason: "Retry check",
      payload: { text: "once" },
    };
    const first = await api(tg, tg.tokens.supervisor, "/v1/commands", { body });
    const seq = org.state.log.lastSeq();
    const c = await connectAs(tg, tg.tokens.supervisor);
    const again = await viaSocket(c, body);
    expect(again).toMatchObject({ type: "ack", intervention_id: first.body.intervention_id });
    const retry = await api(tg, tg.tokens.supervisor, "/v1/commands", { body });
    expect(retry.body).toEqual(first.body);
    expect(org.state.log.lastSeq()).toBe(seq);
    expect(org.state.session(s.id)?.messages.filter((m) => m.text === "once")).toHaveLength(1);
    const changed = await viaSocket(c, { ...body, payload: { text: "twice" } });
    expect(changed).toMatchObject({ type: "command_error", code: "IDEMPOTENCY_MISMATCH" });
    const http = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body: { ...body, reason: "Another reason" },
    });
    expect(http.status).toBe(409);
    c.close();
  });
});

describe("validation and HTTP errors", () => {
  it("names the problem: reason, payload, unknown agent, bad JSON, too large, no token", async () => {
    const s = sim.spawn({ auto: false });
    const base = { cmd_id: randomUUID(), action: "pause", session_id: s.id };
    const noReason = await api(tg, tg.tokens.supervisor, "/v1/commands", { body: base });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.code).toBe("REASON_REQUIRED");
    const noText = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body: { ...base, cmd_id: randomUUID(), action: "override", reason: "Fix it", payload: {} },
    });
    expect(noText.body.error).toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringContaining("payload.text"),
    });
    const agent = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body: {
        ...base,
        cmd_id: randomUUID(),
        action: "transfer",
        reason: "Move it",
        payload: { agent_id: "agt_nobody" },
      },
    });
    expect(agent.body.error.message).toContain("payload.agent_id");
    const action = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body: { ...base, action: "delete", reason: "Nope" },
    });
    expect(action.status).toBe(422);
    expect(action.body.error.message).toMatch(/^action/);
    const json = await api(tg, tg.tokens.supervisor, "/v1/commands", { body: "{not json" });
    expect(json.status).toBe(400);
    const big = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body: { ...base, reason: "x".repeat(70_000) },
    });
    expect(big.status).toBe(413);
    const anon = await api(tg, null, "/v1/snapshot");
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe("UNAUTHENTICATED");
    expect((await api(tg, "lc_wrong_token_wrong_token", "/v1/me")).status).toBe(401);
    expect((await api(tg, null, "/healthz")).status).toBe(200);
    expect((await api(tg, tg.tokens.viewer, "/v1/me")).body.user).toMatchObject({
      id: "view_sam",
      roles: ["viewer"],
    });
    expect(
      (await api(tg, tg.tokens.viewer, "/v1/agents")).body.agents.map((a: { name: string }) => a.name),
    ).toEqual(["Support Bot", "Sales Assistant", "Billing Agent", "Voice Concierge"]);
    expect((await api(tg, tg.tokens.viewer, "/v1/sessions/ses_nope")).status).toBe(404);
  });
});

describe("rate limiting", () => {
  it("refuses commands over the per-user limit with RATE_LIMITED and a retry time, on both transports", async () => {
    const limited = await startTestGateway({
      manualClock: true,
      simulate: false,
      commandsPerMinute: 60,
      commandBurst: 3,
    });
    try {
      const o = limited.gateway.orgs.get("org_demo");
      const s = simOf(limited.gateway).spawn({ auto: false });
      const body = () => ({
        cmd_id: randomUUID(),
        action: "system_message",
        session_id: s.id,
        reason: "Flood",
        payload: { text: "hi" },
      });
      const c = await connectAs(limited, limited.tokens.supervisor);
      for (let i = 0; i < 3; i++) expect((await viaSocket(c, body())).type).toBe("ack");
      const refused = await viaSocket(c, body());
      expect(refused).toMatchObject({ type: "command_error", code: "RATE_LIMITED" });
      expect((refused as { retry_after_ms: number }).retry_after_ms).toBeGreaterThan(0);
      const seq = o?.state.log.lastSeq();
      const http = await api(limited, limited.tokens.supervisor, "/v1/commands", { body: body() });
      expect(http.status).toBe(429);
      expect(http.body.error).toMatchObject({ code: "RATE_LIMITED", retry_after_ms: expect.any(Number) });
      expect(o?.state.log.lastSeq()).toBe(seq);
      // Another user has their own budget.
      expect((await api(limited, limited.tokens.admin, "/v1/commands", { body: body() })).status).toBe(200);
      c.close();
    } finally {
      await limited.stop();
    }
  });
});

describe("audit listing", () => {
  it("shows refused attempts to admins who ask, and only accepted interventions otherwise", async () => {
    const s = sim.spawn({ auto: false });
    const refused = await api(tg, tg.tokens.viewer, "/v1/commands", {
      body: { cmd_id: randomUUID(), action: "pause", session_id: s.id, reason: "Viewer tries" },
    });
    expect(refused.status).toBe(403);
    const q = `/v1/interventions?session_id=${s.id}&include_refused=true`;
    const forAdmin = (await api(tg, tg.tokens.admin, q)).body.interventions;
    expect(forAdmin).toEqual([
      expect.objectContaining({ admin_id: "view_sam", outcome: "refused:FORBIDDEN" }),
    ]);
    expect((await api(tg, tg.tokens.supervisor, q)).body.interventions).toEqual([]);
    expect((await api(tg, tg.tokens.admin, "/v1/interventions?limit=0")).status).toBe(400);
  });
});
