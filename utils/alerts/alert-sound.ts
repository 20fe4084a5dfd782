/**
 * The alert sound, as the worker decides it: nothing plays until the user
 * turned sound on in the panel (a user gesture), nothing plays while muted
 * (until a chosen time), a rule with `repeat_until_ack` keeps it going until
 * every such alert is acknowledged. Playing itself is the `SoundApi`'s job:
 * an offscreen document in Chrome MV3, the background page in Firefox MV2
 * (see background-main.ts and entrypoints/offscreen/).
 */

import type { SoundPrefs, SoundState } from "./alert-schema";

export interface SoundApi {
  /** Plays the alert sound once, or over and over until `stop`. */
  play(repeat: boolean): Promise<void> | void;
  stop(): Promise<void> | void;
}

export interface AlertSound {
  readonly prefs: SoundPrefs;
  setPrefs(prefs: SoundPrefs): void;
  /** An alert with the sound action fired. */
  alert(repeat: boolean): void;
  /** Alerts were acknowledged: stop the sound unless a repeating one is still owed. */
  settle(repeatOwed: boolean): void;
  /** What the player reports (offscreen document → worker). */
  report(playing: boolean, detail?: string): void;
  state(): SoundState;
}

export interface AlertSoundOptions {
  api: SoundApi | null;
  clock?: () => number;
  onChange?: () => void;
}

export function createAlertSound(opts: AlertSoundOptions): AlertSound {
  const clock = opts.clock ?? Date.now;
  let prefs: SoundPrefs = { enabled: false, muted_until: null };
  let playing = false;
  let repeating = false;
  let detail: string | undefined = opts.api ? undefined : "This browser cannot play alert sounds.";

  const muted = () => prefs.muted_until !== null && clock() < prefs.muted_until;
  const changed = () => opts.onChange?.();
  const call = (fn: () => Promise<void> | void) => {
    try {
      void Promise.resolve(fn()).catch((e: unknown) => {
        detail = `The alert sound could not play: ${e instanceof Error ? e.message : String(e)}`;
        playing = false;
        changed();
      });
    } catch (e) {
      detail = `The alert sound could not play: ${e instanceof Error ? e.message : String(e)}`;
      changed();
    }
  };
  function stop(): void {
    if (!opts.api) return;
    repeating = false;
    const api = opts.api;
    call(() => api.stop());
  }

  return {
    get prefs() {
      return prefs;
    },
    setPrefs(next) {
      prefs = { enabled: next.enabled, muted_until: next.muted_until };
      if (!prefs.enabled || muted()) stop();
      changed();
    },
    alert(repeat) {
      const api = opts.api;
      if (!api || !prefs.enabled || muted()) return;
      if (repeating) return; // already going until acknowledged
      repeating = repeat;
      call(() => api.play(repeat));
    },
    settle(repeatOwed) {
      // Even when this worker did not start it: a restarted worker may inherit a sound still playing.
      if (!repeatOwed) stop();
    },
    report(isPlaying, why) {
      playing = isPlaying;
      if (!isPlaying) repeating = false;
      if (why !== undefined) detail = why;
      changed();
    },
    state() {
      return {
        enabled: prefs.enabled,
        muted_until: muted() ? prefs.muted_until : null,
        playing,
        ...(detail === undefined ? {} : { detail }),
      };
    },
  };
}
