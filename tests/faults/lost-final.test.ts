/**
 * Issue #19, item 7: the transcript converges after a lost final message. A
 * real agent runtime streams a reply into a watched session; the gateway's
 * test hook `dropLiveEvent` loses that reply's final `message_sent` on the
 * worker's socket, and every live event after it until the history window
 * (20 events, trimmed in steps) has moved past it. The next event the worker sees opens a gap
 * whose replay the gateway cannot serve: `replay_unavailable` and a snapshot.
 * The final text (different from what streamed) then reaches the worker only
 * through the transcript refetch, which must end the streaming bubble; a late
 * delta of the finished reply must not bring it back.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { AgentClient } from "../../agent-client/index.ts";
import type { EventFrame } from "../../utils/protocol/index.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until.ts";
import { startWatchedRuntime } from "../helpers/watched-runtime";
import type { NodeWorker } from "../helpers/worker-node";
import { recordFigure } from "./figures";
import { orgOf } from "./kit";

const HISTORY = 20;

let tg: TestGateway | undefined;
let w: NodeWorker | undefined;
let agent: AgentClient | undefined;
afterAll(async () => {
  agent?.close();
  await w?.core.stop();
  await tg?.stop();
});

describe("issue 19 item 7: a reply's final message lost in a gap that ends in a snapshot", () => {
  it("the refetched transcript ends the streaming bubble; the final text wins; a late delta is dropped", async () => {
    let finalId = "";
    let dropping = false;
    let dropped = 0;
    const gw = await startTestGateway({
      simulate: false,
      historyLimit: HISTORY,
      dropLiveEvent: (ev: EventFrame) => {
        if (ev.kind === "message_sent" && ev.data.id === finalId) dropping = true;
        if (dropping) dropped++;
        return dropping;
      },
    });
    tg = gw;
    const { org } = orgOf(gw);
    const log = org.state.log;
    const {
      agent: a,
      worker,
      sid,
      other,
      transcript,
    } = await startWatchedRuntime(gw, "Where is my parcel?", {
      onAgent: (x) => {
        agent = x;
      },
      onWorker: (x) => {
        w = x;
      },
    });

    // The reply streams: the worker shows the draft text in the typing bubble.
    finalId = a.thinking(sid);
    await a.publish("stream_started", sid, { message_id: finalId });
    a.delta(sid, finalId, 0, "Your parcel ships ");
    a.delta(sid, finalId, 1, "on Monday");
    await until("streamed", () => transcript()?.streaming?.text === "Your parcel ships on Monday", 10_000);

    // Its final message (other text than streamed) is lost, and the history window moves past it.
    const finalText = "Your parcel arrives **tomorrow** before noon.";
    a.agentMessage(sid, finalText, { id: finalId });
    await a.idle();
    const lostSeq = log.lastSeq();
    // The memory log trims in steps (a slack of at least 64 events over its limit): publish until it has.
    for (let i = 0; log.firstSeq() <= lostSeq && i < 50; i++) {
      for (let j = 0; j < 10; j++) a.userMessage(other, `filler ${i}.${j}`);
      await a.idle();
    }
    expect(log.firstSeq()).toBeGreaterThan(lostSeq + 1);
    dropping = false;
    const resyncsBefore = worker.core.counters.resyncs;
    a.userMessage(other, "the gap shows now");
    await a.idle();

    const converged = () => {
      const t = transcript();
      return t?.loaded === true && t.streaming === null && t.messages.some((m) => m.id === finalId);
    };
    await until("the transcript to converge after the snapshot", converged, 15_000);
    expect(worker.core.counters.resyncs).toBe(resyncsBefore + 1);
    const finals = transcript()?.messages.filter((m) => m.id === finalId) ?? [];
    expect(finals.map((m) => m.text)).toEqual([finalText]);

    // A late delta of the finished reply, then a marker event: the bubble stays gone.
    a.delta(sid, finalId, 2, " (late)");
    const marker = a.userMessage(sid, "Thanks!");
    await a.idle();
    await until("the marker", () => transcript()?.messages.some((m) => m.id === marker) === true, 10_000);
    expect(transcript()?.streaming).toBeNull();
    expect(transcript()?.messages.map((m) => m.text)).toEqual(["Where is my parcel?", finalText, "Thanks!"]);

    recordFigure({
      item: 19.7,
      what: `lost final message (${dropped} live events dropped, replay_unavailable + snapshot): streaming bubble left`,
      value: "none, final text shown once",
      target: "none",
      ok: true,
    });
  }, 60_000);
});
