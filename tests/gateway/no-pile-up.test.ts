/**
 * Issue 19 item 6, nothing piles up: after many sessions start, are watched,
 * taken over and end, the gateway's per-session state of them is gone — the
 * presence entries (while the client still watches the ended sessions), the
 * take-over locks, the runtime ownership and the interventions waiting for a
 * runtime. The command rate-limit buckets
 * stay bounded (refilled buckets are dropped beyond `MAX_BUCKETS` keys).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter, MAX_BUCKETS } from "../../gateway/auth/rate-limit.ts";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import type { Simulation } from "../../gateway/sim/simulation.ts";
import { connectAs, simOf, startTestGateway, type TestGateway } from "../helpers/gateway.ts";

let tg: TestGateway;
let org: OrgRuntime;
let sim: Simulation;
beforeAll(async () => {
  tg = await startTestGateway({ simulate: false, commandsPerMinute: 10_000, commandBurst: 1000 });
  const o = tg.gateway.orgs.get("org_demo");
  if (!o) throw new Error("no org");
  org = o;
  sim = simOf(tg.gateway);
});
afterAll(() => tg.stop());

const N = 30;

describe("nothing piles up", () => {
  it(`${N} sessions watched, taken over and ended leave no presence, lock or owner behind`, async () => {
    const sims = Array.from({ length: N }, () => sim.spawn({ auto: false }));
    const ids = sims.map((s) => s.id);
    const sup = await connectAs(tg, tg.tokens.supervisor, { watch: ids });
    await sup.waitFor((f) => f.type === "presence" && f.session_id === ids.at(-1));
    expect(org.presence?.sessions().length).toBe(N);
    for (const sid of ids.slice(0, 10)) {
      const cmd_id = randomUUID();
      sup.send({
        type: "command",
        cmd_id,
        action: "take_over",
        session_id: sid,
        reason: "Pile-up test",
        payload: {},
      });
      await sup.waitFor((f) => f.type === "ack" && f.cmd_id === cmd_id);
    }
    await sup.waitFor(() => org.locks?.size() === 10);
    for (const s of sims) s.end("resolved");
    const last = ids.at(-1) as string;
    // The ended session's viewers go (the client still has it in its watch set).
    await sup.waitFor((f) => f.type === "presence" && f.session_id === last && f.viewers.length === 0);
    expect(org.presence?.sessions()).toEqual([]);
    expect(org.presence?.viewers(last)).toEqual([]);
    expect(org.locks?.size()).toBe(0);
    for (const sid of ids) expect(tg.gateway.agents.ownerOf("org_demo", sid)).toBeUndefined();
    expect(tg.gateway.agents.pendingCount()).toBe(0);
    sup.close();
  });

  it("rate-limit buckets stay bounded: refilled ones are dropped beyond the cap", () => {
    let t = 0;
    const limiter = createRateLimiter(60, 10, () => t);
    for (let i = 0; i < MAX_BUCKETS * 2; i++) {
      limiter.take(`user_${i}`);
      t += 1000; // each earlier bucket has refilled by the time the cap is passed
    }
    expect(limiter.size()).toBeLessThanOrEqual(MAX_BUCKETS + 1);
  });
});
