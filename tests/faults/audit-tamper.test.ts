/**
 * Issue #9, item 13: the audit log. A log of N records is built through the
 * real audit store (SQLite, hash-chained per org, with its chain head); then M
 * tampered copies — a single record edited, deleted, two records of an org
 * swapped, the tail cut off — each on a fresh copy of the database, are checked
 * by the gateway's verifier (`verifyAuditDb`, what `npm run audit:verify`
 * runs): every one must be detected with the first bad record named. Then the
 * audit store fails under a stream of commands: every command in the failure
 * gets AUDIT_UNAVAILABLE and has no effect, and no effect is ever unaudited.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditFields } from "../../gateway/audit/audit-chain.ts";
import { AUDIT_FILE, openAuditStore, verifyAuditDb } from "../../gateway/audit/audit-store.ts";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import { ACTIONS } from "../../utils/protocol/index.ts";
import { runTsx } from "../gateway/spawn.ts";
import { connectAs, spawnSession, startTestGateway, type TestClient } from "../helpers/gateway.ts";
import {
  type CommandBody,
  commandOnSocket,
  commandOverHttp,
  effectsByCmd,
  type Outcome,
  orgEvents,
  tally,
} from "./command-kit.ts";
import { FULL, recordFigure, scale } from "./figures.ts";
import { createRandom } from "./kit.ts";

const N = scale(10_000, 1000);
const M = scale(1000, 100);
const KINDS = ["edit", "delete", "reorder", "truncate"] as const;
type Kind = (typeof KINDS)[number];

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "lc-faults-audit-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Seeded, so a failing tamper can be replayed. */
const SEED = 1309;

interface Row {
  seq: number;
  org_id: string;
  intervention_id: string;
  [k: string]: unknown;
}

describe("item 13: a tampered audit log is always caught, and names its first bad record", () => {
  let image: Buffer;
  let rows: Row[];

  beforeAll(() => {
    const dir = tempDir();
    const store = openAuditStore(dir);
    const rnd = createRandom(SEED);
    const actions = ACTIONS;
    const t0 = Date.parse("2026-06-24T16:30:00.000Z");
    for (let i = 0; i < N; i++) {
      const type = actions[Math.floor(rnd() * actions.length)] as string;
      const fields: AuditFields = {
        org_id: rnd() < 0.7 ? "org_a" : "org_b",
        intervention_id: `int_${i.toString(36).padStart(8, "0")}`,
        session_id: `ses_${Math.floor(rnd() * 200)}`,
        admin_id: rnd() < 0.5 ? "sup_dana" : "adm_riley",
        type,
        reason: `Reason number ${i}`,
        timestamp: new Date(t0 + i * 1000).toISOString(),
        cmd_id: randomUUID(),
        payload: type === "system_message" || type === "override" ? { text: `text ${i}`, n: i } : {},
        outcome: rnd() < 0.05 ? "refused:FORBIDDEN" : "accepted",
      };
      store.append(fields);
    }
    store.close();
    const db = new Database(join(dir, AUDIT_FILE), { readonly: true });
    image = db.serialize();
    rows = db.prepare("SELECT seq, org_id, intervention_id FROM audit ORDER BY seq").all() as Row[];
    db.close();
    // The file is in WAL mode; an in-memory copy must say "rollback journal" (header bytes 18–19).
    image[18] = 1;
    image[19] = 1;
  });

  /** A fresh, writable in-memory copy of the log, with the append-only triggers dropped (as a tamperer would). */
  function freshCopy(): Database.Database {
    const db = new Database(image);
    db.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
    return db;
  }

  /** Applies one tamper of `kind`; returns the seq and id the verifier must name (id null: a missing record). */
  function tamper(
    db: Database.Database,
    kind: Kind,
    rnd: () => number,
  ): { seq: number; id: string | null; how: string } {
    const pick = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    if (kind === "edit") {
      const seq = pick(1, N);
      const row = db.prepare("SELECT * FROM audit WHERE seq = ?").get(seq) as Record<string, string>;
      const fields = [
        "reason",
        "payload",
        "timestamp",
        "admin_id",
        "type",
        "session_id",
        "cmd_id",
        "outcome",
        "intervention_id",
        "org_id",
        "prev_hash",
        "hash",
      ];
      const field = fields[pick(0, fields.length - 1)] as string;
      const old = String(row[field]);
      const flipHex = (h: string) => `${h.slice(0, 10)}${h[10] === "0" ? "1" : "0"}${h.slice(11)}`;
      const value =
        field === "payload"
          ? JSON.stringify({ text: "A refund of €2000 is on its way." })
          : field === "org_id"
            ? old === "org_a"
              ? "org_b"
              : "org_a"
            : field === "outcome"
              ? old === "accepted"
                ? "refused:FORBIDDEN"
                : "accepted"
              : field === "timestamp"
                ? new Date(Date.parse(old) + 1000).toISOString()
                : field === "hash" || field === "prev_hash"
                  ? flipHex(old)
                  : `${old}x`;
      db.prepare(`UPDATE audit SET ${field} = ? WHERE seq = ?`).run(value, seq);
      return {
        seq,
        id: field === "intervention_id" ? value : (row.intervention_id as string),
        how: `${field} of #${seq}`,
      };
    }
    if (kind === "delete") {
      const seq = pick(1, N - 1);
      db.prepare("DELETE FROM audit WHERE seq = ?").run(seq);
      return { seq, id: null, how: `#${seq}` };
    }
    if (kind === "reorder") {
      // Two records of one org change places (the chain is per org; see docs/gateway.md).
      for (;;) {
        const i = pick(1, N - 1);
        const org = rows[i - 1]?.org_id;
        const later = rows.slice(i, Math.min(N, i + 1 + pick(1, 40))).filter((r) => r.org_id === org);
        const j = later[later.length - 1]?.seq;
        if (j === undefined) continue;
        const cols = db.prepare("SELECT * FROM audit WHERE seq IN (?, ?) ORDER BY seq").all(i, j) as Record<
          string,
          unknown
        >[];
        const [a, b] = cols as [Record<string, unknown>, Record<string, unknown>];
        const names = Object.keys(a).filter((k) => k !== "seq");
        // Move one out of the way first: intervention_id is UNIQUE.
        const set = (seq: number, r: Record<string, unknown>) =>
          db
            .prepare(`UPDATE audit SET ${names.map((k) => `${k} = @${k}`).join(", ")} WHERE seq = @seq`)
            .run({ ...r, seq });
        set(i, { ...b, intervention_id: "int_swapping" });
        set(j, a);
        db.prepare("UPDATE audit SET intervention_id = ? WHERE seq = ?").run(b.intervention_id, i);
        return { seq: i, id: b.intervention_id as string, how: `#${i} ↔ #${j}` };
      }
    }
    const keep = rnd() < 0.05 ? 0 : pick(Math.max(0, N - 50), N - 1);
    db.prepare("DELETE FROM audit WHERE seq > ?").run(keep);
    return { seq: keep + 1, id: null, how: `after #${keep}` };
  }

  it(`detects ${M} single tampers of a ${N}-record log, each naming the first bad record`, () => {
    const pristine = new Database(image);
    const clean = verifyAuditDb(pristine);
    pristine.close();
    expect(clean).toEqual({ count: N, problem: null, headChecked: true });

    const rnd = createRandom(SEED + 1);
    const per = Object.fromEntries(KINDS.map((k) => [k, { tried: 0, detected: 0, named: 0 }])) as Record<
      Kind,
      { tried: number; detected: number; named: number }
    >;
    const misses: string[] = [];
    const started = Date.now();
    for (let t = 0; t < M; t++) {
      const kind = KINDS[t % KINDS.length] as Kind;
      const db = freshCopy();
      const expected = tamper(db, kind, rnd);
      const { problem } = verifyAuditDb(db);
      db.close();
      per[kind].tried++;
      if (problem) per[kind].detected++;
      if (problem && problem.seq === expected.seq && problem.intervention_id === expected.id)
        per[kind].named++;
      else
        misses.push(
          `${kind} ${expected.how}: expected #${expected.seq} (${expected.id}), got ${JSON.stringify(problem)}`,
        );
    }
    const seconds = (Date.now() - started) / 1000;
    for (const kind of KINDS) {
      const p = per[kind];
      recordFigure({
        item: 13,
        what: `${kind === "edit" ? "edited" : kind === "delete" ? "deleted" : kind === "reorder" ? "reordered (2 records of an org swapped)" : "truncated (tail cut off)"} records of a ${N}-record log (${p.tried} fresh copies)`,
        value: `${p.detected}/${p.tried} detected, ${p.named}/${p.tried} first bad record named`,
        target: "100 %",
        ok: p.detected === p.tried && p.named === p.tried,
      });
    }
    recordFigure({
      item: 13,
      what: `untampered ${N}-record log; time for ${M} tampers + verifications`,
      value: `OK (no false alarm); ${seconds.toFixed(1)} s`,
      target: "OK",
      ok: clean.problem === null,
    });
    expect(misses).toEqual([]);
    for (const kind of KINDS) expect(per[kind].tried).toBeGreaterThan(0);
  });

  it("npm run audit:verify says TAMPERED and names the record, for each kind, on a file", () => {
    const rnd = createRandom(SEED + 2);
    // Each run spawns a process: all four kinds at full size, the new one (a cut-off tail) in the fast part.
    for (const kind of FULL ? KINDS : (["truncate"] as const)) {
      const dir = tempDir();
      writeFileSync(join(dir, AUDIT_FILE), image);
      const db = new Database(join(dir, AUDIT_FILE));
      db.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
      const expected = tamper(db, kind, rnd);
      db.close();
      const r = runTsx("gateway/audit/audit-verify.ts", ["--data-dir", dir]);
      expect(r.code, `${kind}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(`^TAMPERED: record #${expected.seq} \\(${expected.id ?? "missing"}\\): `),
      );
    }
  });
});

describe("item 13: the audit store fails under a stream of commands", () => {
  it("answers AUDIT_UNAVAILABLE while it is down, and no effect is ever unaudited", async () => {
    const K = scale(2000, 300);
    const dir = tempDir();
    const tg = await startTestGateway({
      dataDir: dir,
      manualClock: true,
      simulate: false,
      commandsPerMinute: 1_000_000,
      commandBurst: 1_000_000,
      framesPerSecond: 1_000_000,
      frameBurst: 1_000_000,
    });
    const org = tg.gateway.orgs.get("org_demo") as OrgRuntime;
    const sessions = Array.from({ length: 8 }, () => spawnSession(tg));
    const audit = tg.gateway.audit;
    const realAppend = audit.append.bind(audit);
    const realFind = audit.findAccepted.bind(audit);
    // A disk error hits the commands of the failing window: their audit write fails, and for half of them
    // the idempotency read already. Afterwards the log is closed for good.
    let diskError = true;
    const failWrite = new Set<string>();
    const failRead = new Set<string>();
    audit.append = (fields) => {
      if (diskError && failWrite.has(fields.cmd_id)) throw new Error("SQLITE_IOERR: disk I/O error");
      return realAppend(fields);
    };
    audit.findAccepted = (orgId, cmdId) => {
      if (diskError && failRead.has(cmdId)) throw new Error("SQLITE_IOERR: disk I/O error");
      return realFind(orgId, cmdId);
    };

    const tokens = [tg.tokens.supervisor, tg.tokens.admin, tg.tokens.supervisor];
    const clients: TestClient[] = await Promise.all(tokens.map((t) => connectAs(tg, t)));
    type Result = { body: CommandBody; phase: "up" | "failing" | "closed" | "resent"; outcome: Outcome };
    const results: Result[] = [];
    const send = (lane: number, body: CommandBody, n: number) =>
      n % 4 === 1
        ? commandOverHttp(tg, tokens[lane] as string, body)
        : commandOnSocket(clients[lane] as TestClient, body);
    /** Commands n in [from, to), spread over the clients, each client one after the other. */
    const stream = (from: number, to: number, phaseOf: (n: number) => Result["phase"]) =>
      Promise.all(
        clients.map(async (_, lane) => {
          for (let n = from + lane; n < to; n += clients.length) {
            const s = sessions[n % sessions.length] as { id: string };
            const body: CommandBody = {
              cmd_id: randomUUID(),
              action: n % 3 === 0 ? "cobrowse_start" : "system_message",
              session_id: s.id,
              reason: `Stream ${n}`,
              payload: n % 3 === 0 ? {} : { text: `stream notice ${n}` },
            };
            const phase = phaseOf(n);
            if (phase === "failing") {
              failWrite.add(body.cmd_id);
              if (n % 2 === 0) failRead.add(body.cmd_id);
            }
            results.push({ body, phase, outcome: await send(lane, body, n) });
          }
        }),
      );
    const cut = Math.floor(K * 0.8);
    await stream(0, cut, (n) => (n >= K * 0.3 && n < K * 0.5 ? "failing" : "up"));
    const effectsBeforeResend = effectsByCmd(orgEvents(org));
    // The disk recovers; a client resends what failed (same cmd_id, as the worker's outbox does): now it goes through once.
    diskError = false;
    for (const r of results.filter((x) => x.phase === "failing"))
      results.push({ body: r.body, phase: "resent", outcome: await send(0, r.body, 0) });
    // Then the audit log goes away for good.
    audit.close();
    await stream(cut, K, () => "closed");
    const events = orgEvents(org);
    const effects = effectsByCmd(events);
    const effectIds = events
      .filter((e) => e.kind === "intervention_triggered")
      .map((e) => (e.data as { intervention_id: string }).intervention_id);
    await tg.stop();

    // What is durable: read the audit file back from disk.
    const db = new Database(join(dir, AUDIT_FILE), { readonly: true });
    const durable = db
      .prepare("SELECT cmd_id, intervention_id FROM audit WHERE outcome = 'accepted'")
      .all() as {
      cmd_id: string;
      intervention_id: string;
    }[];
    const verdict = verifyAuditDb(db);
    db.close();
    const audited = tally(durable, (r) => r.cmd_id);

    const of = (phase: Result["phase"]) => results.filter((r) => r.phase === phase);
    const refusedWhenDown = [...of("failing"), ...of("closed")];
    const unavailable = refusedWhenDown.filter(
      (r) => !r.outcome.ok && r.outcome.code === "AUDIT_UNAVAILABLE",
    );
    const ackedUp = [...of("up"), ...of("resent")].filter((r) => r.outcome.ok);
    const upTotal = of("up").length + of("resent").length;
    // An effect is audited when the intervention it announces has a durable record.
    const durableIds = new Set(durable.map((r) => r.intervention_id));
    const unauditedEffects = effectIds.filter((id) => !durableIds.has(id)).length;
    const effectsOfRefused =
      of("failing").filter((r) => effectsBeforeResend.has(r.body.cmd_id)).length +
      of("closed").filter((r) => effects.has(r.body.cmd_id)).length;
    const ackedWithoutRecord = ackedUp.filter((r) => audited.get(r.body.cmd_id) !== 1).length;
    const httpRefusals = unavailable.filter((r) => !r.outcome.ok && r.outcome.status !== undefined);
    recordFigure({
      item: 13,
      what: `${K} commands while the audit store fails (disk errors, then closed); the failed ones resent after recovery`,
      value: `${unavailable.length}/${refusedWhenDown.length} AUDIT_UNAVAILABLE while down, ${ackedUp.length}/${upTotal} acked while up; ${unauditedEffects} unaudited effects, ${effectsOfRefused} effects of refused`,
      target: "all refused while down, 0 unaudited effects",
      ok:
        unavailable.length === refusedWhenDown.length &&
        ackedUp.length === upTotal &&
        unauditedEffects === 0 &&
        effectsOfRefused === 0 &&
        verdict.problem === null,
    });
    expect(unavailable.length).toBe(refusedWhenDown.length);
    expect(of("failing").length).toBeGreaterThan(0);
    expect(of("closed").length).toBeGreaterThan(0);
    expect(ackedUp.length).toBe(upTotal);
    expect(httpRefusals.every((r) => !r.outcome.ok && r.outcome.status === 503)).toBe(true);
    expect(unauditedEffects).toBe(0);
    expect(effectsOfRefused).toBe(0);
    expect(ackedWithoutRecord).toBe(0);
    // Every acked command took effect exactly once, and the log on disk is intact.
    expect(ackedUp.filter((r) => effects.get(r.body.cmd_id) === 1)).toHaveLength(ackedUp.length);
    expect(effects.size).toBe(ackedUp.length);
    expect(durable.length).toBe(ackedUp.length);
    expect(verdict.problem).toBeNull();
    for (const c of clients) c.close();
  });
});
