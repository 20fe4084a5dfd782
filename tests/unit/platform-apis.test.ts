import { describe, expect, it, vi } from "vitest";
import { createSoundPlayer } from "../../utils/alerts/sound-player";
import { platformApis } from "../../utils/platform/browser-apis";
import { openPanelFromGesture } from "../../utils/platform/panel-opener";

const action = () => ({
  setBadgeText: vi.fn(async () => undefined),
  setBadgeBackgroundColor: vi.fn(async () => undefined),
  setTitle: vi.fn(async () => undefined),
  onClicked: { addListener: vi.fn() },
});

describe("the platform adapter: one place for what Chrome and Firefox do differently", () => {
  it("Chrome MV3: action, side panel, offscreen document; no sidebar", () => {
    const chromeAction = action();
    const sidePanel = { open: vi.fn(async () => undefined) };
    const offscreen = { createDocument: vi.fn(async () => undefined) };
    const apis = platformApis({ action: chromeAction, sidePanel, offscreen, runtime: {} });
    expect(apis.action).toBe(chromeAction);
    expect(apis.sidePanel).toBe(sidePanel);
    expect(apis.offscreen).toBe(offscreen);
    expect(apis.browserAction).toBeUndefined();
    expect(apis.sidebarAction).toBeUndefined();
    openPanelFromGesture(apis, 7);
    expect(sidePanel.open).toHaveBeenCalledWith({ windowId: 7 });
  });

  it("Firefox MV2: browserAction carries the badge, the sidebar opens, no side panel and no offscreen", () => {
    const browserAction = action();
    const sidebarAction = { open: vi.fn(async () => undefined) };
    const apis = platformApis({ browserAction, sidebarAction });
    expect(apis.action).toBe(browserAction);
    expect(apis.browserAction).toBe(browserAction);
    expect(apis.sidePanel).toBeUndefined();
    expect(apis.offscreen).toBeUndefined();
    openPanelFromGesture(apis, 7);
    expect(sidebarAction.open).toHaveBeenCalledTimes(1);
  });

  it("without offscreen (Firefox) and without audio the sound player says there is none", () => {
    expect(createSoundPlayer(() => undefined, {})).toBeNull(); // Node has no AudioContext
  });
});
