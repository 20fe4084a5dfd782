import { describe, expect, it } from "vitest";
import { ConfigError, historyLimitFor, parseConfig } from "../../gateway/config.ts";
import { createGateway } from "../../gateway/gateway.ts";
import { EXTENSION_ORIGIN } from "../../utils/extension-id.ts";
import type { EventFrame } from "../../utils/protocol/index.ts";
import { simOf } from "../helpers/gateway.ts";
import { until } from "../helpers/until.ts";

describe("configuration", () => {
  it("has defaults that make loading the extension enough", () => {
    const o = parseConfig([], {});
    expect(o).toMatchObject({
      port: 8787,
      host: "127.0.0.1",
      allowOrigins: [EXTENSION_ORIGIN],
      dataDir: null,
    });
    expect(o?.users.find((u) => u.token === "lc_demo_supervisor_token")).toMatchObject({
      org_id: "org_demo",
    });
    expect(new Set(o?.users.map((u) => u.org_id))).toEqual(new Set(["org_demo", "org_other"]));
  });

  it("reads env vars, and flags win over them", () => {
    const o = parseConfig(
      ["--seed", "9", "--allow-origin", "https://a.example", "--allow-origin", "https://b.example"],
      {
        LC_SEED: "3",
        LC_SESSIONS: "40",
        LC_RATE: "12.5",
        LC_DATA_DIR: "/tmp/x",
      },
    );
    expect(o).toMatchObject({ seed: 9, sessions: 40, rate: 12.5, dataDir: "/tmp/x" });
    expect(o?.allowOrigins).toEqual(["https://a.example", "https://b.example"]);
    expect(
      parseConfig([], { LC_ALLOW_ORIGIN: "https://a.example, https://b.example" })?.allowOrigins,
    ).toEqual(["https://a.example", "https://b.example"]);
  });

  it("names the bad option", () => {
    expect(() => parseConfig(["--sessions", "-1"], {})).toThrow(ConfigError);
    expect(() => parseConfig(["--bogus"], {})).toThrow(/--bogus/);
    expect(() => parseConfig(["--allow-origin", "not an origin"], {})).toThrow(/--allow-origin/);
    expect(() => parseConfig([], { LC_PORT: "99999" })).toThrow(/port/);
    expect(() => parseConfig([], { LC_RATE: "fast" })).toThrow(/LC_RATE/);
    expect(() => parseConfig(["--log-level", "loud"], {})).toThrow(/--log-level/);
  });

  it("keeps enough history for a 2-minute outage at full simulated load", () => {
    for (const rate of [4, 100, 1000, 8000])
      expect(historyLimitFor({ rate, historyLimit: 0 })).toBeGreaterThanOrEqual(rate * 120);
    expect(historyLimitFor({ rate: 1000, historyLimit: 500 })).toBe(500);
  });
});

describe("simulation", () => {
  async function run(seed: number): Promise<string[]> {
    const gw = createGateway({
      seed,
      manualClock: true,
      logLevel: "silent",
      sessions: 6,
      rate: 10,
      simTransport: "inprocess",
    });
    // The simulated agents' in-process link opens in a microtask; from then on everything is synchronous.
    await until("the simulation's agent link", () => gw.agents.online("org_demo", "sim_org_demo/simulation"));
    const out: string[] = [];
    const org = gw.orgs.get("org_demo");
    if (!org) throw new Error("no org");
    org.state.onEvent((ev: EventFrame) => {
      const {
        ts: _t,
        started_at: _s,
        last_activity_at: _l,
        ended_at: _e,
        latency_ms: _m,
        timestamp: _x,
        requested_at: _r,
        // The human queue's times (issue 24): wall-clock too.
        at: _at,
        queued_at: _qa,
        expires_at: _xa,
        // Random per run: the automated policy's command id, what the audit derives from it (and its message's id).
        intervention_id: _i,
        cmd_id: _c,
        hash: _h,
        prev_hash: _p,
        id: _id,
        ...data
      } = ev.data as unknown as Record<string, unknown>;
      out.push(`${ev.seq} ${ev.kind} ${ev.session_id} ${JSON.stringify(data)}`);
    });
    simOf(gw).start();
    gw.clock.advance(60_000);
    simOf(gw).stop();
    void gw.stop();
    return out;
  }

  it("is deterministic for a seed and differs between seeds", async () => {
    const a = await run(5);
    expect(a.length).toBeGreaterThan(100);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });
});
