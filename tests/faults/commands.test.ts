/**
 * Issue #9, item 7: exactly-once interventions. N commands, each sent three
 * times with the same cmd_id, as a client that loses its connection or its
 * acks does: some across a disconnect between send and ack (the socket is
 * closed or torn down right after sending, the client reconnects and sends
 * again), 10 % with the ack "dropped" (the client resends before it has read
 * it), some of the retries over HTTP as the worker does while polling. The
 * gateway must apply each command once and audit it once; the same cmd_id with
 * another payload gets IDEMPOTENCY_MISMATCH.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import type { SimSession } from "../../gateway/sim/sim-session.ts";
import type { EventFrame } from "../../utils/protocol/index.ts";
import {
  connectAs,
  spawnSession,
  startTestGateway,
  type TestClient,
  type TestGateway,
} from "../helpers/gateway.ts";
import {
  type CommandBody,
  commandOnSocket,
  commandOverHttp,
  effectsByCmd,
  listInterventions,
  type Outcome,
  orgEvents,
  payloadFor,
  socketAnswer,
  tally,
} from "./command-kit.ts";
import { recordFigure, scale } from "./figures.ts";

const N = scale(1000, 100);
const LANES = 4;
const ACTIONS = [
  "pause",
  "resume",
  "cobrowse_start",
  "cobrowse_stop",
  "override",
  "transfer",
  "whisper",
  "review_mode",
] as const;

let dir: string;
let tg: TestGateway;
let org: OrgRuntime;
let sessions: SimSession[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lc-faults-cmd-"));
  // The audit log on disk (synchronous writes), idempotency looked up in it; no simulated traffic,
  // so every event in the log comes from a command. The command rate limit is not what is tested here.
  tg = await startTestGateway({
    dataDir: dir,
    manualClock: true,
    simulate: false,
    commandsPerMinute: 1_000_000,
    commandBurst: 1_000_000,
    framesPerSecond: 1_000_000,
    frameBurst: 1_000_000,
  });
  const o = tg.gateway.orgs.get("org_demo");
  if (!o) throw new Error("no org_demo");
  org = o;
  sessions = Array.from({ length: 16 }, () => spawnSession(tg));
});
afterAll(async () => {
  await tg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Plan = "plain" | "disconnect" | "terminate" | "ack_dropped";

/** Command i: mostly system messages with a text of their own (the effect is visible in the transcript). */
function bodyFor(i: number): CommandBody {
  const action = i % 10 < 7 ? "system_message" : (ACTIONS[i % ACTIONS.length] as string);
  return {
    cmd_id: randomUUID(),
    action,
    session_id: (sessions[i % sessions.length] as SimSession).id,
    reason: `Exactly-once check ${i}`,
    payload: payloadFor(action, `notice #${i}`),
  };
}

function planFor(i: number): Plan {
  // 10 % acks dropped, 20 % across a disconnect (half a clean close, half a torn-down socket).
  const r = (i * 7919) % 100;
  return r < 10 ? "ack_dropped" : r < 20 ? "disconnect" : r < 30 ? "terminate" : "plain";
}

interface LaneStats {
  sends: number;
  answers: Outcome[];
  reconnects: number;
  mismatches: number;
  mismatchTried: number;
  viaHttp: number;
}

/** One client working through its share of the commands, one after the other. */
async function runLane(token: string, items: number[], bodies: CommandBody[]): Promise<LaneStats> {
  const st: LaneStats = { sends: 0, answers: [], reconnects: 0, mismatches: 0, mismatchTried: 0, viaHttp: 0 };
  let c: TestClient = await connectAs(tg, token);
  const reconnect = async () => {
    c = await connectAs(tg, token);
    st.reconnects++;
  };
  const send = async (body: CommandBody) => {
    st.sends++;
    st.answers.push(await commandOnSocket(c, body));
  };
  for (const i of items) {
    const body = bodies[i] as CommandBody;
    const plan = planFor(i);
    if (plan === "disconnect" || plan === "terminate") {
      // Send, then lose the socket before the ack can be read.
      st.sends++;
      c.send({ type: "command", ...body });
      if (plan === "terminate") c.ws.terminate();
      else c.ws.close();
      await c.closed;
      await reconnect();
      await send(body);
    } else if (plan === "ack_dropped") {
      // The ack is never read: the client resends before looking at it.
      const from = c.frames.length;
      st.sends += 2;
      c.send({ type: "command", ...body });
      c.send({ type: "command", ...body });
      const answers = c.frames;
      await socketAnswer(c, body.cmd_id, from);
      const first = answers.findIndex(
        (f, k) => k >= from && (f.type === "ack" || f.type === "command_error") && f.cmd_id === body.cmd_id,
      );
      st.answers.push(await socketAnswer(c, body.cmd_id, first + 1));
    } else {
      await send(body);
      await send(body);
    }
    // The last of the three sends: every fifth over HTTP (a worker that fell back to polling).
    if (i % 5 === 0) {
      st.sends++;
      st.viaHttp++;
      st.answers.push(await commandOverHttp(tg, token, body));
    } else await send(body);
    if (i % 10 === 3) {
      // Same cmd_id, another payload (or reason): refused, nothing happens.
      const changed =
        body.action === "system_message" || body.action === "override" || body.action === "whisper"
          ? { ...body, payload: { text: `${String(body.payload.text)} (edited)` } }
          : { ...body, reason: `${body.reason} (edited)` };
      st.mismatchTried++;
      const r = i % 20 === 3 ? await commandOverHttp(tg, token, changed) : await commandOnSocket(c, changed);
      if (!r.ok && r.code === "IDEMPOTENCY_MISMATCH") st.mismatches++;
    }
  }
  c.close();
  return st;
}

describe("item 7: each command takes effect once, however often it is sent", () => {
  it(`${N} commands × 3 sends: exactly ${N} effects and ${N} audit records`, async () => {
    const observer = await connectAs(tg, tg.tokens.admin);
    const seqBefore = org.state.log.lastSeq();
    const bodies = Array.from({ length: N }, (_, i) => bodyFor(i));
    const tokens = [tg.tokens.supervisor, tg.tokens.admin];
    const lanes = Array.from({ length: LANES }, (_, l) =>
      runLane(
        tokens[l % tokens.length] as string,
        bodies.map((_, i) => i).filter((i) => i % LANES === l),
        bodies,
      ),
    );
    const started = Date.now();
    const stats = await Promise.all(lanes);
    const seconds = (Date.now() - started) / 1000;

    // Every answer to every send was the ack of the first outcome: one intervention id per cmd_id.
    const answers = stats.flatMap((s) => s.answers);
    const refused = answers.filter((a) => !a.ok);
    expect(refused).toEqual([]);
    const sends = stats.reduce((n, s) => n + s.sends, 0);
    const reconnects = stats.reduce((n, s) => n + s.reconnects, 0);
    const viaHttp = stats.reduce((n, s) => n + s.viaHttp, 0);
    const mismatches = stats.reduce((n, s) => n + s.mismatches, 0);
    const mismatchTried = stats.reduce((n, s) => n + s.mismatchTried, 0);
    expect(sends).toBe(3 * N);

    // Effects: intervention_triggered in the org's log and on a client's stream, per cmd_id.
    const last = org.state.log.lastSeq();
    await observer.waitFor((f) => f.type === "event" && f.seq === last, 30_000);
    const logged = orgEvents(org).filter((e) => e.seq > seqBefore);
    const inLog = effectsByCmd(logged);
    const onStream = effectsByCmd(observer.frames.filter((f): f is EventFrame => f.type === "event"));
    const onceInLog = bodies.filter((b) => inLog.get(b.cmd_id) === 1).length;
    const onceOnStream = bodies.filter((b) => onStream.get(b.cmd_id) === 1).length;
    const effects = [...inLog.values()].reduce((a, b) => a + b, 0);
    // The visible effect of each system message: its text once in the transcript.
    const texts = tally(
      sessions.flatMap((s) => org.state.session(s.id)?.messages ?? []),
      (m) => m.text,
    );
    const notices = bodies.filter((b) => b.action === "system_message");
    const noticesOnce = notices.filter((b) => texts.get(String(b.payload.text)) === 1).length;
    const edited = [...texts.keys()].filter((t) => t.endsWith("(edited)")).length;

    // Audit: one accepted record per cmd_id, read back through GET /v1/interventions.
    const listed = await listInterventions(tg, tg.tokens.admin, true);
    const records = tally(listed, (r) => r.cmd_id);
    const auditedOnce = bodies.filter((b) => records.get(b.cmd_id) === 1).length;
    const idsMatch = bodies.every((b) => {
      const rec = listed.find((r) => r.cmd_id === b.cmd_id);
      const ev = logged.find(
        (e) => e.kind === "intervention_triggered" && (e.data as { cmd_id: string }).cmd_id === b.cmd_id,
      );
      return (
        rec !== undefined &&
        (ev?.data as { intervention_id?: string })?.intervention_id === rec.intervention_id
      );
    });

    const dropped = bodies.filter((_, i) => planFor(i) === "ack_dropped").length;
    const what = `${N} commands × 3 sends (${reconnects} across a disconnect, ${dropped} acks dropped, ${viaHttp} via HTTP, ${seconds.toFixed(1)} s)`;
    recordFigure({
      item: 7,
      what: `effects: ${what}`,
      value: `${effects} effects; ${onceInLog}/${N} once in the log, ${onceOnStream}/${N} once on the stream`,
      target: `exactly ${N}`,
      ok: effects === N && onceInLog === N && onceOnStream === N,
    });
    recordFigure({
      item: 7,
      what: "audit records for those commands",
      value: `${listed.length} records; ${auditedOnce}/${N} cmd_ids once`,
      target: `exactly ${N}`,
      ok: listed.length === N && auditedOnce === N && idsMatch,
    });
    recordFigure({
      item: 7,
      what: "same cmd_id, changed payload or reason",
      value: `${mismatches}/${mismatchTried} IDEMPOTENCY_MISMATCH, ${edited} applied`,
      target: "all refused, 0 applied",
      ok: mismatches === mismatchTried && edited === 0,
    });

    expect(effects).toBe(N);
    expect(onceInLog).toBe(N);
    expect(onceOnStream).toBe(N);
    expect(noticesOnce).toBe(notices.length);
    expect(listed.length).toBe(N);
    expect(auditedOnce).toBe(N);
    expect(idsMatch).toBe(true);
    expect(mismatchTried).toBeGreaterThan(0);
    expect(mismatches).toBe(mismatchTried);
    expect(edited).toBe(0);
    expect(observer.errors).toEqual([]);
    observer.close();
  });

  it("a resend after the session ended still gets the first outcome, and nothing happens again", async () => {
    const s = spawnSession(tg);
    const c = await connectAs(tg, tg.tokens.supervisor);
    const body: CommandBody = {
      cmd_id: randomUUID(),
      action: "system_message",
      session_id: s.id,
      reason: "Ack lost, then the user left",
      payload: { text: "Please hold on" },
    };
    const first = await commandOnSocket(c, body);
    expect(first.ok).toBe(true);
    s.end("user_left");
    const seq = org.state.log.lastSeq();
    expect(await commandOnSocket(c, body)).toEqual(first);
    expect(await commandOverHttp(tg, tg.tokens.supervisor, body)).toEqual(first);
    // A new command for the ended session is refused, as is a changed one.
    expect(await commandOnSocket(c, { ...body, cmd_id: randomUUID() })).toMatchObject({
      ok: false,
      code: "SESSION_ENDED",
    });
    expect(await commandOnSocket(c, { ...body, payload: { text: "Other" } })).toMatchObject({
      ok: false,
      code: "IDEMPOTENCY_MISMATCH",
    });
    expect(org.state.log.lastSeq()).toBe(seq);
    c.close();
  });
});
