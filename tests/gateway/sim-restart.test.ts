/**
 * Issue 19 item 2: the simulation after a restart on the same history starts
 * sessions with ids the history has never seen, is back to its configured size
 * within seconds and is refused nothing; a refused simulated frame is logged
 * once per session and reason, then only counted.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createGateway } from "../../gateway/gateway.ts";
import { simOf, startTestGateway, TEST_DEFAULTS, type TestGateway } from "../helpers/gateway.ts";
import { until } from "../helpers/until.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const activeIds = (tg: TestGateway) =>
  [...(tg.gateway.orgs.get("org_demo")?.state.sessions.values() ?? [])]
    .filter((e) => e.session.status !== "ended")
    .map((e) => e.session.id);

describe("the simulation across a restart", () => {
  it("never reuses a session id of the history and is back to its size within seconds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lc-sim-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let tg = await startTestGateway({ dataDir: dir, sessions: 6, rate: 60 });
    cleanups.push(() => tg.stop());
    await until("six sessions before the restart", () => activeIds(tg).length === 6, 10_000);
    const before = new Set(tg.gateway.orgs.get("org_demo")?.state.sessions.keys());
    // The same seed again, on the same history.
    tg = await tg.restart();
    const startedAt = Date.now();
    await until(
      "six new sessions after the restart",
      () => activeIds(tg).filter((id) => !before.has(id)).length === 6,
      5000,
    );
    const seconds = (Date.now() - startedAt) / 1000;
    expect(activeIds(tg).filter((id) => before.has(id))).toEqual([]);
    expect(tg.gateway.agentCounters.frames_rejected).toBe(0);
    console.log(`[sim-restart] back to 6 active sessions ${seconds.toFixed(2)} s after the restart`);
  });

  it("logs a refused simulated frame once per session and reason", async () => {
    let text = "";
    const sink = {
      write(s: string) {
        text += s;
      },
    };
    const logger = pino({ level: "warn" }, sink);
    const gw = createGateway({ ...TEST_DEFAULTS, simulate: false }, logger);
    await gw.listen();
    cleanups.push(() => gw.stop());
    const org = gw.orgs.get("org_demo");
    if (!org) throw new Error("no org");
    const s = simOf(gw).spawn({ auto: false });
    // The gateway ends it behind the simulation's back; the simulated user keeps talking.
    org.state.emit("session_ended", s.id, { reason: "test", ended_at: new Date().toISOString() });
    for (let i = 0; i < 5; i++) s.userMessage(`still there? ${i}`);
    await until("refusals", () => gw.agentCounters.frames_rejected >= 5, 5000);
    const lines = text.split("\n").filter((l) => l.includes("simulated event refused"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(s.id);
    expect(lines[0]).toContain("SESSION_ENDED");
  });
});
