/**
 * Issue 19 item 4: restore paths that tests can see. A data dir written by a
 * real gateway is damaged in each way a disk can damage it, and the gateway
 * CLI (a real child process) is started on it. Each case must give a refusal
 * to start with ONE line on stderr naming the file and the fix (never a stack
 * trace), and following the fix for a damaged history must give a correct
 * restore: a new epoch, and exactly one snapshot for each client.
 *
 * The read-only dir is a read-only bind mount and the full disk a small tmpfs
 * holding a copy of the data dir (the tests run as root); where mounting is
 * not permitted (not root), the read-only dir is a directory without write
 * permission and the full disk is RLIMIT_FSIZE on the child
 * (`prlimit --fsize`), which makes its writes fail with EFBIG.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_FILE } from "../../gateway/audit/audit-store.ts";
import { createGateway } from "../../gateway/gateway.ts";
import { DataDirError } from "../../gateway/store/data-dir.ts";
import { HISTORY_FILE } from "../../gateway/store/sqlite-history.ts";
import type { SingleServerFrame } from "../../utils/protocol/index.ts";
import { type ExitResult, runGatewayToExit, spawnGateway } from "../gateway/spawn.ts";
import { connectAs, TEST_DEFAULTS } from "../helpers/gateway.ts";
import { FULL, recordFigure } from "./figures";

const root = mkdtempSync(join(tmpdir(), "lc-restore-"));
const mounts: string[] = [];
let source = "";
let sourceEpoch = "";
let sourceSeq = 0;

afterAll(() => {
  for (const m of mounts.reverse()) spawnSync("umount", [m]);
  rmSync(root, { recursive: true, force: true });
});

const mount = (args: string[]) => spawnSync("mount", args, { encoding: "utf8" }).status === 0;

/** A data dir with history (some thousands of events) and an audit log, written by the gateway and stopped. */
beforeAll(async () => {
  source = join(root, "source");
  const gw = createGateway({ ...TEST_DEFAULTS, dataDir: source, simulate: false });
  const org = gw.orgs.get("org_demo");
  if (!org) throw new Error("no org");
  for (let i = 0; i < 3000; i++)
    org.state.emit("error_occurred", null, {
      code: "FILL",
      message: `filler event ${i} ${"x".repeat(200)}`,
      severity: "warning",
    });
  for (let i = 0; i < 300; i++)
    gw.audit.append({
      org_id: "org_demo",
      intervention_id: `int_fill${i}`,
      session_id: "ses_fill",
      admin_id: "adm_ada",
      type: "system_message",
      reason: "Filling the audit log",
      timestamp: new Date().toISOString(),
      cmd_id: `cmd_fill${i}`,
      payload: { text: "x".repeat(200) },
      outcome: "accepted",
    });
  sourceEpoch = org.state.log.epoch;
  sourceSeq = org.state.log.lastSeq();
  await gw.stop();
}, 60_000);

/**
 * Starts the gateway on `dir` as `main.ts` does. Under `npm run test:faults`
 * (and for one case always) the real CLI in a child process; in `npm test`'s
 * fast part the others run in process, giving the line main.ts would print.
 */
async function start(
  dir: string,
  opts: Parameters<typeof runGatewayToExit>[1] = {},
  child = FULL,
): Promise<ExitResult> {
  if (child) return runGatewayToExit(["--port", "0", "--data-dir", dir], opts);
  try {
    const gw = createGateway({ ...TEST_DEFAULTS, dataDir: dir, simulate: false });
    await gw.stop();
    return { code: 0, stdout: "listening on (in process)", stderr: "" };
  } catch (e) {
    const line = e instanceof DataDirError ? e.message : String((e as Error).stack);
    return { code: 1, stdout: "", stderr: `gateway: ${line}\n` };
  }
}

function copyOf(name: string): string {
  const dir = join(root, name);
  cpSync(source, dir, { recursive: true });
  return dir;
}

function damage(file: string, at: number, bytes: number): void {
  const fd = openSync(file, "r+");
  try {
    writeSync(fd, Buffer.alloc(bytes, 0xa5), 0, bytes, at);
  } finally {
    closeSync(fd);
  }
}

/** One clear line: exit 1, exactly one line on stderr, naming the file and a fix, no stack trace. */
function refusal(r: ExitResult, file: string): string[] {
  const lines = r.stderr.trimEnd().split("\n");
  const problems: string[] = [];
  if (r.stdout.includes("listening on")) problems.push("it started");
  if (r.code !== 1) problems.push(`exit code ${r.code}`);
  if (lines.length !== 1) problems.push(`${lines.length} lines on stderr`);
  if (!r.stderr.includes(file)) problems.push(`does not name ${file}`);
  if (!/Fix: /.test(r.stderr)) problems.push("names no fix");
  if (/\n\s+at /.test(r.stderr)) problems.push("stack trace");
  return problems;
}

describe("item 4 (issue 19): damaged, read-only and full data dirs", () => {
  it("refuses to start with one line naming the file and the fix, in every case", async () => {
    const cases: { name: string; file: string; run: () => Promise<ExitResult>; how: string }[] = [];
    const truncated = copyOf("truncated");
    truncateSync(join(truncated, HISTORY_FILE), Math.floor(statSync(join(truncated, HISTORY_FILE)).size / 2));
    cases.push({
      name: "truncated history",
      file: join(truncated, HISTORY_FILE),
      run: () => start(truncated, {}, true),
      how: "cut to half",
    });
    const corrupted = copyOf("corrupted");
    damage(join(corrupted, HISTORY_FILE), 40_000, 20_000);
    cases.push({
      name: "corrupted history",
      file: join(corrupted, HISTORY_FILE),
      run: () => start(corrupted),
      how: "20 kB overwritten",
    });
    const audit = copyOf("audit");
    damage(join(audit, AUDIT_FILE), 12_000, 8_000);
    cases.push({
      name: "corrupted audit log",
      file: join(audit, AUDIT_FILE),
      run: () => start(audit),
      how: "8 kB overwritten",
    });

    const readOnly = copyOf("readonly");
    let roHow = "read-only bind mount";
    let roRun = () => start(readOnly);
    const bound = mount(["--bind", readOnly, readOnly]);
    if (bound) mounts.push(readOnly);
    if (!bound || !mount(["-o", "remount,ro,bind", readOnly])) {
      // Not root (so no mount): a directory without write permission is read-only for this user.
      roHow = "directory without write permission";
      chmodSync(readOnly, 0o555);
      roRun = () => start(readOnly);
    }
    cases.push({ name: "read-only data dir", file: readOnly, run: roRun, how: roHow });

    const disk = join(root, "disk");
    mkdirSync(disk);
    const full = join(disk, "data");
    let fullRun = () => start(full);
    let bytes = 0;
    for (const f of [HISTORY_FILE, AUDIT_FILE]) bytes += statSync(join(source, f)).size;
    const size = Math.ceil(bytes / 4096) * 4096 + 128 * 1024;
    let fullHow = `${Math.round(size / 1024)} kB tmpfs holding the data dir, the rest filled`;
    if (mount(["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", disk])) {
      mounts.push(disk);
      cpSync(source, full, { recursive: true });
      const filler = Buffer.alloc(64 * 1024);
      try {
        for (let i = 0; i < 1024; i++) writeFileSync(join(disk, `filler${i}`), filler);
      } catch {
        // ENOSPC: the disk is full.
      }
    } else {
      fullHow = "RLIMIT_FSIZE 16 kB on the child (prlimit), on a fresh dir";
      fullRun = () => start(full, { prefix: ["prlimit", "--fsize=16384"] }, true);
    }
    cases.push({ name: "full disk", file: full, run: fullRun, how: fullHow });

    const results = await Promise.all(cases.map((c) => c.run()));
    const wrong: string[] = [];
    cases.forEach((c, i) => {
      const r = results[i] as ExitResult;
      const problems = refusal(r, c.file);
      console.log(`[faults/restore] ${c.name} (${c.how}): ${r.stderr.trim() || r.stdout.trim()}`);
      if (problems.length > 0) wrong.push(`${c.name}: ${problems.join(", ")} — ${r.stderr}`);
    });
    recordFigure({
      item: 4,
      what: "issue 19: damaged history (truncated, corrupted), damaged audit log, read-only dir, full disk",
      value: `${cases.length - wrong.length} / ${cases.length} refused with one line naming the file and the fix`,
      target: `${cases.length} / ${cases.length}`,
      ok: wrong.length === 0,
    });
    expect(wrong).toEqual([]);
  }, 120_000);

  it("following the fix for a damaged history restores correctly: a new epoch, one snapshot per client", async () => {
    const dir = copyOf("moved-aside");
    damage(join(dir, HISTORY_FILE), 40_000, 20_000);
    const file = join(dir, HISTORY_FILE);
    renameSync(file, `${file}.damaged`);
    const gw = await spawnGateway(["--port", "0", "--data-dir", dir, "--no-simulate"]);
    try {
      const stream = { streamUrl: `${gw.url.replace("http", "ws")}/v1/stream` };
      const tokens = ["lc_demo_admin_token_0001", "lc_demo_supervisor_token"];
      const clients = await Promise.all(
        tokens.map((t) => connectAs(stream, t, { resume: { epoch: sourceEpoch, seq: sourceSeq } })),
      );
      for (const c of clients) await c.waitFor((f) => f.type === "snapshot");
      // A ping answered means everything sent before it has arrived.
      for (const c of clients) {
        c.send({ type: "ping", id: 1 });
        await c.waitFor((f) => f.type === "pong");
      }
      for (const c of clients) {
        const w = c.frames[0] as Extract<SingleServerFrame, { type: "welcome" }>;
        expect(w.type).toBe("welcome");
        expect(w.recovered).toBe(false);
        expect(w.epoch).not.toBe(sourceEpoch);
        expect(c.frames.filter((f) => f.type === "snapshot")).toHaveLength(1);
        c.close();
      }
    } finally {
      gw.child.kill("SIGTERM");
      await gw.exited;
    }
  }, 60_000);
});
