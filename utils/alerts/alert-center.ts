/**
 * The alerts that fired and wait for a supervisor: added by the worker when
 * a rule fires, removed when acknowledged (one alert, every alert of a
 * session, or all). Bounded: past `limit` the oldest is dropped. Derived
 * figures (sessions to count in the badge, whether a repeating sound is
 * owed) are recomputed only when the set changes.
 */

import type { Alert } from "./alert-schema";
import type { Firing } from "./evaluator";
import type { AlertAction } from "./rule-schema";

export type AckTarget = { alert_ids: readonly string[] } | { session_id: string } | { all: true };

export interface AlertCenter {
  add(firing: Firing, at: number): Alert;
  /** Removes the targeted alerts; returns those removed. */
  ack(target: AckTarget): Alert[];
  /** Active alerts, oldest first. */
  list(): Alert[];
  readonly size: number;
  /** Sessions with an active alert whose rule chose this action. */
  sessionsWith(action: AlertAction): ReadonlySet<string>;
  /** An active alert asks for sound until acknowledged. */
  repeatingSound(): boolean;
  restore(alerts: readonly Alert[]): void;
  onChange(cb: () => void): () => void;
}

export function createAlertCenter(limit = 200): AlertCenter {
  const active = new Map<string, Alert>();
  const listeners = new Set<() => void>();
  let derived: Map<AlertAction, Set<string>> | null = null;

  function changed(): void {
    derived = null;
    for (const cb of listeners) cb();
  }

  function derive(): Map<AlertAction, Set<string>> {
    if (derived) return derived;
    const d = new Map<AlertAction, Set<string>>();
    for (const a of active.values()) {
      if (a.session_id === null) continue;
      for (const act of a.actions) {
        let set = d.get(act);
        if (!set) {
          set = new Set();
          d.set(act, set);
        }
        set.add(a.session_id);
      }
    }
    derived = d;
    return d;
  }

  const EMPTY: ReadonlySet<string> = new Set();

  return {
    add(f, at) {
      const alert: Alert = {
        id: f.key,
        rule_id: f.rule_id,
        rule_name: f.rule_name,
        session_id: f.session_id,
        why: f.why,
        actions: [...f.actions],
        repeat_until_ack: f.repeat_until_ack,
        at,
        ...(f.message_id === undefined ? {} : { message_id: f.message_id }),
      };
      active.delete(alert.id);
      active.set(alert.id, alert);
      while (active.size > limit) {
        const oldest = active.keys().next().value;
        if (oldest === undefined) break;
        active.delete(oldest);
      }
      changed();
      return alert;
    },
    ack(target) {
      const removed: Alert[] = [];
      for (const a of [...active.values()]) {
        const hit =
          "all" in target
            ? true
            : "session_id" in target
              ? a.session_id === target.session_id
              : target.alert_ids.includes(a.id);
        if (hit) {
          active.delete(a.id);
          removed.push(a);
        }
      }
      if (removed.length > 0) changed();
      return removed;
    },
    list: () => [...active.values()],
    get size() {
      return active.size;
    },
    sessionsWith: (action) => derive().get(action) ?? EMPTY,
    repeatingSound() {
      for (const a of active.values()) if (a.repeat_until_ack && a.actions.includes("sound")) return true;
      return false;
    },
    restore(alerts) {
      active.clear();
      for (const a of alerts.slice(-limit)) active.set(a.id, a);
      changed();
    },
    onChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
