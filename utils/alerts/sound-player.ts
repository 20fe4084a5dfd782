/**
 * Where the worker's alert sound plays. Chrome MV3: an offscreen document
 * (reason AUDIO_PLAYBACK), created on first use and reused, spoken to with
 * runtime messages; it reports its state back (see entrypoints/offscreen/).
 * Firefox MV2 has no offscreen API, but its background is a page with
 * WebAudio: the beeper runs right there. Neither: null (the panel says so).
 */
import type { PlatformApis } from "../platform/browser-apis";
import type { SoundApi } from "./alert-sound";
import { createBeeper } from "./beeper";
import { OFFSCREEN_TARGET, type ToPlayer } from "./sound-messages";

export const OFFSCREEN_PATH = "offscreen.html";

/** The browser slices the player uses; the worker's entry passes them (`runtime` is `browser.runtime`). */
export interface SoundPlayerApis extends Pick<PlatformApis, "offscreen" | "contexts"> {
  runtime?: { getURL(path: string): string; sendMessage(message: ToPlayer): Promise<unknown> };
}

export function createSoundPlayer(
  report: (playing: boolean, detail?: string) => void,
  apis: SoundPlayerApis,
): SoundApi | null {
  const { offscreen, contexts, runtime } = apis;
  if (offscreen && runtime) {
    let creating: Promise<void> | null = null;
    const url = runtime.getURL(`/${OFFSCREEN_PATH}`);
    const ensure = async () => {
      const open = await contexts?.getContexts?.({
        contextTypes: ["OFFSCREEN_DOCUMENT"],
        documentUrls: [url],
      });
      if (open && open.length > 0) return;
      creating ??= offscreen
        .createDocument({
          url: OFFSCREEN_PATH,
          reasons: ["AUDIO_PLAYBACK"],
          justification: "Plays the alert sound the supervisor turned on for their alert rules.",
        })
        .finally(() => {
          creating = null;
        });
      await creating;
    };
    const send = (m: ToPlayer) => runtime.sendMessage(m);
    return {
      async play(repeat) {
        await ensure();
        await send({ target: OFFSCREEN_TARGET, type: "play", repeat });
      },
      async stop() {
        const open = await contexts?.getContexts?.({
          contextTypes: ["OFFSCREEN_DOCUMENT"],
          documentUrls: [url],
        });
        if (open && open.length === 0) return;
        await send({ target: OFFSCREEN_TARGET, type: "stop" });
      },
    };
  }
  if (typeof AudioContext !== "undefined") {
    const beeper = createBeeper({ onState: report });
    return { play: (repeat) => beeper.play(repeat), stop: () => beeper.stop() };
  }
  return null;
}
