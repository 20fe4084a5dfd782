/**
 * Opening the panel, written once for both browsers.
 *
 * The toolbar button (and its keyboard command) opens the panel. Chrome: the
 * side panel, via `openPanelOnActionClick` (Chrome runs `_execute_action`
 * the same way). Firefox MV2: a browser action without a popup only fires
 * `browserAction.onClicked`, so the sidebar is toggled from there —
 * synchronously, while the click still counts as a user action
 * (`sidebarAction.open/toggle` refuse otherwise). A program cannot open either
 * panel without such a gesture. A notification click opens it the same way (`openPanelFromGesture`).
 */

import type { PlatformApis } from "./browser-apis";

/** The slices of the browser APIs used here (utils/platform/browser-apis.ts says which browser has which). */
export type PanelOpenerApis = Pick<PlatformApis, "sidePanel" | "browserAction" | "sidebarAction">;

/** Wires the toolbar button to the panel in whichever browser this is. Call it synchronously at startup. */
export function installSidePanelOpener(apis: PanelOpenerApis): "side_panel" | "sidebar" | "none" {
  if (apis.sidePanel?.setPanelBehavior) {
    void apis.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => undefined);
    return "side_panel";
  }
  const sidebar = apis.sidebarAction;
  if (apis.browserAction && (sidebar?.toggle || sidebar?.open)) {
    apis.browserAction.onClicked.addListener(() =>
      openPanelFromGesture({ sidebarAction: sidebar }, undefined, true),
    );
    return "sidebar";
  }
  return "none";
}

/**
 * Opens the panel from a user gesture (a notification click, the toolbar button in Firefox): Chrome's side
 * panel in `windowId`, else Firefox's sidebar (`toggle`d when asked and offered). Call it before any await,
 * while the gesture counts; a refusal is swallowed.
 */
export function openPanelFromGesture(
  apis: Pick<PanelOpenerApis, "sidePanel" | "sidebarAction">,
  windowId: number | undefined,
  toggle = false,
): void {
  if (apis.sidePanel?.open) {
    if (windowId !== undefined) void apis.sidePanel.open({ windowId }).catch(() => undefined);
    return;
  }
  const sidebar = apis.sidebarAction;
  const opened = toggle && sidebar?.toggle ? sidebar.toggle() : sidebar?.open?.();
  void opened?.catch(() => undefined);
}
