/**
 * The toolbar button (and its keyboard command) opens the panel. Chrome: the
 * side panel, via `openPanelOnActionClick` (Chrome runs `_execute_action`
 * the same way). Firefox MV2: a browser action without a popup only fires
 * `browserAction.onClicked`, so the sidebar is toggled from there —
 * synchronously, while the click still counts as a user action
 * (`sidebarAction.open/toggle` refuse otherwise). A program cannot open either
 * panel without such a gesture.
 */

interface Listenable<F> {
  addListener(fn: F): void;
}

/** The slices of the browser APIs used here (Chrome's `chrome`, Firefox's `browser`). */
export interface PanelOpenerApis {
  sidePanel?: { setPanelBehavior?(behavior: { openPanelOnActionClick: boolean }): Promise<void> };
  browserAction?: { onClicked: Listenable<() => void> };
  sidebarAction?: { toggle?(): Promise<void>; open?(): Promise<void> };
}

function fromGlobals(): PanelOpenerApis {
  const g = globalThis as { chrome?: PanelOpenerApis; browser?: PanelOpenerApis };
  return {
    sidePanel: g.chrome?.sidePanel,
    browserAction: g.browser?.browserAction ?? g.chrome?.browserAction,
    sidebarAction: g.browser?.sidebarAction,
  };
}

/** Wires the toolbar button to the panel in whichever browser this is. Call it synchronously at startup. */
export function installSidePanelOpener(
  apis: PanelOpenerApis = fromGlobals(),
): "side_panel" | "sidebar" | "none" {
  if (apis.sidePanel?.setPanelBehavior) {
    void apis.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => undefined);
    return "side_panel";
  }
  const sidebar = apis.sidebarAction;
  if (apis.browserAction && (sidebar?.toggle || sidebar?.open)) {
    apis.browserAction.onClicked.addListener(() => {
      const opened = sidebar.toggle ? sidebar.toggle() : sidebar.open?.();
      void opened?.catch(() => undefined);
    });
    return "sidebar";
  }
  return "none";
}
