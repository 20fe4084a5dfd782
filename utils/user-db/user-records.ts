/**
 * What the per-user stores beside the saved views share (alert rules, canned
 * replies): opening the database in their own words, refusing work once a
 * newer panel upgraded it, and reading one user's records from a store keyed
 * `[userId, id]` — each validated, one filed under the wrong key skipped,
 * oldest first.
 */
import {
  errorText,
  type OpenFailure,
  type OpenUserDatabaseOptions,
  openUserDatabase,
  type UserDatabase,
  UserDatabaseError,
} from "./database";

export interface UserRecordProblem {
  /** The record's id when its key could be read. */
  id: string | null;
  message: string;
}

export type RecordDecode<R> = (value: unknown) => { ok: true; record: R } | { ok: false; message: string };

export interface Readable {
  getAll(q: IDBKeyRange): Promise<unknown[]>;
  getAllKeys(q: IDBKeyRange): Promise<IDBValidKey[]>;
}

export interface UserDb {
  db: UserDatabase;
  /** Throws (with `fail`) once a newer panel upgraded the database under this one. */
  guard(): void;
  close(): void;
}

/**
 * Opens the views database for one user's records; `label` ("Alert rules") names them in every message and
 * `fail` makes the store's own error.
 */
export async function openUserDb(
  label: string,
  options: OpenUserDatabaseOptions,
  fail: (code: OpenFailure | "closed", message: string) => Error,
): Promise<UserDb> {
  let closed = false;
  let db: UserDatabase;
  try {
    db = await openUserDatabase({
      ...options,
      onClosedForUpgrade: () => {
        closed = true;
        options.onClosedForUpgrade?.();
      },
    });
  } catch (e) {
    if (e instanceof UserDatabaseError) throw fail(e.code, e.message.replace(/^Saved views/, label));
    throw fail("open_failed", `${label} could not be opened: ${errorText(e)}`);
  }
  return {
    db,
    guard() {
      if (closed) throw fail("closed", `${label} were upgraded by a newer panel; reopen this panel.`);
    },
    close() {
      closed = true;
      db.close();
    },
  };
}

/** One user's records of `store` (`what`: "An alert rule"), validated by `decode`, oldest first. */
export async function readUserRecords<R extends { userId: string; id: string; createdAt: number }>(
  store: Readable,
  userId: string,
  decode: RecordDecode<R>,
  what: string,
): Promise<{ records: R[]; problems: UserRecordProblem[] }> {
  const range = IDBKeyRange.bound([userId], [userId, []]);
  const [keys, values] = await Promise.all([store.getAllKeys(range), store.getAll(range)]);
  const records: R[] = [];
  const problems: UserRecordProblem[] = [];
  values.forEach((value, i) => {
    const key = keys[i];
    const id = Array.isArray(key) && typeof key[1] === "string" ? key[1] : null;
    const r = decode(value);
    if (!r.ok) problems.push({ id, message: `${what} is unreadable and was skipped (${r.message}).` });
    else if (r.record.userId !== userId || r.record.id !== id)
      problems.push({ id, message: `${what} is filed under the wrong key and was skipped.` });
    else records.push(r.record);
  });
  records.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  return { records, problems };
}
