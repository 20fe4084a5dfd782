/**
 * The worker's settings: read once when the worker starts, then followed
 * through storage.onChanged. The read's answer and a change can arrive in
 * either order — a test or the options page writes the settings while the
 * worker starts — and a change delivered first is newer than what the read
 * saw, so the read is then dropped. Building from it would leave the worker
 * on the older settings (e.g. the defaults) until the next change.
 */
import { parseSettings, type Settings, workerSettingsDiffer } from "../settings";

export interface SettingsFollowerDeps {
  /** Reads the stored settings value (unparsed) once. */
  read(): Promise<unknown>;
  /** (Re)builds the worker for `next`; `previous` is what it ran on before (null the first time). */
  apply(next: Settings, previous: Settings | null): Promise<void>;
}

export interface SettingsFollower {
  /** Settles once the first settings are applied. */
  readonly ready: Promise<void>;
  /** The stored value changed (storage.onChanged's `newValue`, unparsed). */
  changed(raw: unknown): void;
  /** The settings the worker runs on, null before the first are known. */
  readonly current: Settings | null;
}

export function createSettingsFollower(deps: SettingsFollowerDeps): SettingsFollower {
  let current: Settings | null = null;
  let applied: Promise<void> = Promise.resolve();

  function use(next: Settings): Promise<void> {
    const previous = current;
    current = next;
    applied = deps.apply(next, previous);
    return applied;
  }

  const ready = deps.read().then((raw) => (current ? applied : use(parseSettings(raw))));

  return {
    ready,
    changed(raw) {
      const next = parseSettings(raw);
      // Only the panel's settings changed (e.g. the hand-off timer's thresholds): no reconnect.
      if (current && !workerSettingsDiffer(current, next)) return;
      void use(next);
    },
    get current() {
      return current;
    },
  };
}
