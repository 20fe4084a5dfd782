import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ARCHIVED_TAIL, MAX_MESSAGES } from "../../gateway/org/reducer.ts";
import type { EventFrame, Message, WelcomeFrame } from "../../utils/protocol/index.ts";
import { makeMessage, makeSession } from "../fixtures/frames.ts";
import {
  api,
  connectAs,
  simOf,
  startTestGateway,
  type TestClient,
  type TestGateway,
} from "../helpers/gateway.ts";
import { until } from "../helpers/until.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function gateway(opts: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  const tg = await startTestGateway({ rate: 400, sessions: 20, ...opts });
  const holder = { tg };
  cleanups.push(() => holder.tg.stop());
  return tg;
}

const events = (c: TestClient) => c.frames.filter((f): f is EventFrame => f.type === "event");
const lastSeq = (c: TestClient) => events(c).at(-1)?.seq ?? (c.frames[0] as WelcomeFrame).seq;

/** Waits until the org stream has advanced `n` events past `seq`. */
async function advance(tg: TestGateway, seq: number, n: number) {
  const log = tg.gateway.orgs.get("org_demo")?.state.log;
  if (!log) throw new Error("no org");
  await until(
    `the simulation to advance ${n} events past ${seq}`,
    () => log.lastSeq() >= seq + n,
    10_000,
    20,
  );
}

describe("resume and replay", () => {
  it("replays every missed event once, in order, after a disconnect", async () => {
    const tg = await gateway();
    const a = await connectAs(tg, tg.tokens.supervisor);
    const welcome = a.frames[0] as WelcomeFrame;
    await a.waitFor((f) => f.type === "event" && f.seq >= welcome.seq + 5);
    a.close();
    await a.closed;
    const cursor = lastSeq(a);
    await advance(tg, cursor, 30);
    const b = await connectAs(tg, tg.tokens.supervisor, { resume: { epoch: welcome.epoch, seq: cursor } });
    const w2 = b.frames[0] as WelcomeFrame;
    expect(w2.recovered).toBe(true);
    expect(w2.epoch).toBe(welcome.epoch);
    await b.waitFor((f) => f.type === "event" && f.seq >= w2.seq + 10);
    expect(b.frames.some((f) => f.type === "snapshot")).toBe(false);
    const seqs = events(b).map((e) => e.seq);
    expect(seqs[0]).toBe(cursor + 1);
    expect(seqs).toEqual(seqs.map((_, i) => cursor + 1 + i));
    b.close();
  });

  it("sends recovered:false and a snapshot when the gap is older than the history", async () => {
    const tg = await gateway({ historyLimit: 20 });
    const a = await connectAs(tg, tg.tokens.supervisor);
    const welcome = a.frames[0] as WelcomeFrame;
    a.close();
    await advance(tg, welcome.seq, 200);
    const b = await connectAs(tg, tg.tokens.supervisor, {
      resume: { epoch: welcome.epoch, seq: welcome.seq },
    });
    expect((b.frames[0] as WelcomeFrame).recovered).toBe(false);
    const snap = await b.waitFor((f) => f.type === "snapshot");
    expect(snap).toMatchObject({ epoch: welcome.epoch });
    b.close();
  });

  it("answers a replay request with the missing events, or replay_unavailable then a snapshot", async () => {
    const tg = await gateway({ historyLimit: 50 });
    const c = await connectAs(tg, tg.tokens.supervisor);
    const welcome = c.frames[0] as WelcomeFrame;
    await advance(tg, welcome.seq, 5);
    const from = c.frames.length;
    c.send({ type: "replay", epoch: welcome.epoch, after: welcome.seq });
    const first = await c.waitFor((f) => f.type === "event" && f.seq === welcome.seq + 1, 5000, from);
    expect(first.type).toBe("event");
    await advance(tg, welcome.seq, 300);
    const from2 = c.frames.length;
    c.send({ type: "replay", epoch: welcome.epoch, after: welcome.seq });
    const ru = await c.waitFor((f) => f.type === "replay_unavailable", 5000, from2);
    expect(ru).toMatchObject({ epoch: welcome.epoch, after: welcome.seq, reason: "history_trimmed" });
    await c.waitFor((f) => f.type === "snapshot", 5000, from2);
    const from3 = c.frames.length;
    c.send({ type: "resync" });
    await c.waitFor((f) => f.type === "snapshot", 5000, from3);
    c.close();
  });

  it("polls /v1/events and answers 409 SNAPSHOT_REQUIRED for an unknown epoch or a trimmed cursor", async () => {
    const tg = await gateway({ historyLimit: 40 });
    const snap = (await api(tg, tg.tokens.supervisor, "/v1/snapshot")).body;
    await advance(tg, snap.seq, 5);
    const r = await api(tg, tg.tokens.supervisor, `/v1/events?epoch=${snap.epoch}&after=${snap.seq}&limit=3`);
    expect(r.status).toBe(200);
    expect(r.body.events.map((e: EventFrame) => e.seq)).toEqual([snap.seq + 1, snap.seq + 2, snap.seq + 3]);
    expect(r.body.next_after).toBe(snap.seq + 3);
    const unknown = await api(tg, tg.tokens.supervisor, `/v1/events?epoch=e_nope&after=0`);
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.code).toBe("SNAPSHOT_REQUIRED");
    await advance(tg, snap.seq, 200);
    const old = await api(tg, tg.tokens.supervisor, `/v1/events?epoch=${snap.epoch}&after=${snap.seq}`);
    expect(old.status).toBe(409);
    const bad = await api(tg, tg.tokens.supervisor, `/v1/events?epoch=${snap.epoch}&after=-1`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/after/);
  });
});

describe("large replays", () => {
  it("replays a 30 000-event gap in order, in chunks, then goes live", async () => {
    const tg = await gateway({ simulate: false, manualClock: true, historyLimit: 50_000 });
    const org = tg.gateway.orgs.get("org_demo");
    if (!org) throw new Error("no org");
    const a = await connectAs(tg, tg.tokens.supervisor);
    const welcome = a.frames[0] as WelcomeFrame;
    a.close();
    await a.closed;
    const s = simOf(tg.gateway).spawn({ auto: false });
    for (let i = 0; i < 30_000; i++) s.userMessage(`message ${i} ${"x".repeat(200)}`);
    const head = org.state.log.lastSeq();
    const b = await connectAs(tg, tg.tokens.supervisor, {
      resume: { epoch: welcome.epoch, seq: welcome.seq },
    });
    expect((b.frames[0] as WelcomeFrame).recovered).toBe(true);
    s.userMessage("live after the replay");
    await b.waitFor((f) => f.type === "event" && f.seq === head + 1, 20_000);
    const seqs = events(b).map((e) => e.seq);
    expect(seqs.length).toBe(head + 1 - welcome.seq);
    expect(seqs.every((q, i) => q === welcome.seq + 1 + i)).toBe(true);
    expect(b.errors).toEqual([]);
    b.close();
  });
});

describe("history window", () => {
  it("still replays after a 2-minute outage at the full simulated rate (default history limit)", async () => {
    const tg = await gateway({ manualClock: true, rate: 200, sessions: 40 });
    const a = await connectAs(tg, tg.tokens.supervisor);
    const welcome = a.frames[0] as WelcomeFrame;
    a.close();
    await a.closed;
    const log = tg.gateway.orgs.get("org_demo")?.state.log;
    for (let t = 0; t < 125_000; t += 500) tg.gateway.clock.advance(500);
    const missed = (log?.lastSeq() ?? 0) - welcome.seq;
    expect(missed).toBeGreaterThan(200 * 120 * 0.5);
    const b = await connectAs(tg, tg.tokens.supervisor, {
      resume: { epoch: welcome.epoch, seq: welcome.seq },
    });
    expect((b.frames[0] as WelcomeFrame).recovered).toBe(true);
    await b.waitFor((f) => f.type === "event" && f.seq === welcome.seq + missed, 20_000);
    b.close();
  });
});

describe("restart", () => {
  it("changes the epoch after a restart without a data dir", async () => {
    const tg = await gateway();
    const before = tg.gateway.snapshot("org_demo").epoch;
    const tg2 = await tg.restart();
    cleanups.push(() => tg2.stop());
    expect(tg2.gateway.snapshot("org_demo").epoch).not.toBe(before);
    const c = await connectAs(tg2, tg2.tokens.supervisor, { resume: { epoch: before, seq: 3 } });
    expect((c.frames[0] as WelcomeFrame).recovered).toBe(false);
    await c.waitFor((f) => f.type === "snapshot");
    c.close();
  });

  it("keeps the epoch and numbering with a data dir, so a client resumes across the restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lc-gw-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const tg = await gateway({ dataDir: dir });
    const a = await connectAs(tg, tg.tokens.supervisor);
    const welcome = a.frames[0] as WelcomeFrame;
    await a.waitFor((f) => f.type === "event" && f.seq >= welcome.seq + 10);
    const cursor = lastSeq(a);
    const tg2 = await tg.restart();
    cleanups.push(() => tg2.stop());
    expect((await a.closed).code).toBe(4200);
    const b = await connectAs(tg2, tg2.tokens.supervisor, { resume: { epoch: welcome.epoch, seq: cursor } });
    const w2 = b.frames[0] as WelcomeFrame;
    expect(w2).toMatchObject({ epoch: welcome.epoch, recovered: true });
    expect(w2.seq).toBeGreaterThanOrEqual(cursor);
    await b.waitFor((f) => f.type === "event" && f.seq >= w2.seq + 3);
    const seqs = events(b).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => cursor + 1 + i));
    // Conversations cut by the restart were ended, and the state was rebuilt.
    const snap = tg2.gateway.snapshot("org_demo");
    expect(snap.seq).toBeGreaterThan(cursor);
    b.close();
  });

  it("with a data dir, keeps a session's last 20 messages in memory and serves the last 300, across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lc-gw-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const tg = await gateway({ dataDir: dir });
    const org = tg.gateway.orgs.get("org_demo");
    if (!org) throw new Error("no org");
    const sid = "ses_long_transcript";
    org.state.emit("session_started", sid, makeSession({ id: sid }));
    const ids = Array.from({ length: 320 }, (_, i) => `msg_long_${i}`);
    for (const id of ids)
      org.state.emit("message_received", sid, makeMessage({ id, role: "user", text: id }));
    expect(org.state.session(sid)?.messages.map((m) => m.id)).toEqual(ids.slice(-ARCHIVED_TAIL));
    const before = await api(tg, tg.tokens.supervisor, `/v1/sessions/${sid}`);
    expect(before.status).toBe(200);
    expect(before.body.messages.map((m: Message) => m.id)).toEqual(ids.slice(-MAX_MESSAGES));
    const tg2 = await tg.restart();
    cleanups.push(() => tg2.stop());
    const after = await api(tg2, tg2.tokens.supervisor, `/v1/sessions/${sid}`);
    expect(after.status).toBe(200);
    expect(after.body.messages.map((m: Message) => m.id).slice(0, MAX_MESSAGES)).toEqual(
      ids.slice(-MAX_MESSAGES),
    );
  });
});
