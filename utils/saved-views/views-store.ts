/**
 * Saved views of one gateway user, in IndexedDB.
 *
 *   const store = await openViewsStore(user.id);          // throws ViewsStoreError
 *   const { views, problems } = await store.list();       // corrupt records → problems, others load
 *   const v = await store.save("My slice", spec);         // name must be unique for the user
 *   await store.rename(v.id, "Urgent WhatsApp");
 *   await store.overwrite(v.id, otherSpec);
 *   await store.remove(v.id);                             // also removes a corrupt record by id
 *   store.close();
 *
 * On the first open for a user, the four example views are written together
 * with a `meta` record in one transaction; deleting an example later does not
 * bring it back. Views of other users in the same profile are never read or
 * touched (every operation is confined to the `[userId, …]` key range).
 */
import { decodeFilterSpec, type FilterSpec } from "../filters";
import {
  errorText,
  META_STORE,
  type OpenUserStoreOptions,
  openUserDb,
  type Readable,
  readUserRecords,
  type UserStoreBase,
  VIEWS_STORE,
} from "../user-db";
import {
  cleanViewName,
  decodeViewRecord,
  EXAMPLE_VIEWS,
  type SavedView,
  VIEW_NAME_MAX,
  type ViewProblem,
  type ViewRecord,
} from "./view-record";

export type ViewsErrorCode =
  | "unavailable"
  | "version_too_new"
  | "upgrade_failed"
  | "open_failed"
  | "closed"
  | "invalid_name"
  | "name_taken"
  | "invalid_spec"
  | "not_found"
  | "write_failed";

/** Every failure of the store, with words fit for the panel. */
export class ViewsStoreError extends Error {
  constructor(
    readonly code: ViewsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ViewsStoreError";
  }
}

export interface ViewsList {
  /** Oldest first. */
  views: SavedView[];
  problems: ViewProblem[];
}

export interface ViewsStore extends UserStoreBase {
  list(): Promise<ViewsList>;
  save(name: string, spec: FilterSpec): Promise<SavedView>;
  rename(id: string, name: string): Promise<SavedView>;
  overwrite(id: string, spec: FilterSpec): Promise<SavedView>;
}

export interface OpenViewsStoreOptions extends OpenUserStoreOptions {
  newId?: () => string;
}

const toView = ({ userId: _, ...view }: ViewRecord): SavedView => view;

export async function openViewsStore(
  userId: string,
  options: OpenViewsStoreOptions = {},
): Promise<ViewsStore> {
  const clock = options.clock ?? Date.now;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const userDb = await openUserDb("Saved views", userId, options, ViewsStoreError);
  const { db, guard } = userDb;
  const write = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    guard();
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ViewsStoreError) throw e;
      throw new ViewsStoreError("write_failed", `Could not ${what}: ${errorText(e)}`);
    }
  };

  const checkName = (name: string): string => {
    const clean = cleanViewName(name);
    if (!clean) throw new ViewsStoreError("invalid_name", "Give the view a name.");
    if (clean.length > VIEW_NAME_MAX) {
      throw new ViewsStoreError("invalid_name", `A view name has at most ${VIEW_NAME_MAX} characters.`);
    }
    return clean;
  };
  const checkSpec = (spec: FilterSpec): FilterSpec => {
    const r = decodeFilterSpec(spec);
    if (!r.ok) throw new ViewsStoreError("invalid_spec", `This filter cannot be saved (${r.error}).`);
    return r.spec;
  };
  /** Valid records of this user, read inside `tx`. */
  const readAll = (store: Readable) => readUserRecords(store, userId, decodeViewRecord, "A saved view");
  const nameTaken = (records: ViewRecord[], name: string, exceptId: string | null) =>
    records.some((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase());

  await userDb.seedOnce(VIEWS_STORE, META_STORE, clock, async (views, t) => {
    const existing = await readAll(views);
    await Promise.all(
      EXAMPLE_VIEWS.filter((e) => !existing.records.some((r) => r.id === e.id || r.name === e.name)).map(
        (e, i) => {
          const rec: ViewRecord = {
            userId,
            id: e.id,
            name: e.name,
            spec: e.spec,
            createdAt: t + i,
            updatedAt: t + i,
          };
          return views.put(rec);
        },
      ),
    );
  });

  /** Read, check and write one view in a single transaction. */
  const change = (id: string, what: string, edit: (rec: ViewRecord, all: ViewRecord[]) => ViewRecord) =>
    write(what, async () => {
      const tx = db.transaction(VIEWS_STORE, "readwrite");
      const store = tx.store;
      const { records } = await readAll(store);
      const rec = records.find((r) => r.id === id);
      if (!rec) {
        tx.abort();
        await tx.done.catch(() => {});
        throw new ViewsStoreError("not_found", "This view no longer exists or cannot be read.");
      }
      let next: ViewRecord;
      try {
        next = edit(rec, records);
      } catch (e) {
        tx.abort();
        await tx.done.catch(() => {});
        throw e;
      }
      await store.put(next);
      await tx.done;
      return toView(next);
    });

  return {
    userId,
    async list() {
      const { records, problems } = await userDb.list(VIEWS_STORE, decodeViewRecord, "A saved view");
      return { views: records.map(toView), problems };
    },
    async save(name, spec) {
      const clean = checkName(name);
      const valid = checkSpec(spec);
      return write("save the view", async () => {
        const tx = db.transaction(VIEWS_STORE, "readwrite");
        const { records } = await readAll(tx.store);
        if (nameTaken(records, clean, null)) {
          tx.abort();
          await tx.done.catch(() => {});
          throw new ViewsStoreError(
            "name_taken",
            `A view named “${clean}” exists; overwrite it or pick another name.`,
          );
        }
        const t = clock();
        const rec: ViewRecord = { userId, id: newId(), name: clean, spec: valid, createdAt: t, updatedAt: t };
        await tx.store.put(rec);
        await tx.done;
        return toView(rec);
      });
    },
    async rename(id, name) {
      const clean = checkName(name);
      return change(id, "rename the view", (rec, all) => {
        if (nameTaken(all, clean, id)) {
          throw new ViewsStoreError("name_taken", `A view named “${clean}” exists; pick another name.`);
        }
        return { ...rec, name: clean, updatedAt: clock() };
      });
    },
    async overwrite(id, spec) {
      const valid = checkSpec(spec);
      return change(id, "overwrite the view", (rec) => ({ ...rec, spec: valid, updatedAt: clock() }));
    },
    remove: (id) => userDb.remove(VIEWS_STORE, id, "delete the view"),
    close: userDb.close,
  };
}
