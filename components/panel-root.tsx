/**
 * The panel's root: creates the panel (`createPanel`: the slices, the link to
 * the worker and the user's stores, disposed with the component), follows the
 * settings the panel reads, and renders the app.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { FilterPersistence } from "@/utils/filters";
import {
  DEFAULT_DISPLAY_PREFS,
  type DisplayPrefs,
  type HandoffThresholds,
  type PanelOptions,
  type PanelPort,
  usePanel,
} from "@/utils/panel";
import { App } from "./app";
import { DisplayPrefsContext } from "./display-prefs";

export function PanelRoot({
  makePort,
  openOptions,
  options,
  initialFocus,
  followThresholds,
  followDisplayPrefs,
  filterStorage,
}: {
  makePort: () => PanelPort;
  /** Where the active filter is kept across panel reloads (`storage.session`). */
  filterStorage: FilterPersistence;
  /** Follows the stored hand-off timer thresholds (settings); returns the undo. */
  followThresholds?: (apply: (t: HandoffThresholds) => void) => () => void;
  /** Follows the stored chip thresholds and voice confidence threshold (settings); returns the undo. */
  followDisplayPrefs?: (apply: (p: DisplayPrefs) => void) => () => void;
  openOptions: () => void;
  options?: PanelOptions;
  /** A session to show first (a notification was clicked before the panel opened). */
  initialFocus?: Promise<string | null>;
}) {
  const panel = usePanel(makePort, { ...options, userStores: { filterStorage } });
  const stores = panel.userStores();
  useEffect(() => {
    let live = true;
    void initialFocus?.then((id) => {
      if (live && id && panel.conversation.selectedId.peek() === null) panel.conversation.open(id);
    });
    return () => {
      live = false;
    };
  }, [panel]);
  useEffect(() => followThresholds?.((t) => panel.setHandoffThresholds(t)), [panel]);
  const displayPrefs = useSignal(DEFAULT_DISPLAY_PREFS);
  useEffect(
    () =>
      followDisplayPrefs?.((p) => {
        displayPrefs.value = p;
      }),
    [displayPrefs],
  );
  return (
    <DisplayPrefsContext.Provider value={displayPrefs}>
      <App
        panel={panel}
        openOptions={openOptions}
        filters={stores?.filters}
        alertRules={stores?.alertRules}
        canned={stores?.canned}
      />
    </DisplayPrefsContext.Provider>
  );
}
