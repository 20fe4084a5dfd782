/**
 * Whisper (issue 12): a supervisor's hidden instruction to the agent. Over
 * real sockets: audited with its reason, shown to supervisors as a whisper
 * (never as the preview), forwarded to the simulated agent runtime which
 * applies it — its next reply follows the instruction — idempotent per
 * cmd_id, refused to a viewer, rate limited like every command.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import type { Simulation } from "../../gateway/sim/simulation.ts";
import type { EventFrame, Message } from "../../utils/protocol/index.ts";
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
let sup: TestClient;

const INSTRUCTION = "Offer the 20 % retention discount";
const REASON = "The customer is about to cancel";

beforeAll(async () => {
  tg = await startTestGateway({
    manualClock: true,
    simulate: false,
    tokensPerSecond: 50,
    commandBurst: 8,
    commandsPerMinute: 6,
  });
  const o = tg.gateway.orgs.get("org_demo");
  if (!o) throw new Error("no org");
  org = o;
  sim = simOf(tg.gateway);
  sup = await connectAs(tg, tg.tokens.supervisor);
});
afterAll(async () => {
  expect(sup.errors).toEqual([]);
  sup.close();
  await tg.stop();
});

/** Advances the manual clock until `pred` holds (at most 2 simulated minutes). */
function advanceUntil(pred: () => boolean): void {
  for (let t = 0; t < 120_000 && !pred(); t += 50) tg.gateway.clock.advance(50);
  if (!pred()) throw new Error("condition not reached in 2 simulated minutes");
}
const messagesOf = (sid: string): Message[] => org.state.session(sid)?.messages ?? [];

async function send(c: TestClient, body: Record<string, unknown>) {
  const from = c.frames.length;
  c.send({ type: "command", ...body });
  return c.waitFor(
    (f) => (f.type === "ack" || f.type === "command_error") && f.cmd_id === body.cmd_id,
    5000,
    from,
  );
}
const whisperBody = (sid: string, text = INSTRUCTION, cmd_id = randomUUID()) => ({
  cmd_id,
  action: "whisper",
  session_id: sid,
  reason: REASON,
  payload: { text },
});

describe("whisper", () => {
  it("is audited with its reason, shown to supervisors only, and the agent's next reply follows it", async () => {
    const s = sim.spawn({ channel: "web", auto: false });
    const sid = s.id;
    s.userMessage("I think I will cancel my subscription.");
    advanceUntil(() => messagesOf(sid).some((m) => m.role === "agent"));
    const from = sup.frames.length;
    const body = whisperBody(sid);
    const ack = await send(sup, body);
    expect(ack.type).toBe("ack");
    const iid = (ack as { intervention_id: string }).intervention_id;

    // The whisper in the transcript: a system message marked whisper, with the instruction.
    const shown = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "message_sent" && (f.data as Message).whisper === true,
      5000,
      from,
    );
    expect(shown.data).toMatchObject({ id: `msg_${iid}`, role: "system", text: INSTRUCTION, whisper: true });
    // Forwarded to the simulated runtime, which applied it.
    const result = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "intervention_result" && f.session_id === sid,
      5000,
      from,
    );
    expect(result.data).toMatchObject({ cmd_id: body.cmd_id, action: "whisper", outcome: "applied" });
    expect(tg.gateway.agents.ownerOf("org_demo", sid)).toBeDefined();
    // A whisper is no preview: the card never shows it.
    expect(org.state.session(sid)?.session.preview).not.toContain("retention");

    // The agent's next reply carries the instruction out.
    const before = messagesOf(sid).filter((m) => m.role === "agent").length;
    s.userMessage("So, can you do anything for me?");
    advanceUntil(() => messagesOf(sid).filter((m) => m.role === "agent").length > before);
    const reply = messagesOf(sid)
      .filter((m) => m.role === "agent")
      .at(-1);
    expect(reply?.text).toContain("I can offer you the 20 % retention discount");
    // Only the next reply: the one after it is the agent's own again.
    s.userMessage("Thanks, and when is my next invoice?");
    advanceUntil(() => messagesOf(sid).filter((m) => m.role === "agent").length > before + 1);
    expect(
      messagesOf(sid)
        .filter((m) => m.role === "agent")
        .at(-1)?.text,
    ).not.toContain("retention discount");

    // Audited with the reason and the instruction.
    const audit = await api(tg, tg.tokens.supervisor, `/v1/interventions?session_id=${sid}`);
    expect(audit.status).toBe(200);
    expect(audit.body.interventions).toHaveLength(1);
    expect(audit.body.interventions[0]).toMatchObject({
      intervention_id: iid,
      type: "whisper",
      reason: REASON,
      admin_id: "sup_dana",
      cmd_id: body.cmd_id,
      payload: { text: INSTRUCTION },
    });
  });

  it("is applied once per cmd_id; the same cmd_id with another text is a mismatch", async () => {
    const s = sim.spawn({ channel: "web", auto: false });
    const body = whisperBody(s.id, "Apologise for the delay");
    const first = await send(sup, body);
    const again = await send(sup, body);
    expect(first.type).toBe("ack");
    expect(again).toMatchObject({
      type: "ack",
      intervention_id: (first as { intervention_id: string }).intervention_id,
    });
    // Over HTTP too (a worker that fell back to polling resends there).
    const viaHttp = await api(tg, tg.tokens.supervisor, "/v1/commands", {
      body,
      headers: { "idempotency-key": body.cmd_id },
    });
    expect(viaHttp.status).toBe(200);
    expect(viaHttp.body.intervention_id).toBe((first as { intervention_id: string }).intervention_id);
    const changed = await send(sup, { ...body, payload: { text: "Offer free shipping" } });
    expect(changed).toMatchObject({ type: "command_error", code: "IDEMPOTENCY_MISMATCH" });
    await sup.waitFor(
      (f) => f.type === "event" && f.kind === "intervention_result" && f.session_id === s.id,
      5000,
    );
    expect(messagesOf(s.id).filter((m) => m.whisper)).toHaveLength(1);
    const audit = await api(tg, tg.tokens.supervisor, `/v1/interventions?session_id=${s.id}`);
    expect(audit.body.interventions).toHaveLength(1);
  });

  it("is refused to a viewer (audited as refused) and needs its instruction", async () => {
    const s = sim.spawn({ channel: "web", auto: false });
    const viewer = await connectAs(tg, tg.tokens.viewer);
    const refused = await send(viewer, whisperBody(s.id));
    expect(refused).toMatchObject({ type: "command_error", code: "FORBIDDEN" });
    viewer.close();
    const refusal = tg.gateway.audit
      .list("org_demo", { limit: 10_000, includeRefused: true })
      .filter((r) => r.session_id === s.id);
    expect(refusal).toMatchObject([{ type: "whisper", outcome: "refused:FORBIDDEN", reason: REASON }]);
    const empty = await send(sup, whisperBody(s.id, "  "));
    expect(empty).toMatchObject({ type: "command_error", code: "VALIDATION_FAILED" });
    const noReason = await send(sup, { ...whisperBody(s.id), reason: "" });
    expect(noReason).toMatchObject({ type: "command_error", code: "REASON_REQUIRED" });
    expect(messagesOf(s.id).some((m) => m.whisper)).toBe(false);
  });

  it("is rate limited like every command", async () => {
    const s = sim.spawn({ channel: "web", auto: false });
    const admin = await connectAs(tg, tg.tokens.admin);
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await send(admin, whisperBody(s.id, `Instruction ${i}`)));
    admin.close();
    const limited = answers.filter((a) => a.type === "command_error");
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ code: "RATE_LIMITED" });
    expect((limited[0] as { retry_after_ms?: number }).retry_after_ms).toBeGreaterThan(0);
    // Refused whispers have no effect.
    const acked = answers.length - limited.length;
    expect(messagesOf(s.id).filter((m) => m.whisper)).toHaveLength(acked);
  });
});
