/**
 * The bench's snapshot-path resync (issue 21 item 3) bursts events while the
 * worker is away: spread over every session, or over only a few of them, so
 * the resync can be measured with the rest unchanged.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

let tg: TestGateway | undefined;
afterEach(() => tg?.stop());

async function counts(among?: number): Promise<Map<string, number>> {
  tg = await startTestGateway({ load: true, simulate: false, sessions: 50, rate: 0, tokensPerSecond: 0 });
  const load = tg.gateway.loads.get("org_demo");
  if (!load) throw new Error("no load generator");
  load.burst(200, among);
  return new Map(tg.gateway.snapshot("org_demo").sessions.map((s) => [s.id, s.message_count]));
}

describe("a load-mode burst", () => {
  it("goes to every session but the watched one by default", async () => {
    const c = await counts();
    expect([...c.values()].filter((n) => n > 0)).toHaveLength(49);
  });

  it("goes to the first `among` sessions only when asked", async () => {
    const c = await counts(5);
    const touched = [...c].filter(([, n]) => n > 0).map(([id]) => id);
    expect(touched.sort()).toEqual([
      "ses_load000001",
      "ses_load000002",
      "ses_load000003",
      "ses_load000004",
      "ses_load000005",
    ]);
    expect([...c.values()].reduce((a, b) => a + b, 0)).toBe(200);
  });
});
