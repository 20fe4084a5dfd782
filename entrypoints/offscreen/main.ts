import { browser } from "wxt/browser";
/**
 * The MV3 offscreen document (reason AUDIO_PLAYBACK) that plays the alert
 * sound for the background worker, which has no audio of its own. It only
 * obeys validated messages addressed to it, and reports its state back.
 */
import { createBeeper } from "@/utils/alerts/beeper";
import { decodeToPlayer, WORKER_TARGET } from "@/utils/alerts/sound-messages";

const beeper = createBeeper({
  onState: (playing, detail) => {
    void browser.runtime
      .sendMessage({ target: WORKER_TARGET, type: "sound_state", playing, ...(detail ? { detail } : {}) })
      .catch(() => undefined);
  },
});

browser.runtime.onMessage.addListener((raw: unknown) => {
  const m = decodeToPlayer(raw);
  if (!m) return undefined;
  if (m.type === "play") void beeper.play(m.repeat);
  else beeper.stop();
  return undefined;
});
