/**
 * Alert rules of one gateway user, in IndexedDB beside the saved views
 * (database `live-conversations`, object store `alert_rules`, key
 * `[userId, id]`; see utils/user-db/database.ts for the migrations).
 *
 *   const store = await openRulesStore(user.id);        // throws RulesStoreError
 *   const { rules, problems } = await store.list();     // bad records → problems, the others load
 *   await store.save(rule);                             // create or replace (validated)
 *   await store.remove(rule.id);                        // also removes an unreadable record
 *   store.close();
 *
 * Every record is validated on read: IndexedDB content is as untrusted as
 * the network. Other users' rules are never read or touched.
 */
import * as v from "valibot";
import {
  errorText,
  type OpenUserDatabaseOptions,
  openUserDb,
  type RecordDecode,
  RULES_STORE,
  readUserRecords,
  type UserRecordProblem,
} from "../user-db";
import { decodeRule, type Rule, RuleSchema } from "./rule-schema";

export type RulesErrorCode =
  | "unavailable"
  | "version_too_new"
  | "upgrade_failed"
  | "open_failed"
  | "closed"
  | "invalid_rule"
  | "write_failed";

export class RulesStoreError extends Error {
  constructor(
    readonly code: RulesErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "RulesStoreError";
  }
}

const Stamp = v.pipe(v.number(), v.integer(), v.minValue(0));
/** A rule as stored: the rule's own fields plus its owner and times. */
export const RuleRecordSchema = v.object({
  ...RuleSchema.entries,
  userId: v.pipe(v.string(), v.minLength(1)),
  createdAt: Stamp,
  updatedAt: Stamp,
});
export type RuleRecord = v.InferOutput<typeof RuleRecordSchema>;

export type RuleProblem = UserRecordProblem;

export interface RulesList {
  /** Oldest first. */
  rules: Rule[];
  problems: RuleProblem[];
}

export interface RulesStore {
  readonly userId: string;
  list(): Promise<RulesList>;
  save(rule: Rule): Promise<Rule>;
  remove(id: string): Promise<void>;
  close(): void;
}

export interface OpenRulesStoreOptions extends OpenUserDatabaseOptions {
  clock?: () => number;
}

function decodeRecord(value: unknown): ReturnType<RecordDecode<RuleRecord>> {
  const r = v.safeParse(RuleRecordSchema, value);
  if (r.success) return { ok: true, record: r.output };
  const issue = r.issues[0];
  const path = v.getDotPath(issue);
  return { ok: false, message: `${path ? `${path}: ` : ""}${issue.message}` };
}

function toRule(r: RuleRecord): Rule {
  const { userId: _u, createdAt: _c, updatedAt: _m, ...rule } = r;
  return rule;
}

export async function openRulesStore(
  userId: string,
  options: OpenRulesStoreOptions = {},
): Promise<RulesStore> {
  if (!userId) throw new RulesStoreError("open_failed", "Alert rules need a signed-in user.");
  const clock = options.clock ?? Date.now;
  const { db, guard, close } = await openUserDb(
    "Alert rules",
    options,
    (code, message) => new RulesStoreError(code, message),
  );
  const readAll = () =>
    readUserRecords(db.transaction(RULES_STORE).store, userId, decodeRecord, "An alert rule");

  return {
    userId,
    async list() {
      guard();
      try {
        const { records, problems } = await readAll();
        return { rules: records.map(toRule), problems };
      } catch (e) {
        throw new RulesStoreError("open_failed", `Alert rules could not be read: ${errorText(e)}`);
      }
    },
    async save(input) {
      guard();
      const d = decodeRule(input);
      if (!d.ok)
        throw new RulesStoreError(
          "invalid_rule",
          `This rule cannot be saved (${d.path ? `${d.path}: ` : ""}${d.message}).`,
        );
      try {
        const tx = db.transaction(RULES_STORE, "readwrite");
        const prev = v.safeParse(RuleRecordSchema, await tx.store.get([userId, d.rule.id]));
        const t = clock();
        const rec: RuleRecord = {
          ...d.rule,
          userId,
          createdAt: prev.success ? prev.output.createdAt : t,
          updatedAt: t,
        };
        await tx.store.put(rec);
        await tx.done;
        return d.rule;
      } catch (e) {
        throw new RulesStoreError("write_failed", `Could not save the rule: ${errorText(e)}`);
      }
    },
    async remove(id) {
      guard();
      try {
        const tx = db.transaction(RULES_STORE, "readwrite");
        await tx.store.delete([userId, id]);
        await tx.done;
      } catch (e) {
        throw new RulesStoreError("write_failed", `Could not delete the rule: ${errorText(e)}`);
      }
    },
    close,
  };
}
