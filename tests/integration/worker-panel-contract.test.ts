/**
 * The worker ↔ panel contract holds on real traffic: everything the real
 * worker core sends a panel (fed by the real gateway's simulation over real
 * sockets: view answers with their sessions and agent summaries, watched
 * transcripts with streaming replies, activity, session toasts, metrics
 * samples, alerts, sound, command results, the intervention history) passes
 * the message schemas, and the panel's decoder
 * takes every item of it (none skipped) and gives back what was sent.
 */
import * as v from "valibot";
import { afterEach, describe, expect, it } from "vitest";
import type { Rule } from "../../utils/alerts/rule-schema";
import { EMPTY_FILTER } from "../../utils/filters";
import { decodeWorkerMessage, type WorkerToPanel, WorkerToPanelSchema } from "../../utils/panel-messages";
import { spawnSession, startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until";
import { createFakePanel, type NodeWorker, startNodeWorker } from "../helpers/worker-node";

let tg: TestGateway | undefined;
let w: NodeWorker | undefined;
afterEach(async () => {
  await w?.core.stop();
  await tg?.stop();
  w = undefined;
  tg = undefined;
});

const PARCEL: Rule = {
  id: "rule_parcel",
  name: "Parcel",
  enabled: true,
  condition: { type: "keyword", phrases: ["parcel"] },
  actions: ["toast", "sound"],
};

/** The parts of the contract a message exercised, to prove the run covered them. */
function partsOf(m: WorkerToPanel): string[] {
  if (m.type === "view")
    return [
      "view",
      ...(m.view.sessions.length ? ["view.sessions"] : []),
      ...(m.view.agents?.length ? ["view.agents"] : []),
    ];
  if (m.type === "patch") {
    const transcripts = m.patch.transcripts ?? [];
    return [
      ...Object.keys(m.patch).map((k) => `patch.${k}`),
      ...(transcripts.some((t) => t.streaming !== null && t.messages.length > 0)
        ? ["transcript.streaming"]
        : []),
      ...(transcripts.some((t) => (t.steps?.length ?? 0) > 0) ? ["transcript.steps"] : []),
      ...(transcripts.some((t) => t.from !== undefined) ? ["transcript.tail"] : []),
    ];
  }
  return [m.type];
}

describe("the worker ↔ panel contract on real traffic", () => {
  it("every message the worker sends passes the schemas and decodes with nothing skipped", async () => {
    tg = await startTestGateway({ sessions: 4, metricsIntervalMs: 150 });
    const gw = tg;
    const worker = await startNodeWorker(
      { gatewayUrl: gw.url, token: gw.tokens.supervisor },
      { metricsHistory: { spacingMs: 100 }, sound: { play: () => undefined, stop: () => undefined } },
    );
    w = worker;
    await until("connected", () => worker.core.dump().connection.state === "connected", 10_000);
    const panel = createFakePanel();
    worker.core.connectPanel(panel.port);
    panel.send({ type: "alert_rules", user_id: "usr_sup", rules: [PARCEL] });
    panel.send({ type: "sound_prefs", enabled: true, muted_until: null });
    panel.send({
      type: "view",
      spec: {
        seq: 1,
        filter: EMPTY_FILTER,
        sort: "recent",
        grouping: "grouped",
        range: { start: 0, end: 40 },
      },
    });

    const own = spawnSession(gw);
    own.start();
    await until("its own session", () => worker.core.dump().sessions.some((s) => s.id === own.id), 10_000);
    const watched = [own.id, ...worker.core.dump().sessions.map((s) => s.id)].slice(0, 10);
    panel.send({ type: "watch", session_ids: watched });
    own.userMessage("Where is my parcel?");
    // Raised to urgent: the worker drafts a toast for it.
    const orgId = gw.gateway.options.users.find((u) => u.token === gw.tokens.supervisor)?.org_id ?? "";
    gw.gateway.orgs.get(orgId)?.state.emit("session_updated", own.id, { priority: "urgent" });
    panel.send({
      type: "command",
      cmd_id: "0b6f2a8e-4c1d-4e5f-9a7b-2c3d4e5f6a7b",
      action: "cobrowse_start",
      session_id: own.id,
      reason: "quality check",
    });
    panel.send({ type: "interventions", request_id: "req_1", limit: 20 });

    let tailAsked = 0;
    const needed = [
      "init",
      "view",
      "view.sessions",
      "view.agents",
      "patch.transcripts",
      "patch.activity",
      "patch.toasts",
      "patch.metricsSample",
      "patch.counters",
      "patch.alerts",
      "patch.sound",
      "command_status",
      "interventions",
      "transcript.streaming",
      "transcript.steps",
      "transcript.tail",
    ];
    const seen = () => new Set(panel.messages.flatMap(partsOf));
    await until(
      `messages with ${needed.join(", ")}`,
      () => {
        const has = seen();
        // Once the panel has the transcript, a new message goes as a tail (drop/from) on the next patch.
        if (has.has("transcript.streaming") && !has.has("transcript.tail") && tailAsked++ === 0)
          own.userMessage("And when will it arrive?");
        return needed.every((p) => has.has(p));
      },
      20_000,
    );

    for (const sent of panel.messages) {
      const strict = v.safeParse(WorkerToPanelSchema, sent);
      expect(strict.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`) ?? []).toEqual([]);
      const decoded = decodeWorkerMessage(sent);
      expect(decoded.skipped).toBe(0);
      expect(decoded.message).toEqual(sent);
    }
  }, 40_000);
});
