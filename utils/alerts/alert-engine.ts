/**
 * Alert rules in the worker: the last rule set a panel sent (kept in
 * storage.local under `lc_alerts` with the sound preferences and unacknowledged
 * alerts, so rules keep firing while no panel is open and after a worker or
 * browser restart; docs/alerts.md "Storage"), evaluated on
 * every applied event, and what a firing does — the alert centre (toast and
 * highlight reach the panels in `init`/`patch`), the badge, a desktop
 * notification, the sound. The per-event cost with no rule, or no match, is a
 * field read and a switch (see utils/alerts/evaluator.ts).
 */
import * as v from "valibot";
import type { KeyValueStorage } from "../platform/kv-storage";
import type { EventFrame } from "../protocol";
import { Id } from "../protocol";
import type { ChangeSet } from "../store/change-set";
import { type AlertCenter, createAlertCenter } from "./alert-center";
import {
  type Alert,
  type AlertMessage,
  AlertSchema,
  SoundPrefsSchema,
  type SoundState,
} from "./alert-schema";
import { type AlertSound, createAlertSound, type SoundApi } from "./alert-sound";
import { createDedupe, createEvaluator, type Evaluator } from "./evaluator";
import { type Rule, RulesSchema } from "./rule-schema";

export const ALERTS_KEY = "lc_alerts";
const SAVE_DELAY_MS = 250;
const FIRED_KEEP = 1000;

const Persisted = v.object({
  v: v.literal(1),
  user_id: v.nullable(Id),
  rules: RulesSchema,
  sound: SoundPrefsSchema,
  alerts: v.array(AlertSchema),
  /** The newest firing keys: a replayed event does not fire again after a restart. */
  fired: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(500))), v.maxLength(FIRED_KEEP)), []),
});
type Persisted = v.InferOutput<typeof Persisted>;

export interface AlertEngineOptions {
  storage: KeyValueStorage;
  changes: ChangeSet;
  /** A firing whose rule chose a desktop notification. */
  notify?(alert: Alert): void;
  /** The alerts changed (so may the badge-counted sessions). */
  badgeChanged?(): void;
  sound?: SoundApi | null;
  clock?: () => number;
}

export interface AlertEngine {
  restore(): Promise<void>;
  /** Hot path: every applied event. */
  event(e: EventFrame): void;
  message(m: AlertMessage): void;
  alerts(): Alert[];
  /** Sessions with an unacknowledged alert whose rule chose the badge. */
  badgeSessions(): ReadonlySet<string>;
  sound(): SoundState;
  /** The player's report (offscreen document). */
  soundReport(playing: boolean, detail?: string): void;
  /** Writes rules, preferences and alerts to storage now (a pending write is folded in). */
  flush(): Promise<void>;
  readonly rules: readonly Rule[];
  readonly fired: number;
  dispose(): void;
}

export function createAlertEngine(opts: AlertEngineOptions): AlertEngine {
  const clock = opts.clock ?? Date.now;
  const dedupe = createDedupe();
  const center: AlertCenter = createAlertCenter();
  let rules: Rule[] = [];
  let userId: string | null = null;
  let evaluator: Evaluator = createEvaluator([], dedupe);
  let fired = 0;
  let errors = 0;
  let disposed = false;
  const sound: AlertSound = createAlertSound({
    api: opts.sound ?? null,
    clock,
    onChange: () => opts.changes.mark("sound"),
  });

  // Written at most every SAVE_DELAY_MS (a burst of firings is one write), in order.
  let writing: Promise<void> = Promise.resolve();
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  function writeNow(): Promise<void> {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    const value: Persisted = {
      v: 1,
      user_id: userId,
      rules,
      sound: sound.prefs,
      alerts: center.list(),
      fired: dedupe.recent(FIRED_KEEP),
    };
    writing = writing.then(
      () => opts.storage.set(ALERTS_KEY, value),
      () => opts.storage.set(ALERTS_KEY, value),
    );
    return writing.catch(() => undefined);
  }
  function save(): void {
    if (!disposed && saveTimer === undefined) saveTimer = setTimeout(() => void writeNow(), SAVE_DELAY_MS);
  }

  center.onChange(() => {
    opts.changes.mark("alerts");
    opts.badgeChanged?.();
    save();
  });

  function setRules(next: Rule[]): void {
    rules = next;
    evaluator = createEvaluator(rules, dedupe);
  }

  return {
    async restore() {
      const r = v.safeParse(Persisted, await opts.storage.get(ALERTS_KEY).catch(() => undefined));
      if (!r.success) return;
      userId = r.output.user_id;
      setRules(r.output.rules);
      sound.setPrefs(r.output.sound);
      for (const k of r.output.fired) dedupe.first(k);
      for (const a of r.output.alerts) dedupe.first(a.id);
      center.restore(r.output.alerts);
    },
    event(e) {
      if (evaluator.ruleCount === 0) return;
      let firings: ReturnType<Evaluator["evaluate"]>;
      try {
        firings = evaluator.evaluate(e);
      } catch (err) {
        // A rule must never stop ingest: count it, say why once, go on.
        errors++;
        if (errors === 1) console.warn("alert rules: evaluation failed", err);
        return;
      }
      if (firings === null) return;
      const at = clock();
      for (const f of firings) {
        fired++;
        const alert = center.add(f, at);
        if (f.actions.includes("notification")) opts.notify?.(alert);
        if (f.actions.includes("sound")) sound.alert(f.repeat_until_ack);
      }
    },
    message(m) {
      if (m.type === "alert_rules") {
        userId = m.user_id;
        setRules(m.rules);
        save();
      } else if (m.type === "sound_prefs") {
        sound.setPrefs({ enabled: m.enabled, muted_until: m.muted_until });
        save();
      } else {
        const removed = center.ack(
          m.all
            ? { all: true }
            : m.session_id
              ? { session_id: m.session_id }
              : { alert_ids: m.alert_ids ?? [] },
        );
        if (removed.length > 0) sound.settle(center.repeatingSound());
      }
    },
    alerts: () => center.list(),
    badgeSessions: () => center.sessionsWith("badge"),
    sound: () => sound.state(),
    soundReport: (playing, detail) => sound.report(playing, detail),
    get rules() {
      return rules;
    },
    get fired() {
      return fired;
    },
    flush: writeNow,
    dispose() {
      disposed = true;
      clearTimeout(saveTimer);
    },
  };
}
