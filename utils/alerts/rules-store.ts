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
  type OpenUserStoreOptions,
  openUserDb,
  RULES_STORE,
  recordDecoder,
  recordItem,
  type UserRecordProblem,
  type UserStoreBase,
  userRecordSchema,
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

/** A rule as stored: the rule's own fields plus its owner and times. */
export const RuleRecordSchema = userRecordSchema(RuleSchema.entries);
export type RuleRecord = v.InferOutput<typeof RuleRecordSchema>;

export type RuleProblem = UserRecordProblem;

export interface RulesList {
  /** Oldest first. */
  rules: Rule[];
  problems: RuleProblem[];
}

export interface RulesStore extends UserStoreBase {
  list(): Promise<RulesList>;
  save(rule: Rule): Promise<Rule>;
}

export type OpenRulesStoreOptions = OpenUserStoreOptions;

const decodeRecord = recordDecoder(RuleRecordSchema);

const toRule = (r: RuleRecord): Rule => recordItem(r);

export async function openRulesStore(
  userId: string,
  options: OpenRulesStoreOptions = {},
): Promise<RulesStore> {
  const clock = options.clock ?? Date.now;
  const userDb = await openUserDb("Alert rules", userId, options, RulesStoreError);
  const { db, guard } = userDb;

  return {
    userId,
    async list() {
      const { records, problems } = await userDb.list(RULES_STORE, decodeRecord, "An alert rule");
      return { rules: records.map(toRule), problems };
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
    remove: (id) => userDb.remove(RULES_STORE, id, "delete the rule"),
    close: userDb.close,
  };
}
