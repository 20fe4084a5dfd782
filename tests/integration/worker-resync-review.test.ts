/**
 * Issue 19 item 6: review drafts and the take-over state are back after a
 * snapshot resync. A real agent runtime holds a reply as a draft (review
 * mode) and a supervisor takes the conversation over, while the gateway's
 * test hook `dropLiveEvent` keeps those events (and every later one, until
 * the history window has moved past them) from the worker's socket. The gap
 * ends in `replay_unavailable` and a snapshot; the draft must come back with
 * the transcript refetch (`GET /v1/sessions/{id}` carries `drafts`) and the
 * holder with the snapshot's session.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { AgentClient } from "../../agent-client/index.ts";
import { connectAs, startTestGateway, type TestClient, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until.ts";
import { startWatchedRuntime } from "../helpers/watched-runtime";
import type { NodeWorker } from "../helpers/worker-node";

const HISTORY = 20;

let tg: TestGateway | undefined;
let w: NodeWorker | undefined;
let agent: AgentClient | undefined;
let sup: TestClient | undefined;
afterAll(async () => {
  agent?.close();
  sup?.close();
  await w?.core.stop();
  await tg?.stop();
});

describe("drafts and take-over after a snapshot resync", () => {
  it("a draft and a take-over whose events were lost are back after the snapshot", async () => {
    let dropping = false;
    const gw = await startTestGateway({
      simulate: false,
      historyLimit: HISTORY,
      dropLiveEvent: () => dropping,
    });
    tg = gw;
    const orgId = "org_demo";
    const log = gw.gateway.orgs.get(orgId)?.state.log;
    if (!log) throw new Error("no org");
    const {
      agent: a,
      worker,
      sid,
      other,
      transcript,
    } = await startWatchedRuntime(gw, "Can I get a refund?", {
      onAgent: (x) => {
        agent = x;
      },
      onWorker: (x) => {
        w = x;
      },
    });

    // From here the worker's socket loses every live event: the draft, the take-over, the fillers.
    dropping = true;
    const now = Date.now();
    const draft = {
      draft_id: "drf_refund1",
      message_id: "msg_refund1",
      text: "Yes — a refund is on its way.",
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + 120_000).toISOString(),
    };
    expect(await a.publish("draft_ready", sid, draft)).toMatchObject({ ok: true });
    sup = await connectAs(gw, gw.tokens.admin);
    const cmd_id = randomUUID();
    sup.send({
      type: "command",
      cmd_id,
      action: "take_over",
      session_id: sid,
      reason: "Refund policy",
      payload: {},
    });
    await sup.waitFor((f) => f.type === "ack" && f.cmd_id === cmd_id);
    const holderId = gw.gateway.orgs.get(orgId)?.locks?.holder(sid)?.id;
    expect(holderId).toBeTruthy();
    const lostSeq = log.lastSeq();
    for (let i = 0; log.firstSeq() <= lostSeq && i < 50; i++) {
      for (let j = 0; j < 10; j++) a.userMessage(other, `filler ${i}.${j}`);
      await a.idle();
    }
    expect(log.firstSeq()).toBeGreaterThan(lostSeq + 1);
    dropping = false;
    const resyncs = worker.core.counters.resyncs;
    a.userMessage(other, "the gap shows now");
    await a.idle();

    await until(
      "the draft back after the snapshot",
      () =>
        worker.core.counters.resyncs > resyncs &&
        transcript()?.loaded === true &&
        transcript()?.drafts?.length === 1,
      15_000,
    );
    expect(transcript()?.drafts).toEqual([draft]);
    const session = worker.core.dump().sessions.find((s) => s.id === sid);
    expect(session?.taken_over_by?.id).toBe(holderId);
    expect(session?.review?.drafts_waiting).toBe(1);
  }, 60_000);
});
