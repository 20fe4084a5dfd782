/**
 * The alert-rules model for the panel: the signed-in user's rules from
 * IndexedDB in signals, actions that change them, and every loaded or changed
 * set handed to the worker (which evaluates them, also while no panel is open).
 *
 *   const rules = createRulesModel({ userId, send: (userId, rules) => panel.postAlerts(…) });
 *   rules.rules.value; await rules.save(rule); await rules.remove(id); await rules.setEnabled(id, false);
 *
 * Mirrors the saved-views model: (re)opened when the user changes; `status`,
 * `error` (the database cannot be used), `problems` (records skipped),
 * `notice` (the last action refused).
 */
import { createModel, type ReadonlySignal } from "@preact/signals";
import { createUserStoreSession, type UserStoreStatus } from "../user-db";
import type { Rule } from "./rule-schema";
import { openRulesStore, type RuleProblem, type RulesStore, RulesStoreError } from "./rules-store";

export type RulesStatus = UserStoreStatus;

export interface RulesModelDeps {
  userId: ReadonlySignal<string | null>;
  /** Hands the current rule set to the worker. */
  send(userId: string, rules: readonly Rule[]): void;
  open?: (userId: string) => Promise<RulesStore>;
}

export const RulesModel = createModel((deps: RulesModelDeps) => {
  const session = createUserStoreSession<RulesStore, Rule>({
    userId: deps.userId,
    open: deps.open ?? ((id: string) => openRulesStore(id)),
    load: async (s) => {
      const r = await s.list();
      return { items: r.rules, problems: r.problems };
    },
    label: "Alert rules",
    StoreError: RulesStoreError,
    onLoaded: (s, rules) => deps.send(s.userId, rules),
  });
  const { status, items: rules, error, notice } = session;
  const problems: ReadonlySignal<readonly RuleProblem[]> = session.problems;
  const run = async (fn: (s: RulesStore) => Promise<unknown>): Promise<boolean> => (await session.run(fn)).ok;

  return {
    status,
    rules,
    problems,
    error,
    notice,
    /** Creates or replaces a rule (validated by the store). */
    save(rule: Rule) {
      return run((s) => s.save(rule));
    },
    remove(id: string) {
      return run((s) => s.remove(id));
    },
    setEnabled(id: string, enabled: boolean) {
      const rule = rules.peek().find((r) => r.id === id);
      if (!rule) return Promise.resolve(false);
      return run((s) => s.save({ ...rule, enabled }));
    },
    dismissNotice() {
      notice.value = null;
    },
    /** Sends the loaded rules to the worker again (it restarted, or the panel reconnected). */
    resend() {
      const s = session.current();
      if (s && status.peek() === "ready") deps.send(s.userId, rules.peek());
    },
  };
});

export type RulesModel = InstanceType<typeof RulesModel>;

export function createRulesModel(deps: RulesModelDeps): RulesModel {
  return new RulesModel(deps);
}
