/**
 * Issue #9, item 15: the soak. Only under `npm run test:faults` (full size):
 * 30 minutes (LC_SOAK_MINUTES overrides) of 200 conversations at about 5
 * events/s each (≈ 1,000 events/s), with the connection reset every minute —
 * by the gateway (4200, 1011) or by the worker (a dropped socket), in turn.
 *
 * The gateway runs as a child process (tests/faults/soak-gateway.ts), so the
 * worker's memory (this process) and the gateway's are measured apart: heap
 * used after a full GC, sampled through the run. After a warm-up (the first
 * sixth), the average of the last third of the samples must be within 20 %
 * of the average of the first third; and no event may be lost or repeated.
 */
import { type ChildProcess, fork } from "node:child_process";
import { resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { loadUsersFile } from "../../gateway/config.ts";
import { EXTENSION_ORIGIN } from "../../utils/extension-id";
import { api } from "../helpers/gateway";
import { comparable, type NodeWorker, startNodeWorker, waitUntil } from "../helpers/worker-node";
import { FULL, recordFigure } from "./figures";
import { pct, SeqAudit } from "./kit";

const MINUTES = Number(process.env.LC_SOAK_MINUTES ?? 30);
const RUN_MS = MINUTES * 60_000;
const RESET_EVERY_MS = 60_000;
const SAMPLES = 90;
const MAX_GROWTH = 0.2;
const ORG = "org_demo";
const USERS = loadUsersFile(resolve(import.meta.dirname, "../../gateway/demo-users.json")).filter(
  (u) => u.org_id === ORG,
);
const TOKEN = USERS.find((u) => u.roles.includes("supervisor"))?.token ?? "";

let child: ChildProcess | undefined;
let w: NodeWorker | undefined;
afterAll(async () => {
  await w?.core.stop();
  child?.kill();
});

/** A full GC in this process: vitest does not start it with --expose-gc. */
function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

function ask<T extends { type: string }>(c: ChildProcess, msg: object, answer: string): Promise<T> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no ${answer} from the gateway child`)), 30_000);
    const on = (m: T) => {
      if (m.type !== answer) return;
      clearTimeout(timer);
      c.off("message", on);
      res(m);
    };
    c.on("message", on);
    c.send(msg);
  });
}

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
/** Growth of the last third over the first third of the samples after the warm-up (first sixth). */
function growth(samples: number[]): { first: number; last: number; growth: number } {
  const after = samples.slice(Math.floor(samples.length / 6));
  const third = Math.max(1, Math.floor(after.length / 3));
  const first = avg(after.slice(0, third));
  const last = avg(after.slice(-third));
  return { first, last, growth: last / first - 1 };
}
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

describe("item 15: soak", () => {
  it.skipIf(!FULL)(
    `${MINUTES} min at 200 sessions × 5 events/s with a reset every minute: memory flat, 0 loss`,
    async () => {
      const gc = collector();
      const options = {
        port: 0,
        host: "127.0.0.1",
        users: USERS,
        allowOrigins: [EXTENSION_ORIGIN],
        seed: 15,
        sessions: 200,
        rate: 1200,
        newPerMinute: 600,
        tokensPerSecond: 400,
        // Full after 30 s, so the history's own growth is over well within the warm-up.
        historyLimit: 30_000,
        logLevel: "silent",
        connectsPerMinute: 1_000_000,
      };
      const c = fork(resolve(import.meta.dirname, "soak-gateway.ts"), [JSON.stringify(options)], {
        execArgv: ["--import", "tsx", "--expose-gc"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      child = c;
      const ready = await new Promise<{ url: string }>((res, rej) => {
        c.once("message", (m: { type: string; url: string }) => res(m));
        c.once("exit", (code) => rej(new Error(`gateway child exited with ${code}`)));
      });
      const gw = { url: ready.url };

      const audit = new SeqAudit();
      const worker = await startNodeWorker(
        { gatewayUrl: gw.url, token: TOKEN },
        {
          onEvent: (e) => audit.event(e.epoch, e.seq),
          onSnapshot: (s) => audit.snapshot(s.epoch, s.seq),
          // The helper's default keeps every notification for its assertions: that would be the growth measured.
          notifications: { create: () => undefined },
        },
      );
      w = worker;
      await waitUntil(() => worker.core.dump().connection.state === "connected", 15_000, "connected");

      const workerHeap: number[] = [];
      const gatewayHeap: number[] = [];
      const resets = [
        () => c.send({ type: "reset", code: 4200 }),
        () => worker.core.dropSocket(),
        () => c.send({ type: "reset", code: 1011 }),
      ];
      const t0 = Date.now();
      const seq0 = worker.core.dump().cursor?.seq ?? 0;
      let nextReset = t0 + RESET_EVERY_MS;
      let nextSample = t0;
      let reset = 0;
      while (Date.now() - t0 < RUN_MS) {
        if (Date.now() >= nextReset) {
          const before = worker.core.counters.reconnects;
          resets[reset++ % resets.length]?.();
          await waitUntil(
            () =>
              worker.core.counters.reconnects > before && worker.core.dump().connection.state === "connected",
            30_000,
            `reconnect after reset ${reset}`,
          );
          nextReset += RESET_EVERY_MS;
        }
        if (Date.now() >= nextSample) {
          gc();
          workerHeap.push(process.memoryUsage().heapUsed);
          gatewayHeap.push(
            (await ask<{ type: string; heapUsed: number }>(c, { type: "mem" }, "mem")).heapUsed,
          );
          nextSample += RUN_MS / SAMPLES;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      const elapsed = Date.now() - t0;
      const { seq: end } = await ask<{ type: string; seq: number }>(c, { type: "halt" }, "halted");
      await waitUntil(() => worker.core.dump().cursor?.seq === end, 30_000, "catch-up");
      const rate = ((end - seq0) * 1000) / elapsed;
      const snap = await api(gw, TOKEN, "/v1/snapshot");
      const equal =
        JSON.stringify(comparable(worker.core.dump().sessions)) ===
        JSON.stringify(comparable(snap.body.sessions));
      const lost = audit.lost(end);
      const wg = growth(workerHeap);
      const gg = growth(gatewayHeap);
      const counters = worker.core.counters;
      console.log(
        `[faults/soak] minutes=${MINUTES} events=${end - seq0} rate=${rate.toFixed(0)}/s resets=${reset} ` +
          `reconnects=${counters.reconnects} resyncs=${counters.resyncs} lost=${lost} duplicated=${audit.duplicated} ` +
          `worker heap ${mb(wg.first)} → ${mb(wg.last)} (${pct(wg.growth)}) [${workerHeap.map(mb).join(", ")}] ` +
          `gateway heap ${mb(gg.first)} → ${mb(gg.last)} (${pct(gg.growth)}) [${gatewayHeap.map(mb).join(", ")}]`,
      );
      const what = `${MINUTES} min, ${rate.toFixed(0)} events/s, ${reset} resets`;
      recordFigure({
        item: 15,
        what: `worker heap after warm-up, last third vs first third (${what}; worker process)`,
        value: `${mb(wg.first)} → ${mb(wg.last)} (${wg.growth >= 0 ? "+" : ""}${pct(wg.growth)})`,
        target: `≤ +${pct(MAX_GROWTH, 0)}`,
        ok: wg.growth <= MAX_GROWTH,
      });
      recordFigure({
        item: 15,
        what: `gateway heap after warm-up, last third vs first third (${what}; gateway child process)`,
        value: `${mb(gg.first)} → ${mb(gg.last)} (${gg.growth >= 0 ? "+" : ""}${pct(gg.growth)})`,
        target: `≤ +${pct(MAX_GROWTH, 0)}`,
        ok: gg.growth <= MAX_GROWTH,
      });
      recordFigure({
        item: 15,
        what: `lost / duplicated events over the soak (${end - seq0} events); state = gateway`,
        value: `${lost} / ${audit.duplicated}; ${equal ? "equal" : "differs"}`,
        target: "0 / 0; equal",
        ok: lost === 0 && audit.duplicated === 0 && equal,
      });
      expect(wg.growth).toBeLessThanOrEqual(MAX_GROWTH);
      expect(gg.growth).toBeLessThanOrEqual(MAX_GROWTH);
      expect({ lost, duplicated: audit.duplicated, reordered: audit.reordered }).toEqual({
        lost: 0,
        duplicated: 0,
        reordered: 0,
      });
      expect(counters.reconnects).toBe(reset);
      expect(equal).toBe(true);
      c.send({ type: "stop" });
    },
    3_600_000,
  );
});
