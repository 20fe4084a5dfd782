/**
 * Canned replies of one gateway user, in IndexedDB beside the saved views and
 * alert rules (database `live-conversations`, object store `canned_replies`,
 * key `[userId, id]`; see utils/user-db/database.ts for the migrations).
 *
 *   const store = await openCannedStore(user.id);   // throws CannedStoreError; seeds the examples once
 *   const { replies, problems } = await store.list(); // bad records → problems, the others load
 *   await store.save(reply);                         // create or replace (validated, shortcut unique)
 *   await store.remove(id);                          // also removes an unreadable record
 *   store.close();
 *
 * Every record is validated on read: IndexedDB content is as untrusted as the
 * network. Other users' replies are never read or touched.
 */
import * as v from "valibot";
import {
  CANNED_META_STORE,
  CANNED_STORE,
  errorText,
  type OpenUserDatabaseOptions,
  openUserDb,
  readUserRecords,
  type UserRecordProblem,
} from "../user-db";
import {
  type CannedRecord,
  type CannedReply,
  CannedReplySchema,
  decodeCannedRecord,
  EXAMPLE_REPLIES,
} from "./canned-schema";

export type CannedErrorCode =
  | "unavailable"
  | "version_too_new"
  | "upgrade_failed"
  | "open_failed"
  | "closed"
  | "invalid_reply"
  | "shortcut_taken"
  | "write_failed";

export class CannedStoreError extends Error {
  constructor(
    readonly code: CannedErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "CannedStoreError";
  }
}

export type CannedProblem = UserRecordProblem;

export interface CannedList {
  /** Oldest first. */
  replies: CannedReply[];
  problems: CannedProblem[];
}

export interface CannedStore {
  readonly userId: string;
  list(): Promise<CannedList>;
  save(reply: CannedReply): Promise<CannedReply>;
  remove(id: string): Promise<void>;
  close(): void;
}

export interface OpenCannedStoreOptions extends OpenUserDatabaseOptions {
  clock?: () => number;
}

function toReply(r: CannedRecord): CannedReply {
  const { userId: _u, createdAt: _c, updatedAt: _m, ...reply } = r;
  return reply;
}

export async function openCannedStore(
  userId: string,
  options: OpenCannedStoreOptions = {},
): Promise<CannedStore> {
  if (!userId) throw new CannedStoreError("open_failed", "Canned replies need a signed-in user.");
  const clock = options.clock ?? Date.now;
  const { db, guard, close } = await openUserDb(
    "Canned replies",
    options,
    (code, message) => new CannedStoreError(code, message),
  );
  const readAll = (store: Parameters<typeof readUserRecords>[0]) =>
    readUserRecords(store, userId, decodeCannedRecord, "A canned reply");

  const seed = async () => {
    const tx = db.transaction([CANNED_STORE, CANNED_META_STORE], "readwrite");
    const meta = await tx.objectStore(CANNED_META_STORE).get(userId);
    if (meta === undefined) {
      const t = clock();
      const store = tx.objectStore(CANNED_STORE);
      const { records } = await readAll(store);
      const taken = new Set(records.map((r) => r.shortcut).filter(Boolean));
      await Promise.all(
        EXAMPLE_REPLIES.filter((e) => !records.some((r) => r.id === e.id)).map((e, i) => {
          const rec: CannedRecord = { ...e, userId, createdAt: t + i, updatedAt: t + i };
          if (e.shortcut && taken.has(e.shortcut)) delete rec.shortcut;
          return store.put(rec);
        }),
      );
      await tx.objectStore(CANNED_META_STORE).put({ userId, seededAt: t });
    }
    await tx.done;
  };
  try {
    await seed();
  } catch (e) {
    db.close();
    throw new CannedStoreError("open_failed", `Canned replies could not be prepared: ${errorText(e)}`);
  }

  return {
    userId,
    async list() {
      guard();
      try {
        const { records, problems } = await readAll(db.transaction(CANNED_STORE).store);
        return { replies: records.map(toReply), problems };
      } catch (e) {
        throw new CannedStoreError("open_failed", `Canned replies could not be read: ${errorText(e)}`);
      }
    },
    async save(input) {
      guard();
      const d = v.safeParse(CannedReplySchema, input);
      if (!d.success) {
        const issue = d.issues[0];
        const path = v.getDotPath(issue);
        throw new CannedStoreError(
          "invalid_reply",
          `This reply cannot be saved (${path ? `${path}: ` : ""}${issue.message}).`,
        );
      }
      const reply = d.output;
      const tx = db.transaction(CANNED_STORE, "readwrite");
      try {
        const { records } = await readAll(tx.store);
        const clash =
          reply.shortcut && records.find((r) => r.id !== reply.id && r.shortcut === reply.shortcut);
        if (clash) {
          tx.abort();
          await tx.done.catch(() => {});
          throw new CannedStoreError(
            "shortcut_taken",
            `${reply.shortcut} is already the shortcut of “${clash.title}”.`,
          );
        }
        const prev = records.find((r) => r.id === reply.id);
        const t = clock();
        const rec: CannedRecord = { ...reply, userId, createdAt: prev ? prev.createdAt : t, updatedAt: t };
        await tx.store.put(rec);
        await tx.done;
        return reply;
      } catch (e) {
        if (e instanceof CannedStoreError) throw e;
        throw new CannedStoreError("write_failed", `Could not save the reply: ${errorText(e)}`);
      }
    },
    async remove(id) {
      guard();
      try {
        const tx = db.transaction(CANNED_STORE, "readwrite");
        await tx.store.delete([userId, id]);
        await tx.done;
      } catch (e) {
        throw new CannedStoreError("write_failed", `Could not delete the reply: ${errorText(e)}`);
      }
    },
    close,
  };
}
