/**
 * The Firefox build (`wxt build -b firefox`, what `npm run zip` packs for AMO):
 * an MV2 add-on whose panel is a sidebar, with a toolbar button, icons, a
 * background page, the permissions the worker uses, a fixed gecko id and the
 * keyboard shortcut. Built here because `npm test` builds only Chrome.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const OUT = join(ROOT, ".output/firefox-mv2");

interface FirefoxManifest {
  manifest_version: number;
  name: string;
  description: string;
  icons: Record<string, string>;
  permissions: string[];
  background: { scripts?: string[]; service_worker?: string };
  sidebar_action?: { default_panel: string; default_title: string; default_icon: Record<string, string> };
  browser_action?: { default_title: string; default_icon: Record<string, string> };
  commands: Record<string, { suggested_key: { default: string } }>;
  browser_specific_settings: { gecko: { id: string; strict_min_version?: string } };
  [key: string]: unknown;
}

describe("Firefox build", () => {
  let manifest: FirefoxManifest;
  beforeAll(() => {
    const build = spawnSync("npx", ["wxt", "build", "-b", "firefox"], { cwd: ROOT, encoding: "utf8" });
    expect(build.status, build.stderr || build.stdout).toBe(0);
    manifest = JSON.parse(readFileSync(join(OUT, "manifest.json"), "utf8"));
  }, 120_000);

  const exists = (path: string) => existsSync(join(OUT, path));

  it("is MV2 with the panel as a sidebar and no Chrome-only keys", () => {
    expect(manifest.manifest_version).toBe(2);
    expect(manifest.name).toBe("Live Conversations");
    expect(manifest.description.length).toBeLessThanOrEqual(132);
    expect(manifest.sidebar_action?.default_panel).toBe("sidepanel.html");
    expect(exists("sidepanel.html")).toBe(true);
    for (const key of ["side_panel", "key", "minimum_chrome_version", "action"])
      expect(manifest).not.toHaveProperty(key);
    expect(manifest.permissions).not.toContain("sidePanel");
  });

  it("has a toolbar button and icons that exist in the package", () => {
    expect(manifest.browser_action?.default_title).toBe("Live Conversations");
    for (const icons of [
      manifest.icons,
      manifest.browser_action?.default_icon,
      manifest.sidebar_action?.default_icon,
    ]) {
      expect(Object.keys(icons ?? {})).toEqual(["16", "32", "48", "128"]);
      for (const path of Object.values(icons ?? {})) expect(exists(path), path).toBe(true);
    }
  });

  it("runs the worker as background scripts with the permissions it uses", () => {
    expect(manifest.background.service_worker).toBeUndefined();
    expect(manifest.background.scripts?.length).toBeGreaterThan(0);
    for (const script of manifest.background.scripts ?? []) expect(exists(script)).toBe(true);
    expect(manifest.permissions).toEqual(expect.arrayContaining(["storage", "alarms", "notifications"]));
    // The badge goes through browserAction in MV2, the toolbar click toggles the sidebar.
    const background = readFileSync(join(OUT, manifest.background.scripts?.[0] ?? ""), "utf8");
    expect(background).toContain("browserAction");
    expect(background).toContain("sidebarAction");
  });

  it("has a fixed gecko id, a minimum version with storage.session, and the shortcut for the sidebar", () => {
    expect(manifest.browser_specific_settings.gecko.id).toBe("live-conversations@example.org");
    expect(
      Number.parseFloat(manifest.browser_specific_settings.gecko.strict_min_version ?? "0"),
    ).toBeGreaterThanOrEqual(115);
    expect(manifest.commands._execute_sidebar_action?.suggested_key.default).toBe("Alt+Shift+L");
  });

  it("uses the same shortcut as the Chrome build, where it runs the action (which opens the side panel)", () => {
    const chromeManifest = join(ROOT, ".output/chrome-mv3/manifest.json");
    if (!existsSync(chromeManifest)) return; // npm test builds it first
    const chrome = JSON.parse(readFileSync(chromeManifest, "utf8")) as FirefoxManifest;
    expect(chrome.commands._execute_action?.suggested_key.default).toBe("Alt+Shift+L");
    expect(Object.keys((chrome.action as { default_icon: object }).default_icon)).toEqual([
      "16",
      "32",
      "48",
      "128",
    ]);
  });
});
