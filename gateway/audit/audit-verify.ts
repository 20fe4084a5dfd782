/**
 * `npm run audit:verify -- --data-dir DIR`: checks the audit log's hash chain
 * record by record, its numbering and its chain head, and names the first bad
 * record. Exit 0 when intact, 1 when a record was altered, removed, reordered
 * or cut off the end, 2 when the log cannot be read.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { AUDIT_FILE, type AuditVerdict, verifyAuditDb } from "./audit-store.ts";

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
  let verdict: AuditVerdict;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    verdict = verifyAuditDb(db);
    db.close();
  } catch (e) {
    fail(`cannot read ${file}: ${(e as Error).message}`, 2);
  }
  const { problem, count } = verdict;
  if (problem) {
    process.stdout.write(
      `TAMPERED: record #${problem.seq} (${problem.intervention_id ?? "missing"}): ${problem.problem}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`OK: ${count} audit records, hash chain intact\n`);
  if (!verdict.headChecked)
    process.stdout.write(
      "note: this log has no chain head (written by an older gateway): a removed tail cannot be seen\n",
    );
}

main();
