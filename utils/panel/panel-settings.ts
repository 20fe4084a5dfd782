/**
 * The settings the panel itself follows (the hand-off waiting timer's
 * thresholds, which chips show), read from storage.local and followed as the
 * options page changes them. Stored input is validated by `parseSettings`.
 */
import { parseSettings, SETTINGS_KEY, type Settings } from "../settings";
import { type HandoffThresholds, thresholdsFromSettings } from "./handoff-timer";

export interface SettingsArea {
  get(key: string): Promise<Record<string, unknown>>;
}
export interface SettingsChanges {
  addListener(fn: (changes: Record<string, { newValue?: unknown }>, area: string) => void): void;
  removeListener(fn: (changes: Record<string, { newValue?: unknown }>, area: string) => void): void;
}

/** Calls `apply` with the stored thresholds now and after every change; returns the undo. */
export function followHandoffThresholds(
  local: SettingsArea,
  onChanged: SettingsChanges,
  apply: (t: HandoffThresholds) => void,
): () => void {
  return followSettings(local, onChanged, (s) => apply(thresholdsFromSettings(s)));
}

/** Calls `apply` with the stored settings now and after every change; returns the undo. */
export function followSettings(
  local: SettingsArea,
  onChanged: SettingsChanges,
  apply: (s: Settings) => void,
): () => void {
  let live = true;
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (live && area === "local" && SETTINGS_KEY in changes)
      apply(parseSettings(changes[SETTINGS_KEY]?.newValue));
  };
  onChanged.addListener(listener);
  local.get(SETTINGS_KEY).then(
    (stored) => {
      if (live) apply(parseSettings(stored[SETTINGS_KEY]));
    },
    () => undefined,
  );
  return () => {
    live = false;
    onChanged.removeListener(listener);
  };
}
