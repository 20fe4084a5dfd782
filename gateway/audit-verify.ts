/**
 * `npm run audit:verify -- --data-dir DIR`: checks the audit log's hash chain
 * record by record and names the first bad one. Exit 0 when intact, 1 when a
 * record was altered, removed or reordered, 2 when the log cannot be read.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { type AuditRecord, verifyChain } from "./audit-chain.ts";
import { AUDIT_FILE, rowToRecord } from "./audit-store.ts";

function fail(message: string, code: number): never {
  process.stderr.write(`audit:verify: ${message}\n`);
  process.exit(code);
}

function main(): void {
  let dataDir: string | undefined;
  try {
    const { values } = parseArgs({
      options: { "data-dir": { type: "string" }, help: { type: "boolean" } },
      strict: true,
    });
    if (values.help) {
      process.stdout.write("Usage: npm run audit:verify -- --data-dir DIR   (or LC_DATA_DIR)\n");
      return;
    }
    dataDir = values["data-dir"] ?? process.env.LC_DATA_DIR;
  } catch (e) {
    fail((e as Error).message.split("\n")[0] ?? "bad arguments", 2);
  }
  if (!dataDir) fail("--data-dir is required", 2);
  const file = join(dataDir, AUDIT_FILE);
  if (!existsSync(file)) fail(`no audit log at ${file}`, 2);
  let count = 0;
  let problem: ReturnType<typeof verifyChain>;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.prepare("SELECT * FROM audit ORDER BY seq").iterate() as Iterable<
      Parameters<typeof rowToRecord>[0]
    >;
    function* records(): Generator<AuditRecord> {
      for (const row of rows) {
        count++;
        yield rowToRecord(row);
      }
    }
    problem = verifyChain(records());
    db.close();
  } catch (e) {
    fail(`cannot read ${file}: ${(e as Error).message}`, 2);
  }
  if (problem) {
    process.stdout.write(
      `TAMPERED: record #${problem.seq} (${problem.intervention_id}): ${problem.problem}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`OK: ${count} audit records, hash chain intact\n`);
}

main();
