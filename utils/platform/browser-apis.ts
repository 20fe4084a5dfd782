/**
 * The one place that knows where Chrome (MV3) and Firefox (MV2) differ; the
 * rest of the extension asks here instead of probing the browser itself:
 *
 * | need | Chrome MV3 | Firefox MV2 |
 * |---|---|---|
 * | toolbar button, badge text/colour/title | `action` | `browserAction` (same calls) |
 * | the panel | `sidePanel` (opens on the action's click; `open` from a gesture) | no `sidePanel`: `sidebarAction` (`toggle`/`open` only inside a user action) |
 * | alert sound | an `offscreen` document (the worker has no audio) | no `offscreen`: the background is a page with WebAudio |
 * | desktop notifications | `basic` with title and message | the same; Firefox has no buttons, `requireInteraction` or `priority`, so none are used |
 *
 * Each field is undefined where the browser lacks it; `platformApis(browser)`
 * reads them from WXT's `browser`, which the worker's entry passes in (the
 * one way the extension reaches the browser); tests pass their own. The manifest's side of the same
 * differences (the `offscreen` permission, `sidebar_action`,
 * `_execute_sidebar_action`, the gecko id) is in `wxt.config.ts`.
 */

interface Listenable<F> {
  addListener(fn: F): void;
}

export interface ActionApi {
  setBadgeText(details: { text: string }): Promise<void> | void;
  setBadgeBackgroundColor(details: { color: string }): Promise<void> | void;
  setTitle(details: { title: string }): Promise<void> | void;
  onClicked: Listenable<() => void>;
}

export interface SidePanelApi {
  setPanelBehavior?(behavior: { openPanelOnActionClick: boolean }): Promise<void>;
  open?(options: { windowId: number }): Promise<void>;
}

export interface SidebarActionApi {
  toggle?(): Promise<void>;
  open?(): Promise<void>;
}

export interface OffscreenApi {
  createDocument(p: { url: string; reasons: "AUDIO_PLAYBACK"[]; justification: string }): Promise<void>;
}

export interface ContextsApi {
  getContexts?(filter: { contextTypes: "OFFSCREEN_DOCUMENT"[]; documentUrls?: string[] }): Promise<unknown[]>;
}

export interface PlatformApis {
  /** Chrome's `action` or Firefox's `browserAction`: the same badge and title calls. */
  action?: ActionApi;
  /** Firefox's MV2 `browserAction` only: its click is where the sidebar may be opened. */
  browserAction?: Pick<ActionApi, "onClicked">;
  sidePanel?: SidePanelApi;
  sidebarAction?: SidebarActionApi;
  offscreen?: OffscreenApi;
  /** `runtime.getContexts` (Chrome), to find an open offscreen document. */
  contexts?: ContextsApi;
}

/** The extension API object as WXT's `browser` gives it (`chrome` in Chrome, `browser` in Firefox). */
export interface ExtensionApi {
  action?: ActionApi;
  browserAction?: ActionApi;
  sidePanel?: SidePanelApi;
  sidebarAction?: SidebarActionApi;
  offscreen?: OffscreenApi;
  runtime?: ContextsApi;
}

/** What this browser offers, read from WXT's `browser` (the worker's entry passes it in). */
export function platformApis(ext: ExtensionApi): PlatformApis {
  return {
    action: ext.action ?? ext.browserAction,
    browserAction: ext.browserAction,
    sidePanel: ext.sidePanel,
    sidebarAction: ext.sidebarAction,
    offscreen: ext.offscreen,
    contexts: ext.runtime,
  };
}
