/** The display preferences (chip thresholds, voice confidence), provided by the panel root from the settings. */
import { type ReadonlySignal, signal } from "@preact/signals";
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { DEFAULT_DISPLAY_PREFS, type DisplayPrefs } from "@/utils/panel";

export const DisplayPrefsContext = createContext<ReadonlySignal<DisplayPrefs>>(signal(DEFAULT_DISPLAY_PREFS));

/** The current preferences; the calling component re-renders when they change. */
export function useDisplayPrefs(): DisplayPrefs {
  return useContext(DisplayPrefsContext).value;
}
