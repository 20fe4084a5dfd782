/**
 * The benchmark's gateway-side token stamps (issue 21): `onWrite` sees every
 * text the stream writes to a client, exactly as the client receives it, and
 * the load generator says which token number each delta carries — so the bench
 * can stamp when each token left the gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadGenerator } from "../../gateway/load/load.ts";
import { deltasIn } from "../../scripts/bench/token-hops.ts";
import type { DeltaFrame } from "../../utils/protocol/index.ts";
import { connectAs, startTestGateway, type TestGateway } from "../helpers/gateway.ts";

let tg: TestGateway;
let load: LoadGenerator;
const written: string[] = [];
beforeAll(async () => {
  tg = await startTestGateway({
    load: true,
    simulate: false,
    sessions: 5,
    rate: 20,
    tokensPerSecond: 0,
    onWrite: (text) => written.push(text),
  });
  const l = tg.gateway.loads.get("org_demo");
  if (!l) throw new Error("no load generator");
  load = l;
});
afterAll(() => tg.stop());

describe("load mode's token stamps", () => {
  it("hands the bench each written text, and the token number of every delta in it", async () => {
    const c = await connectAs(tg, tg.tokens.supervisor, { watch: [load.watchedId] });
    await c.waitFor((f) => f.type === "snapshot");
    load.setTokenRate(400);
    // More than one reply (200 tokens each), so a second reply's numbers continue from the first's.
    await c.waitFor(
      (f) => f.type === "delta" && f.idx === 20 && f.message_id !== firstReply(c.frames),
      10_000,
    );
    load.setTokenRate(0);
    const deltas = c.frames.filter((f): f is DeltaFrame => f.type === "delta");
    // Every delta the client got was in a text onWrite saw, in the same order.
    const seen = written.flatMap(deltasIn);
    const got = deltas.map((d) => ({ messageId: d.message_id, idx: d.idx }));
    expect(seen.slice(0, got.length)).toEqual(got);
    expect(c.raw.every((r) => written.includes(r))).toBe(true);
    // Each delta's token number is the `wN` its text ends with.
    for (const d of deltas) expect(`w${load.tokenOf(d.message_id, d.idx)} `).toBe(/w\d+ $/.exec(d.text)?.[0]);
    expect(load.tokenOf("msg_unknown", 0)).toBeUndefined();
    expect(c.errors).toEqual([]);
    c.close();
  });
});

function firstReply(frames: readonly { type: string }[]): string | undefined {
  return (frames.find((f) => f.type === "delta") as DeltaFrame | undefined)?.message_id;
}
