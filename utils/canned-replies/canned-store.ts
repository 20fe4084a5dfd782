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
  issueText,
  type OpenUserStoreOptions,
  openUserDb,
  type Readable,
  readUserRecords,
  recordItem,
  type UserRecordProblem,
  type UserStoreBase,
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

export interface CannedStore extends UserStoreBase {
  list(): Promise<CannedList>;
  save(reply: CannedReply): Promise<CannedReply>;
}

export type OpenCannedStoreOptions = OpenUserStoreOptions;

const toReply = (r: CannedRecord): CannedReply => recordItem(r);

export async function openCannedStore(
  userId: string,
  options: OpenCannedStoreOptions = {},
): Promise<CannedStore> {
  const clock = options.clock ?? Date.now;
  const userDb = await openUserDb("Canned replies", userId, options, CannedStoreError);
  const { db, guard } = userDb;
  const readAll = (store: Readable) => readUserRecords(store, userId, decodeCannedRecord, "A canned reply");

  await userDb.seedOnce(CANNED_STORE, CANNED_META_STORE, clock, async (store, t) => {
    const { records } = await readAll(store);
    const taken = new Set(records.map((r) => r.shortcut).filter(Boolean));
    await Promise.all(
      EXAMPLE_REPLIES.filter((e) => !records.some((r) => r.id === e.id)).map((e, i) => {
        const rec: CannedRecord = { ...e, userId, createdAt: t + i, updatedAt: t + i };
        if (e.shortcut && taken.has(e.shortcut)) delete rec.shortcut;
        return store.put(rec);
      }),
    );
  });

  return {
    userId,
    async list() {
      const { records, problems } = await userDb.list(CANNED_STORE, decodeCannedRecord, "A canned reply");
      return { replies: records.map(toReply), problems };
    },
    async save(input) {
      guard();
      const d = v.safeParse(CannedReplySchema, input);
      if (!d.success) {
        throw new CannedStoreError(
          "invalid_reply",
          `This reply cannot be saved (${issueText(d.issues[0])}).`,
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
    remove: (id) => userDb.remove(CANNED_STORE, id, "delete the reply"),
    close: userDb.close,
  };
}
