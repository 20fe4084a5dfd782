/**
 * What the per-user stores share (saved views, alert rules, canned replies):
 * opening the database in their own words, refusing work once a newer panel
 * upgraded it, reading one user's records from a store keyed `[userId, id]` —
 * each validated, one filed under the wrong key skipped, oldest first —,
 * writing a user's examples once, and deleting one record.
 */
import type { IDBPObjectStore, StoreNames } from "idb";
import * as v from "valibot";
import {
  errorText,
  type OpenFailure,
  type OpenUserDatabaseOptions,
  openUserDatabase,
  type UserDatabase,
  UserDatabaseError,
  type UserDbSchema,
} from "./database";

export interface UserRecordProblem {
  /** The record's id when its key could be read. */
  id: string | null;
  message: string;
}

export type RecordDecode<R> = (value: unknown) => { ok: true; record: R } | { ok: false; message: string };

const Stamp = v.pipe(v.number(), v.integer(), v.minValue(0));

/** A record as stored: the item's own fields (`entries`) plus its owner and when it was created and last changed. */
export function userRecordSchema<E extends v.ObjectEntries>(entries: E) {
  return v.object({
    ...entries,
    userId: v.pipe(v.string(), v.minLength(1)),
    createdAt: Stamp,
    updatedAt: Stamp,
  });
}

/** The item a record holds: the record without its owner and times. */
export function recordItem<R extends { userId: string; createdAt: number; updatedAt: number }>({
  userId: _u,
  createdAt: _c,
  updatedAt: _m,
  ...item
}: R): Omit<R, "userId" | "createdAt" | "updatedAt"> {
  return item;
}

/** A schema's first issue in words: "path: message", or the message alone at the top. */
export function issueText(issue: v.BaseIssue<unknown>): string {
  const path = v.getDotPath(issue);
  return `${path ? `${path}: ` : ""}${issue.message}`;
}

/** Decodes a stored record with `schema`: the record, or why it cannot be read. */
export function recordDecoder<R>(schema: v.GenericSchema<unknown, R>): RecordDecode<R> {
  return (value) => {
    const r = v.safeParse(schema, value);
    return r.success ? { ok: true, record: r.output } : { ok: false, message: issueText(r.issues[0]) };
  };
}

type RecordStore = "views" | "alert_rules" | "canned_replies";
type MetaStore = "meta" | "canned_meta";
export type SeedStore<
  S extends StoreNames<UserDbSchema>,
  M extends StoreNames<UserDbSchema>,
> = IDBPObjectStore<UserDbSchema, (S | M)[], S, "readwrite">;

export interface Readable {
  getAll(q: IDBKeyRange): Promise<unknown[]>;
  getAllKeys(q: IDBKeyRange): Promise<IDBValidKey[]>;
}

/** What every per-user store offers beside its own reads and writes. */
export interface UserStoreBase {
  readonly userId: string;
  /** Also removes a record that cannot be read. */
  remove(id: string): Promise<void>;
  close(): void;
}

/** What every per-user store is opened with: the database's options and the clock that stamps records. */
export interface OpenUserStoreOptions extends OpenUserDatabaseOptions {
  clock?: () => number;
}

export interface UserDb {
  db: UserDatabase;
  /** Whose records every operation below is confined to (the `[userId, …]` key range). */
  userId: string;
  /** Throws (a `StoreError`) once a newer panel upgraded the database under this one. */
  guard(): void;
  /** One user's records of `store` (`what`: "An alert rule"); a failure is "<label> could not be read". */
  list<R extends { userId: string; id: string; createdAt: number }>(
    store: RecordStore,
    decode: RecordDecode<R>,
    what: string,
  ): Promise<{ records: R[]; problems: UserRecordProblem[] }>;
  /**
   * Writes a user's examples once: in one transaction with `metaStore`, unless its record for the user says
   * they were written (at `seededAt`). On failure the database is closed: "<label> could not be prepared".
   */
  seedOnce<S extends RecordStore, M extends MetaStore>(
    store: S,
    metaStore: M,
    clock: () => number,
    write: (records: SeedStore<S, M>, t: number) => Promise<unknown>,
  ): Promise<void>;
  /** Deletes one record of the user; a failure is "Could not <what>" (`what`: "delete the rule"). */
  remove(store: RecordStore, id: string, what: string): Promise<void>;
  close(): void;
}

/**
 * Opens the database for one user's records (refused without a user); `label` ("Alert rules") names them in
 * every message, and every failure is a `StoreError` (the store's own error class).
 */
export async function openUserDb(
  label: string,
  userId: string,
  options: OpenUserDatabaseOptions,
  StoreError: new (code: OpenFailure | "closed" | "write_failed", message: string) => Error,
): Promise<UserDb> {
  const fail = (code: OpenFailure | "closed" | "write_failed", message: string) =>
    new StoreError(code, message);
  if (!userId) throw fail("open_failed", `${label} need a signed-in user.`);
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
  const guard = () => {
    if (closed) throw fail("closed", `${label} were upgraded by a newer panel; reopen this panel.`);
  };
  return {
    db,
    userId,
    guard,
    async list(store, decode, what) {
      guard();
      try {
        return await readUserRecords(db.transaction(store).store, userId, decode, what);
      } catch (e) {
        throw fail("open_failed", `${label} could not be read: ${errorText(e)}`);
      }
    },
    async seedOnce(store, metaStore, clock, write) {
      try {
        const tx = db.transaction([store, metaStore], "readwrite");
        if ((await tx.objectStore(metaStore).get(userId)) === undefined) {
          const t = clock();
          await write(tx.objectStore(store), t);
          await tx.objectStore(metaStore).put({ userId, seededAt: t });
        }
        await tx.done;
      } catch (e) {
        db.close();
        throw fail("open_failed", `${label} could not be prepared: ${errorText(e)}`);
      }
    },
    async remove(store, id, what) {
      guard();
      try {
        const tx = db.transaction(store, "readwrite");
        await tx.store.delete([userId, id]);
        await tx.done;
      } catch (e) {
        throw fail("write_failed", `Could not ${what}: ${errorText(e)}`);
      }
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
