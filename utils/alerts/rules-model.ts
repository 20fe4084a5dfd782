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
import { batch, createModel, effect, type ReadonlySignal, signal } from "@preact/signals";
import type { Rule } from "./rule-schema";
import { openRulesStore, type RuleProblem, type RulesStore, RulesStoreError } from "./rules-store";

export type RulesStatus = "signed_out" | "loading" | "ready" | "error";

export interface RulesModelDeps {
  userId: ReadonlySignal<string | null>;
  /** Hands the current rule set to the worker. */
  send(userId: string, rules: readonly Rule[]): void;
  open?: (userId: string) => Promise<RulesStore>;
}

const message = (e: unknown) =>
  e instanceof RulesStoreError
    ? e.message
    : `Alert rules failed: ${e instanceof Error ? e.message : String(e)}`;

export const RulesModel = createModel((deps: RulesModelDeps) => {
  const open = deps.open ?? ((id: string) => openRulesStore(id));
  const status = signal<RulesStatus>("signed_out");
  const rules = signal<readonly Rule[]>([]);
  const problems = signal<readonly RuleProblem[]>([]);
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);
  let store: RulesStore | null = null;
  let generation = 0;

  const refresh = async (s: RulesStore, gen: number) => {
    const r = await s.list();
    if (gen !== generation) return;
    batch(() => {
      rules.value = r.rules;
      problems.value = r.problems;
      status.value = "ready";
      error.value = null;
    });
    deps.send(s.userId, r.rules);
  };

  effect(() => {
    const uid = deps.userId.value;
    const gen = ++generation;
    batch(() => {
      rules.value = [];
      problems.value = [];
      notice.value = null;
      error.value = null;
      status.value = uid ? "loading" : "signed_out";
    });
    if (uid) {
      open(uid)
        .then(async (s) => {
          if (gen !== generation) {
            s.close();
            return;
          }
          store = s;
          await refresh(s, gen);
        })
        .catch((e: unknown) => {
          if (gen !== generation) return;
          batch(() => {
            status.value = "error";
            error.value = message(e);
          });
        });
    }
    return () => {
      generation++;
      store?.close();
      store = null;
    };
  });

  const run = async (fn: (s: RulesStore) => Promise<unknown>): Promise<boolean> => {
    const s = store;
    const gen = generation;
    if (!s) {
      notice.value = error.value ?? "Alert rules are not available yet.";
      return false;
    }
    let ok = false;
    try {
      await fn(s);
      notice.value = null;
      ok = true;
    } catch (e) {
      if (gen === generation) notice.value = message(e);
    }
    try {
      if (gen === generation) await refresh(s, gen);
    } catch (e) {
      if (gen === generation) notice.value = message(e);
    }
    return ok;
  };

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
      const s = store;
      if (s && status.peek() === "ready") deps.send(s.userId, rules.peek());
    },
  };
});

export type RulesModel = InstanceType<typeof RulesModel>;

export function createRulesModel(deps: RulesModelDeps): RulesModel {
  return new RulesModel(deps);
}
