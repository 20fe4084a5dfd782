/**
 * What `npm start` tells the user to press, in the real Chromium: the
 * extension registers Alt+Shift+L for its action, and its action opens the
 * side panel (a program cannot click either, so the wiring is what is checked).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedExtension, launchExtension } from "../helpers/extension";

describe("toolbar button and shortcut in Chromium", () => {
  let ext: LoadedExtension;
  beforeAll(async () => {
    ext = await launchExtension();
  });
  afterAll(async () => {
    await ext?.close();
  });

  it("registers Alt+Shift+L for the action, and the action opens the side panel", async () => {
    const commands = await ext.worker.evaluate(() => chrome.commands.getAll());
    const action = commands.find((c) => c.name === "_execute_action");
    expect(action?.shortcut?.replace(/\s/g, "")).toMatch(/^(Alt\+Shift\+L|⌥⇧L)$/);
    // Set by the worker at startup; wait for it rather than sleeping.
    await expect
      .poll(() => ext.worker.evaluate(() => chrome.sidePanel.getPanelBehavior()), { timeout: 10_000 })
      .toEqual({ openPanelOnActionClick: true });
  });

  it("shows the icons on the toolbar button", async () => {
    const manifest = (await ext.worker.evaluate(() => chrome.runtime.getManifest())) as {
      action?: { default_icon?: Record<string, string> };
    };
    expect(Object.keys(manifest.action?.default_icon ?? {})).toEqual(["16", "32", "48", "128"]);
  });
});
