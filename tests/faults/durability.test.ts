/**
 * Issue 19 item 3: durable means durable. The gateway runs as a real child
 * process on a data dir with traffic flowing and a supervisor sending
 * commands; it is killed with SIGKILL at a random moment. Then:
 * - every event the supervisor was sent is in the history file, same epoch, seq and content;
 * - every command acknowledged before the kill is in the audit log, and `audit:verify` passes;
 * - restarted on the same dir, a client resuming from its last seq gets `recovered: true`
 *   and the events after it, without a gap.
 * And the issue's own scenario (item 1): an agent runtime's live conversation
 * survives `kill -9` of the gateway — its client reconnects to the restarted
 * gateway, takes the session back and keeps publishing to it.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createAgentClient, type WebSocketCtor } from "../../agent-client/index.ts";
import { verifyAuditDb } from "../../gateway/audit/audit-store.ts";
import type { EventFrame, SingleServerFrame } from "../../utils/protocol/index.ts";
import { type GatewayChild, runTsx, spawnGateway } from "../gateway/spawn.ts";
import { api, connectAs, type TestClient } from "../helpers/gateway.ts";
import { until } from "../helpers/until.ts";
import { FULL, recordFigure, scale } from "./figures";
import { createRandom, SEED } from "./kit";

const KILLS = scale(8, 1);
const ADMIN = "lc_demo_admin_token_0001";
const ARGS = ["--port", "0", "--rate", "300", "--sessions", "10", "--tokens-per-second", "400"];

const dir = mkdtempSync(join(tmpdir(), "lc-durable-"));
const children: GatewayChild[] = [];
const clients: TestClient[] = [];
afterAll(() => {
  for (const c of clients) c.close();
  for (const c of children) c.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

const streamOf = (url: string) => ({ streamUrl: `${url.replace("http", "ws")}/v1/stream` });
const eventsIn = (c: TestClient) => c.frames.filter((f): f is EventFrame => f.type === "event");

function storedEvents(): Map<number, unknown> {
  const db = new Database(join(dir, "history.sqlite"), { readonly: true });
  try {
    const rows = db.prepare("SELECT seq, json FROM events WHERE org_id = 'org_demo'").all() as {
      seq: number;
      json: string;
    }[];
    return new Map(rows.map((r) => [r.seq, JSON.parse(r.json) as unknown]));
  } finally {
    db.close();
  }
}

function auditedCmds(): Set<string> {
  const db = new Database(join(dir, "audit.sqlite"), { readonly: true });
  try {
    return new Set(db.prepare("SELECT cmd_id FROM audit").pluck().all() as string[]);
  } finally {
    db.close();
  }
}

describe("item 3 (issue 19): kill -9 at any moment", () => {
  it(`${KILLS} kill(s) mid-stream: nothing sent is lost, every ack is audited, resume is recovered`, async () => {
    const random = createRandom(SEED);
    let missing = 0;
    let differing = 0;
    let unaudited = 0;
    let sent = 0;
    let acked = 0;
    let resumedOk = 0;
    let epoch: string | null = null;
    for (let k = 0; k < KILLS; k++) {
      const gw = await spawnGateway([...ARGS, "--data-dir", dir, "--seed", String(k + 1)]);
      children.push(gw);
      const sup = await connectAs(streamOf(gw.url), ADMIN);
      clients.push(sup);
      const welcome = sup.frames[0];
      if (welcome?.type !== "welcome") throw new Error("no welcome");
      if (epoch === null) epoch = welcome.epoch;
      expect(welcome.epoch, "the epoch survives every kill").toBe(epoch);
      // Commands while events flow: each acknowledged one must be in the audit log after the kill.
      const acks = new Set<string>();
      const ackOf = (f: SingleServerFrame) => f.type === "ack";
      const commands = (async () => {
        for (let i = 0; i < 6 || acks.size === 0; i++) {
          const evs = eventsIn(sup);
          const ended = new Set(evs.filter((e) => e.kind === "session_ended").map((e) => e.session_id));
          const started = evs.findLast((e) => e.kind === "session_started" && !ended.has(e.session_id));
          if (!started?.session_id) {
            await new Promise((r) => setTimeout(r, 50));
            continue;
          }
          const cmd_id = randomUUID();
          const from = sup.frames.length;
          sup.send({
            type: "command",
            cmd_id,
            action: "system_message",
            session_id: started.session_id,
            reason: "Durability check",
            payload: { text: "Checking in." },
          });
          const f = await sup
            .waitFor(
              (x) => (ackOf(x) || x.type === "command_error") && "cmd_id" in x && x.cmd_id === cmd_id,
              5000,
              from,
            )
            .catch(() => null);
          if (f?.type === "ack") acks.add(cmd_id);
          if (i > 200) break;
        }
      })();
      // Traffic for a random while, then SIGKILL — no stop, no checkpoint.
      const before = eventsIn(sup).length;
      await until("traffic", () => eventsIn(sup).length >= before + 50 + Math.floor(random() * 400), 30_000);
      await until("a command acknowledged", () => acks.size >= 1, 15_000);
      await Promise.race([commands, new Promise((r) => setTimeout(r, random() * 300))]);
      gw.child.kill("SIGKILL");
      await gw.exited;
      const received = eventsIn(sup);
      sup.close();
      const stored = storedEvents();
      for (const e of received) {
        sent++;
        const s = stored.get(e.seq);
        if (!s) missing++;
        else if (!isDeepStrictEqual(s, e) || e.epoch !== epoch) differing++;
      }
      const audited = auditedCmds();
      for (const c of acks) {
        acked++;
        if (!audited.has(c)) unaudited++;
      }
      // `npm run audit:verify` (the CLI under test:faults; its check, verifyAuditDb, in process in npm test).
      if (FULL) {
        const verify = runTsx("gateway/audit/audit-verify.ts", ["--data-dir", dir]);
        expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      } else {
        const db = new Database(join(dir, "audit.sqlite"), { readonly: true });
        expect(verifyAuditDb(db).problem).toBeNull();
        db.close();
      }
      // Restart on the same dir: resume from the last seq received.
      const last = received.at(-1)?.seq ?? 0;
      const again = await spawnGateway([...ARGS, "--data-dir", dir, "--no-simulate"]);
      children.push(again);
      const resumed = await connectAs(streamOf(again.url), ADMIN, { resume: { epoch, seq: last } });
      clients.push(resumed);
      const w = resumed.frames[0];
      const head = w?.type === "welcome" ? w : null;
      await until("replay", () => eventsIn(resumed).length >= (head?.seq ?? 0) - last, 10_000);
      const seqs = eventsIn(resumed).map((e) => e.seq);
      const contiguous = seqs.every((s, i) => s === last + 1 + i);
      if (
        head?.recovered &&
        head.epoch === epoch &&
        contiguous &&
        !resumed.frames.some((f) => f.type === "snapshot")
      )
        resumedOk++;
      resumed.close();
      again.child.kill("SIGTERM");
      await again.exited;
    }
    console.log(
      `[faults/durability] seed=${SEED} kills=${KILLS} events_sent=${sent} missing=${missing} differing=${differing} acked=${acked} unaudited=${unaudited} resumed_ok=${resumedOk}`,
    );
    recordFigure({
      item: 3,
      what: `issue 19: kill -9 mid-stream (${KILLS}×): events sent but not in the history / differing; acked commands not audited`,
      value: `${missing} / ${differing} of ${sent}; ${unaudited} of ${acked}`,
      target: "0 / 0; 0",
      ok: missing === 0 && differing === 0 && unaudited === 0,
    });
    recordFigure({
      item: 3,
      what: "issue 19: resume after kill -9 + restart: recovered, same epoch, no gap, no snapshot",
      value: `${resumedOk} / ${KILLS}`,
      target: `${KILLS} / ${KILLS}`,
      ok: resumedOk === KILLS,
    });
    expect(sent).toBeGreaterThan(0);
    expect(acked).toBeGreaterThan(0);
    expect({ missing, differing, unaudited }).toEqual({ missing: 0, differing: 0, unaudited: 0 });
    expect(resumedOk).toBe(KILLS);
  }, 600_000);
});

describe("item 1 (issue 19): an agent runtime's session survives kill -9 of the gateway", () => {
  it("the agent client re-claims its session from the restarted gateway and keeps publishing", async () => {
    const port = await freePort();
    const agentDir = mkdtempSync(join(tmpdir(), "lc-durable-agent-"));
    const args = ["--port", String(port), "--data-dir", agentDir, "--no-simulate"];
    const lost: string[] = [];
    const agent = createAgentClient({
      url: `http://127.0.0.1:${port}`,
      token: "lc_demo_agent_token_0001",
      runtimeId: "rt_kill9",
      WebSocket: WebSocket as unknown as WebSocketCtor,
      backoff: { minMs: 50, maxMs: 300 },
      onSessionLost: (sid) => lost.push(sid),
    });
    try {
      const first = await spawnGateway(args);
      children.push(first);
      const sid = agent.startSession({ agent: { id: "agt_example", name: "Example", color: "#0891b2" } });
      agent.userMessage(sid, "Before the kill");
      await agent.idle();
      first.child.kill("SIGKILL");
      await first.exited;
      // Published while the gateway is dead: queued, then numbered by the restarted one.
      const during = agent.agentMessage(sid, "Across the kill");
      const second = await spawnGateway(args);
      children.push(second);
      await until("client back", () => agent.state === "open" && agent.unanswered === 0, 20_000);
      agent.userMessage(sid, "After the kill");
      expect(await agent.updateSession(sid, { priority: "high" })).toMatchObject({ ok: true });
      const sup = await connectAs(streamOf(second.url), ADMIN);
      clients.push(sup);
      const snap = await sup.waitFor((f) => f.type === "snapshot");
      const session = snap.type === "snapshot" ? snap.sessions.find((x) => x.id === sid) : undefined;
      expect(session?.status).toBe("active");
      expect(session?.priority).toBe("high");
      expect(lost).toEqual([]);
      // Every message once, in order, the one sent while the gateway was dead included.
      const t = await api({ url: second.url }, ADMIN, `/v1/sessions/${sid}`);
      const texts = (t.body.messages as { id: string; text: string }[]).map((m) => m.text);
      expect(texts).toEqual(["Before the kill", "Across the kill", "After the kill"]);
      expect((t.body.messages as { id: string }[])[1]?.id).toBe(during);
      second.child.kill("SIGTERM");
      await second.exited;
    } finally {
      agent.close();
      rmSync(agentDir, { recursive: true, force: true });
    }
  }, 120_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      const p = typeof a === "object" && a ? a.port : 0;
      srv.close(() => resolve(p));
    });
  });
}
