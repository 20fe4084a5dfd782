/**
 * The gateway's handshake budget (`--handshakes-per-second`) is enforced, not
 * only advised: hellos beyond it wait their turn with the socket open and are
 * welcomed as slots free, in order; beyond 5 s of queue a hello is closed with
 * 4100. (The reconnect spread of a 42xx that keeps a restart under the budget
 * is tests/faults/restart-spread.test.ts.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { connectClient, startTestGateway, type TestClient, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until";

let tg: TestGateway | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await tg?.stop();
  tg = undefined;
});

async function helloAll(gw: TestGateway, n: number): Promise<TestClient[]> {
  const opened = await Promise.all(Array.from({ length: n }, () => connectClient(gw.streamUrl)));
  clients.push(...opened);
  // Every hello leaves in the same turn, after every socket is open.
  for (const c of opened) c.send({ type: "hello", v: 1, token: gw.tokens.supervisor, client: "budget/1" });
  return opened;
}

describe("the handshake budget", () => {
  it("welcomes at most the budget per second; the rest wait with their socket open and all get in", async () => {
    tg = await startTestGateway({ handshakesPerSecond: 20 });
    const herd = await helloAll(tg, 50);
    const welcomes = await Promise.all(herd.map((c) => c.waitFor((f) => f.type === "welcome", 15_000)));
    expect(welcomes).toHaveLength(50);
    const s = tg.gateway.handshakes();
    expect(s.peakPerSecond).toBe(20);
    // 20 at once, 20 a second later, the last 10 two seconds after the first (their wait counts from
    // their own hello, which arrived a little after the first ones).
    expect(s.queued).toBe(30);
    expect(s.longestWaitMs).toBeGreaterThan(1000);
    expect(s).toMatchObject({ waiting: 0, refused: 0 });
    expect(tg.gateway.connectionCount()).toBe(50);
    // Each waited with its socket open: nobody was closed.
    for (const c of herd) expect(c.ws.readyState).toBe(c.ws.OPEN);
  }, 30_000);

  it("beyond 5 s of queue a hello is closed with 4100 (back off); one that leaves while waiting frees its place", async () => {
    tg = await startTestGateway({ handshakesPerSecond: 2 });
    // 2 at once, 10 waiting (5 s × 2/s), 3 refused.
    const herd = await helloAll(tg, 15);
    const closes: { code: number; reason: string }[] = [];
    for (const c of herd) void c.closed.then((x) => closes.push(x));
    const welcomed = () => herd.filter((c) => c.frames.some((f) => f.type === "welcome"));
    await until(
      "welcomed().length === 2 && closes.length === 3",
      () => welcomed().length === 2 && closes.length === 3,
    );
    expect(closes.map((r) => r.code)).toEqual([4100, 4100, 4100]);
    expect(closes[0]?.reason).toMatch(/try again later/);
    expect(tg.gateway.handshakes()).toMatchObject({ waiting: 10, refused: 3 });
    const queued = herd.filter((c) => c.ws.readyState === c.ws.OPEN && !welcomed().includes(c));
    expect(queued).toHaveLength(10);
    // Ten leave while waiting: the queue is empty, and a new hello is served at its turn.
    for (const c of queued) c.close();
    await Promise.all(queued.map((c) => c.closed));
    await until("tg?.gateway.handshakes().waiting === 0", () => tg?.gateway.handshakes().waiting === 0);
    const [late] = await helloAll(tg, 1);
    await late?.waitFor((f) => f.type === "welcome", 5000);
    expect(tg.gateway.handshakes()).toMatchObject({ waiting: 0, refused: 3 });
  }, 30_000);
});
