import { describe, expect, it, vi } from "vitest";
import { installSidePanelOpener } from "../../utils/platform/panel-opener";

function fakeBrowserAction() {
  const listeners: (() => void)[] = [];
  return {
    api: { onClicked: { addListener: (fn: () => void) => listeners.push(fn) } },
    click: () => {
      for (const fn of listeners) fn();
    },
    listeners,
  };
}

describe("toolbar button opens the panel", () => {
  it("Chrome: the action opens the side panel", () => {
    const setPanelBehavior = vi.fn(() => Promise.resolve());
    expect(installSidePanelOpener({ sidePanel: { setPanelBehavior } })).toBe("side_panel");
    expect(setPanelBehavior).toHaveBeenCalledWith({ openPanelOnActionClick: true });
  });

  it("Firefox: a click toggles the sidebar synchronously, inside the user action", () => {
    const action = fakeBrowserAction();
    const toggle = vi.fn(() => Promise.resolve());
    expect(installSidePanelOpener({ browserAction: action.api, sidebarAction: { toggle } })).toBe("sidebar");
    expect(toggle).not.toHaveBeenCalled();
    action.click();
    expect(toggle).toHaveBeenCalledTimes(1); // no await between the click and the call
  });

  it("Firefox without toggle falls back to open, and a refusal is swallowed", async () => {
    const action = fakeBrowserAction();
    const open = vi.fn(() => Promise.reject(new Error("not a user action")));
    installSidePanelOpener({ browserAction: action.api, sidebarAction: { open } });
    action.click();
    expect(open).toHaveBeenCalledTimes(1);
    await Promise.resolve(); // the rejection is handled (vitest fails on unhandled ones)
  });

  it("does nothing where neither exists", () => {
    const action = fakeBrowserAction();
    expect(installSidePanelOpener({ browserAction: action.api })).toBe("none");
    expect(action.listeners).toHaveLength(0);
  });
});
