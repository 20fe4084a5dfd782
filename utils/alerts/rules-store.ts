/**
 * Alert rules of one gateway user, in IndexedDB beside the saved views
 * (database `live-conversations`, object store `alert_rules`, key
 * `[userId, id]`; see utils/saved-views/views-db.ts for the migrations).
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
  type OpenViewsDbOptions,
  openViewsDb,
  RULES_STORE,
  type ViewsDb,
  ViewsDbError,
} from "../saved-views/views-db";
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

export interface RuleProblem {
  /** The record's id when its key could be read. */
  id: string | null;
  message: string;
}

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

export interface OpenRulesStoreOptions extends OpenViewsDbOptions {
  clock?: () => number;
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
  let closed = false;
  let db: ViewsDb;
  try {
    db = await openViewsDb({
      ...options,
      onClosedForUpgrade: () => {
        closed = true;
        options.onClosedForUpgrade?.();
      },
    });
  } catch (e) {
    if (e instanceof ViewsDbError)
      throw new RulesStoreError(e.code, e.message.replace(/^Saved views/, "Alert rules"));
    throw new RulesStoreError("open_failed", `Alert rules could not be opened: ${errorText(e)}`);
  }
  const range = IDBKeyRange.bound([userId], [userId, []]);
  const guard = () => {
    if (closed)
      throw new RulesStoreError("closed", "Alert rules were upgraded by a newer panel; reopen this panel.");
  };

  const readAll = async (): Promise<{ records: RuleRecord[]; problems: RuleProblem[] }> => {
    const tx = db.transaction(RULES_STORE);
    const [keys, values] = await Promise.all([tx.store.getAllKeys(range), tx.store.getAll(range)]);
    const records: RuleRecord[] = [];
    const problems: RuleProblem[] = [];
    values.forEach((value, i) => {
      const key = keys[i];
      const id = Array.isArray(key) && typeof key[1] === "string" ? key[1] : null;
      const r = v.safeParse(RuleRecordSchema, value);
      if (!r.success) {
        const issue = r.issues[0];
        const path = v.getDotPath(issue);
        problems.push({
          id,
          message: `An alert rule is unreadable and was skipped (${path ? `${path}: ` : ""}${issue.message}).`,
        });
      } else if (r.output.userId !== userId || r.output.id !== id) {
        problems.push({ id, message: "An alert rule is filed under the wrong key and was skipped." });
      } else records.push(r.output);
    });
    records.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    return { records, problems };
  };

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
    close() {
      closed = true;
      db.close();
    },
  };
}
