import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalJson, verifyChain } from "../../gateway/audit/audit-chain.ts";
import { openAuditStore } from "../../gateway/audit/audit-store.ts";
import { api, simOf, startTestGateway } from "../helpers/gateway.ts";
import { until } from "../helpers/until.ts";
import { runTsx, spawnGateway } from "./spawn.ts";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "lc-audit-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const SUPERVISOR = "lc_demo_supervisor_token";

async function firstLiveSession(url: string): Promise<string> {
  return until(
    "a live session in the snapshot",
    async () => {
      const snap = (await api({ url }, SUPERVISOR, "/v1/snapshot")).body;
      return snap.sessions.find((x: { status: string }) => x.status !== "ended")?.id as string | undefined;
    },
    5_000,
    50,
  );
}

describe("audit log", () => {
  it("has the record on disk when the gateway is killed right after the ack", async () => {
    const dir = tempDir();
    const gw = await spawnGateway(["--port", "0", "--data-dir", dir, "--rate", "50", "--sessions", "4"]);
    const sid = await firstLiveSession(gw.url);
    const { epoch, seq } = (await api({ url: gw.url }, SUPERVISOR, "/v1/snapshot")).body;
    const cmd_id = randomUUID();
    const r = await api({ url: gw.url }, SUPERVISOR, "/v1/commands", {
      body: { cmd_id, action: "pause", session_id: sid, reason: "Durability check" },
    });
    gw.child.kill("SIGKILL");
    expect(r.status).toBe(200);
    await gw.exited;
    const db = new Database(join(dir, "audit.sqlite"), { readonly: true });
    const row = db.prepare("SELECT * FROM audit WHERE cmd_id = ?").get(cmd_id) as Record<string, unknown>;
    db.close();
    expect(row).toMatchObject({
      intervention_id: r.body.intervention_id,
      type: "pause",
      outcome: "accepted",
      admin_id: "sup_dana",
    });
    const verify = runTsx("gateway/audit/audit-verify.ts", ["--data-dir", dir]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^OK: \d+ audit records/);
    // A gateway restarted on the same data dir after the kill keeps the epoch and the numbering.
    const again = await spawnGateway(["--port", "0", "--data-dir", dir, "--no-simulate"]);
    try {
      const after = (await api({ url: again.url }, SUPERVISOR, `/v1/events?epoch=${epoch}&after=${seq}`))
        .body;
      expect(after.epoch).toBe(epoch);
      expect(after.events[0]?.seq).toBe(seq + 1);
    } finally {
      again.child.kill("SIGTERM");
      await again.exited;
    }
  });

  it("audit:verify names the first tampered record", async () => {
    const dir = tempDir();
    const tg = await startTestGateway({ dataDir: dir, manualClock: true, simulate: false });
    const s = simOf(tg.gateway).spawn({ auto: false });
    const ids: string[] = [];
    for (const action of ["pause", "resume", "cobrowse_start"]) {
      const r = await api(tg, tg.tokens.admin, "/v1/commands", {
        body: { cmd_id: randomUUID(), action, session_id: s.id, reason: `Chain ${action}` },
      });
      ids.push(r.body.intervention_id);
    }
    const list = (await api(tg, tg.tokens.supervisor, `/v1/interventions?session_id=${s.id}`)).body
      .interventions;
    expect(list.map((i: { intervention_id: string }) => i.intervention_id)).toEqual(ids);
    expect(list[1].prev_hash).toBe(list[0].hash);
    expect(list[2].prev_hash).toBe(list[1].hash);
    await tg.stop();
    expect(runTsx("gateway/audit/audit-verify.ts", ["--data-dir", dir]).code).toBe(0);

    const db = new Database(join(dir, "audit.sqlite"));
    expect(() => db.prepare("UPDATE audit SET reason = 'x'").run()).toThrow(/append-only/);
    db.exec("DROP TRIGGER audit_no_update");
    db.prepare("UPDATE audit SET reason = 'Nothing to see here' WHERE intervention_id = ?").run(ids[1]);
    db.close();
    const bad = runTsx("gateway/audit/audit-verify.ts", ["--data-dir", dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout.trim()).toBe(
      `TAMPERED: record #2 (${ids[1]}): hash does not match the record's contents`,
    );
  });

  it("fails with AUDIT_UNAVAILABLE and changes nothing when the log cannot be written", async () => {
    const tg = await startTestGateway({ manualClock: true, simulate: false });
    try {
      const org = tg.gateway.orgs.get("org_demo");
      const s = simOf(tg.gateway).spawn({ auto: false });
      if (!org) throw new Error("no org");
      tg.gateway.audit.close();
      const seq = org.state.log.lastSeq();
      const r = await api(tg, tg.tokens.supervisor, "/v1/commands", {
        body: { cmd_id: randomUUID(), action: "pause", session_id: s.id, reason: "Audit down" },
      });
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe("AUDIT_UNAVAILABLE");
      expect(org.state.log.lastSeq()).toBe(seq);
      expect(org.state.session(s.id)?.session.status).toBe("active");
    } finally {
      await tg.stop();
    }
  });
});

describe("hash chain", () => {
  const fields = (org: string, n: number) => ({
    org_id: org,
    intervention_id: `int_0000000${n}`,
    session_id: "ses_1",
    admin_id: "sup_1",
    type: "pause",
    reason: `Reason ${n}`,
    timestamp: "2026-06-24T16:30:00.000Z",
    cmd_id: `cmd-${n}`,
    payload: { b: 1, a: [2, { d: 3, c: 4 }] },
    outcome: "accepted",
  });

  it("chains per org and detects edits, removals and reordering", () => {
    const store = openAuditStore(null);
    for (let n = 1; n <= 4; n++) store.append(fields(n % 2 ? "org_a" : "org_b", n));
    const a = store.list("org_a", { limit: 10 });
    const b = store.list("org_b", { limit: 10 });
    store.close();
    expect(a[0]?.prev_hash).toBe("0".repeat(64));
    expect(a[1]?.prev_hash).toBe(a[0]?.hash);
    expect(b[0]?.prev_hash).toBe("0".repeat(64));
    const all = [a[0], b[0], a[1], b[1]].filter((r) => r !== undefined);
    expect(verifyChain(all)).toBeNull();
    expect(verifyChain(all.slice(1))).toMatchObject({
      intervention_id: "int_00000003",
      problem: expect.stringContaining("prev_hash"),
    });
    const edited = all.map((r) => (r.intervention_id === "int_00000003" ? { ...r, payload: { a: 1 } } : r));
    expect(verifyChain(edited)?.intervention_id).toBe("int_00000003");
    expect(verifyChain([all[2], all[0]].filter((r) => r !== undefined))?.intervention_id).toBe(
      "int_00000003",
    );
  });

  it("hashes a canonical form: key order does not matter", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[1,{"y":null,"z":0}]},"b":1}',
    );
  });
});
