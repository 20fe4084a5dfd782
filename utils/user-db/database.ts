/**
 * The IndexedDB database behind saved views, and its migration path.
 *
 * Database `live-conversations`, schema version 3:
 *   - `views`: one record per saved view, key path `["userId", "id"]`, so each
 *     gateway user's views live under their own key range;
 *   - `meta`:  one record per user, key path `userId`: `{ userId, seededAt }`,
 *     written when the example views were created (so they come once);
 *   - `alert_rules` (version 2): one record per alert rule, key path
 *     `["userId", "id"]` like views (utils/alerts/rules-store.ts);
 *   - `canned_replies` (version 3): one record per canned reply, key path
 *     `["userId", "id"]`, and `canned_meta` (key path `userId`: `{ userId,
 *     seededAt }`) so the example replies come once (utils/canned-replies/).
 *
 * Adding a version: append a step to `MIGRATIONS` (index n = from n to n+1) and
 * raise `USER_DB_VERSION`. `upgrade` runs every step from the version on disk
 * to the current one, inside the versionchange transaction; a step that fails
 * aborts the transaction, so the database stays at its old version, intact.
 */
import { type DBSchema, type IDBPDatabase, type IDBPTransaction, wrap } from "idb";

export const USER_DB_NAME = "live-conversations";
export const VIEWS_STORE = "views";
export const META_STORE = "meta";
export const RULES_STORE = "alert_rules";
export const CANNED_STORE = "canned_replies";
export const CANNED_META_STORE = "canned_meta";

export interface UserDbSchema extends DBSchema {
  views: { key: [string, string]; value: unknown };
  meta: { key: string; value: unknown };
  alert_rules: { key: [string, string]; value: unknown };
  canned_replies: { key: [string, string]; value: unknown };
  canned_meta: { key: string; value: unknown };
}

export type UserDatabase = IDBPDatabase<UserDbSchema>;
export type UpgradeTx = IDBPTransaction<
  UserDbSchema,
  ("views" | "meta" | "alert_rules" | "canned_replies" | "canned_meta")[],
  "versionchange"
>;
/** One schema step. It may be async, but must only wait on requests of `tx`. */
export type Migration = (db: UserDatabase, tx: UpgradeTx) => void | Promise<void>;

export const MIGRATIONS: readonly Migration[] = [
  // 0 → 1: the first schema.
  (db) => {
    db.createObjectStore(VIEWS_STORE, { keyPath: ["userId", "id"] });
    db.createObjectStore(META_STORE, { keyPath: "userId" });
  },
  // 1 → 2: alert rules, per user, beside the views.
  (db) => {
    db.createObjectStore(RULES_STORE, { keyPath: ["userId", "id"] });
  },
  // 2 → 3: canned replies, per user, and when their examples were seeded (utils/canned-replies/).
  (db) => {
    db.createObjectStore(CANNED_STORE, { keyPath: ["userId", "id"] });
    db.createObjectStore(CANNED_META_STORE, { keyPath: "userId" });
  },
];

export const USER_DB_VERSION = MIGRATIONS.length;

export type OpenFailure = "unavailable" | "version_too_new" | "upgrade_failed" | "open_failed";

export class UserDatabaseError extends Error {
  constructor(
    readonly code: OpenFailure,
    message: string,
  ) {
    super(message);
    this.name = "UserDatabaseError";
  }
}

export interface OpenUserDatabaseOptions {
  idbFactory?: IDBFactory;
  name?: string;
  /** Tests of future versions hand in a longer list; the version is its length. */
  migrations?: readonly Migration[];
  /** Another connection wants a newer version: this one is closed, tell the user. */
  onClosedForUpgrade?: () => void;
}

export function openUserDatabase(options: OpenUserDatabaseOptions = {}): Promise<UserDatabase> {
  const factory = options.idbFactory ?? (typeof indexedDB === "undefined" ? undefined : indexedDB);
  const migrations = options.migrations ?? MIGRATIONS;
  const version = migrations.length;
  if (!factory) {
    return Promise.reject(
      new UserDatabaseError("unavailable", "This browser offers no IndexedDB, so views cannot be saved."),
    );
  }
  return new Promise<UserDatabase>((resolve, reject) => {
    let upgradeError: unknown = null;
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(options.name ?? USER_DB_NAME, version);
    } catch (e) {
      reject(new UserDatabaseError("open_failed", `Saved views could not be opened: ${errorText(e)}`));
      return;
    }
    request.onupgradeneeded = (event) => {
      const db = wrap(request.result) as unknown as UserDatabase;
      const tx = wrap(request.transaction as IDBTransaction) as unknown as UpgradeTx;
      // An aborted upgrade is reported through the open request; don't leave `done` unhandled.
      tx.done.catch(() => {});
      const fail = (e: unknown) => {
        upgradeError = e;
        try {
          tx.abort();
        } catch {
          // Already finished: the error below is still reported.
        }
      };
      // Synchronous steps run in the event handler itself; an async step's
      // successors wait for it (still inside the same transaction).
      const run = (step: number): Promise<void> | undefined => {
        for (let s = step; s < version; s++) {
          const r = migrations[s]?.(db, tx);
          if (r instanceof Promise) return r.then(() => run(s + 1));
        }
        return undefined;
      };
      try {
        run(event.oldVersion)?.catch(fail);
      } catch (e) {
        fail(e);
      }
    };
    request.onsuccess = () => {
      const raw = request.result;
      if (upgradeError) {
        raw.close();
        reject(
          new UserDatabaseError(
            "upgrade_failed",
            `Saved views could not be upgraded: ${errorText(upgradeError)}`,
          ),
        );
        return;
      }
      raw.onversionchange = () => {
        raw.close();
        options.onClosedForUpgrade?.();
      };
      resolve(wrap(raw) as unknown as UserDatabase);
    };
    request.onerror = (event) => {
      event.preventDefault();
      const err = request.error;
      if (upgradeError) {
        reject(
          new UserDatabaseError(
            "upgrade_failed",
            `Saved views could not be upgraded: ${errorText(upgradeError)}`,
          ),
        );
      } else if (err?.name === "VersionError") {
        reject(
          new UserDatabaseError(
            "version_too_new",
            "Saved views were written by a newer version of the extension; update it to see them.",
          ),
        );
      } else {
        reject(new UserDatabaseError("open_failed", `Saved views could not be opened: ${errorText(err)}`));
      }
    };
  });
}

export function errorText(e: unknown): string {
  if (e instanceof Error || e instanceof DOMException) return e.message || e.name;
  return String(e);
}
