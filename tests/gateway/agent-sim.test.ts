/**
 * The simulation as `npm start` runs it: its agents publish over a real
 * /v1/agent socket through the agent client, and interventions on simulated
 * sessions are applied by that runtime and acknowledged.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventFrame } from "../../utils/protocol/index.ts";
import { connectAs, startTestGateway, type TestGateway } from "../helpers/gateway.ts";

let tg: TestGateway;
beforeAll(async () => {
  tg = await startTestGateway({ simTransport: "socket", sessions: 4, rate: 30 });
});
afterAll(() => tg.stop());

describe("the simulated agents over /v1/agent", () => {
  it("publish a contiguous stream through a socket and obey a pause", async () => {
    const sup = await connectAs(tg, tg.tokens.supervisor);
    const org = tg.gateway.orgs.get("org_demo");
    const started = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "session_started",
      10_000,
    );
    // The simulation's runtime is one agent connection of the gateway.
    expect(tg.gateway.agents.ownerOf("org_demo", started.session_id ?? "")).toBe("sim_org_demo/simulation");
    const sid = started.session_id ?? "";
    await sup.waitFor((f) => f.type === "event" && f.session_id === sid && f.kind === "message_sent", 10_000);
    const cmd_id = randomUUID();
    const from = sup.frames.length;
    sup.send({
      type: "command",
      cmd_id,
      action: "pause",
      session_id: sid,
      reason: "Socket sim test",
      payload: {},
    });
    const result = await sup.waitFor<EventFrame>(
      (f) => f.type === "event" && f.kind === "intervention_result" && f.session_id === sid,
      10_000,
      from,
    );
    expect(result.data).toMatchObject({ cmd_id, action: "pause", outcome: "applied" });
    expect(org?.state.session(sid)?.session.status).toBe("paused");
    const seqs = sup.frames.filter((f): f is EventFrame => f.type === "event").map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    expect(sup.errors).toEqual([]);
    expect(tg.gateway.agentCounters.frames_rejected).toBe(0);
    sup.close();
  });
});
