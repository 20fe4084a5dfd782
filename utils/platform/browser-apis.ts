/**
 * The one place that knows where Chrome (MV3) and Firefox (MV2) differ; the
 * rest of the extension asks here instead of probing globals:
 *
 * | need | Chrome MV3 | Firefox MV2 |
 * |---|---|---|
 * | toolbar button, badge text/colour/title | `action` | `browserAction` (same calls) |
 * | the panel | `sidePanel` (opens on the action's click; `open` from a gesture) | no `sidePanel`: `sidebarAction` (`toggle`/`open` only inside a user action) |
 * | alert sound | an `offscreen` document (the worker has no audio) | no `offscreen`: the background is a page with WebAudio |
 * | desktop notifications | `basic` with title and message | the same; Firefox has no buttons, `requireInteraction` or `priority`, so none are used |
 *
 * Each field is undefined where the browser lacks it; `platformApis()` reads
 * the globals, tests pass their own. The manifest's side of the same
 * differences (the `offscreen` permission, `sidebar_action`,
 * `_execute_sidebar_action`, the gecko id) is in `wxt.config.ts`.
 */

interface Listenable<F> {
  addListener(fn: F): void;
}

export interface ActionApi {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
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
  createDocument(p: { url: string; reasons: string[]; justification: string }): Promise<void>;
}

export interface ContextsApi {
  getContexts?(filter: { contextTypes: string[]; documentUrls?: string[] }): Promise<unknown[]>;
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

type Globals = {
  chrome?: {
    action?: ActionApi;
    browserAction?: ActionApi;
    sidePanel?: SidePanelApi;
    offscreen?: OffscreenApi;
    runtime?: ContextsApi;
  };
  browser?: { action?: ActionApi; browserAction?: ActionApi; sidebarAction?: SidebarActionApi };
};

/** What this browser offers, read from its globals (`chrome` in Chrome, `browser` in Firefox). */
export function platformApis(g: Globals = globalThis as unknown as Globals): PlatformApis {
  const browserAction = g.browser?.browserAction ?? g.chrome?.browserAction;
  return {
    action: g.browser?.action ?? g.chrome?.action ?? browserAction,
    browserAction,
    sidePanel: g.chrome?.sidePanel,
    sidebarAction: g.browser?.sidebarAction,
    offscreen: g.chrome?.offscreen,
    contexts: g.chrome?.runtime,
  };
}
