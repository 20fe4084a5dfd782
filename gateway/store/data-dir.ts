/**
 * Opening the SQLite files of `--data-dir` (issue 19): WAL, the given
 * `synchronous` level, an integrity check before anything is read, and every
 * failure turned into a `DataDirError` — one line naming the file and the fix
 * that `main.ts` prints before exiting. The gateway never starts on a damaged,
 * read-only or full data dir, and never shows a stack trace for it.
 */
import { mkdirSync, statfsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

export class DataDirError extends Error {}

export type FileKind = "history" | "audit";

/** The one-line explanation and fix for a failure on `file`. */
export function describeFailure(kind: FileKind, dir: string, file: string, e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err.code === "string" ? err.code : "";
  const text = typeof err.message === "string" ? err.message : String(e);
  const detail = `${text.split("\n")[0]}${code ? ` [${code}]` : ""}`;
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code))
    return kind === "history"
      ? `the history file ${file} is damaged (${detail}). Fix: move it aside (mv ${file} ${file}.damaged, with its -wal and -shm files) to start a new epoch, where every client resyncs with one snapshot, or restore it from a backup.`
      : `the audit log ${file} is damaged (${detail}). Fix: restore it from a backup and check it with npm run audit:verify -- --data-dir ${dir}; the gateway does not start without an intact audit log.`;
  if (
    /^SQLITE_FULL/.test(code) ||
    code === "ENOSPC" ||
    code === "EFBIG" ||
    (/^SQLITE_IOERR/.test(code) && nearlyFull(dir))
  )
    return `the disk holding ${file} is full (${detail}). Fix: free space there, or pass another --data-dir.`;
  if (
    /^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/.test(code) ||
    code === "EACCES" ||
    code === "EROFS" ||
    code === "EPERM"
  )
    return `the data dir ${dir} is not writable (${file}: ${detail}). Fix: make it writable by the user running the gateway, or pass another --data-dir.`;
  return `cannot use ${file} (${detail}). Fix: check the file and the disk, or pass another --data-dir.`;
}

/** Less than 1 MiB free where `dir` lives: an I/O error there is most likely the disk being full. */
function nearlyFull(dir: string): boolean {
  try {
    const st = statfsSync(dir);
    return st.bavail * st.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}

/** Opens (or creates) `name` in `dir`, checks it, and runs `init`; any failure is a `DataDirError`. */
export function openDataFile<T>(
  kind: FileKind,
  dir: string,
  name: string,
  synchronous: "OFF" | "NORMAL" | "FULL",
  init: (db: Database.Database) => T,
): T {
  const file = join(dir, name);
  let db: Database.Database | null = null;
  try {
    mkdirSync(dir, { recursive: true });
    db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${synchronous}`);
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") {
      const problems = String(check)
        .split("\n")
        .filter((l) => l.trim() !== "" && !l.startsWith("***"));
      const first = problems[0] ?? "unknown problem";
      const message = `integrity check: ${first}${problems.length > 1 ? ` and ${problems.length - 1} more` : ""}`;
      throw Object.assign(new Error(message), { code: "SQLITE_CORRUPT" });
    }
    return init(db);
  } catch (e) {
    if (db?.open) db.close();
    throw new DataDirError(describeFailure(kind, dir, file, e));
  }
}
