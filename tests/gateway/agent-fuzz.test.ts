/**
 * Generated garbage from an agent runtime (fast-check): every publish gets an
 * answer (published or publish_error), nothing throws in the gateway, and the
 * supervisors' stream stays decodable and contiguous.
 */
import * as fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EventFrame, PUBLISH_KINDS } from "../../utils/protocol/index.ts";
import { EVENT_DATA_FIXTURES } from "../fixtures/frames.ts";
import { type AgentSocket, connectAgent, publish, sessionData } from "../helpers/agent-socket.ts";
import { connectAs, startTestGateway, type TestClient, type TestGateway } from "../helpers/gateway.ts";

let tg: TestGateway;
let sup: TestClient;
let agent: AgentSocket;
beforeAll(async () => {
  tg = await startTestGateway({ sessions: 2, rate: 20 });
  sup = await connectAs(tg, tg.tokens.admin);
  agent = await connectAgent(tg.port, undefined, "fuzz");
  const r = await publish(agent, "session_started", "ses_fuzz", sessionData("ses_fuzz"));
  expect(r.type).toBe("published");
});
afterAll(async () => {
  agent.close();
  sup.close();
  await tg.stop();
});

/** A valid fixture with one field replaced by anything, or anything at all. */
const eventArb = fc.oneof(
  fc
    .record({
      kind: fc.constantFrom(...PUBLISH_KINDS.filter((k) => k !== "session_started" && k !== "session_ended")),
      session_id: fc.constantFrom("ses_fuzz", "ses_nope", null),
      field: fc.string({ maxLength: 12 }),
      value: fc.anything({ maxDepth: 3 }),
    })
    .map(({ kind, session_id, field, value }) => ({
      kind,
      session_id,
      data: { ...(EVENT_DATA_FIXTURES[kind] as object), ...(field === "" ? {} : { [field]: value }) },
    })),
  fc.anything({ maxDepth: 4 }),
);

describe("an agent runtime sending generated events", () => {
  it("gets an answer for each, and the stream stays contiguous and decodable", async () => {
    const from = sup.frames.length;
    const samples = fc.sample(eventArb, { numRuns: 300, seed: 13 });
    let published = 0;
    let refused = 0;
    for (const event of samples) {
      const pub_id = `fz_${published + refused}`;
      const at = agent.frames.length;
      agent.send({ type: "publish", pub_id, event });
      const r = await agent.waitFor(
        (f) => (f.type === "published" || f.type === "publish_error") && f.pub_id === pub_id,
        5000,
        at,
      );
      if (r.type === "published") published++;
      else refused++;
    }
    expect(published + refused).toBe(300);
    expect(refused).toBeGreaterThan(0);
    expect(tg.gateway.agentCounters.frame_errors).toBe(0);
    const last = tg.gateway.orgs.get("org_demo")?.state.log.lastSeq() ?? 0;
    await sup.waitFor((f) => f.type === "event" && f.seq >= last, 10_000, from);
    const seqs = sup.frames.filter((f): f is EventFrame => f.type === "event").map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    expect(sup.errors).toEqual([]);
  });
});
