/**
 * Starts a real Firefox ESR (headless, Marionette on a port it picks and
 * writes to the profile) with the built add-on installed temporarily under a
 * fixed moz-extension UUID, and opens extension pages as tabs through the
 * chrome context — the way that works here (platform notes: WebDriver BiDi
 * and WebDriver:Navigate refuse moz-extension URLs). The add-on's real
 * sidebar opens from the chrome context too (`SidebarController.show`); its
 * page is read from an extension tab through `extension.getViews`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { connectMarionette, type MarionetteClient } from "./marionette";
import { until } from "./until";

export const FIREFOX = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";
export const FIREFOX_EXTENSION_DIR = resolve(import.meta.dirname, "../../.output/firefox-mv2");
export const GECKO_ID = "live-conversations@example.org";
export const FIREFOX_UUID = "6f9e3c2a-4b1d-4e8f-9a7c-2d5b8e1f0a63";
export const FIREFOX_ORIGIN = `moz-extension://${FIREFOX_UUID}`;
/** Firefox names an add-on's sidebar after its id (makeWidgetId: lower case, other characters `_`). */
export const SIDEBAR_ID = `${GECKO_ID.toLowerCase().replace(/[^a-z0-9_-]/g, "_")}-sidebar-action`;

export interface LoadedFirefox {
  marionette: MarionetteClient;
  /** Opens `moz-extension://UUID/<page>` in a new tab and makes it the content context. */
  openExtensionPage(page: string): Promise<void>;
  /** Opens the add-on's sidebar in the browser window (as its toolbar button would); stays in the content context. */
  openSidebar(): Promise<void>;
  /**
   * Polls `script` in the current extension tab with `sidebar` bound to the sidebar page's window (null while
   * none is open) until it returns a truthy value; returns that value.
   */
  waitForSidebar<T>(script: string, timeoutMs: number, what: string): Promise<T>;
  /** Polls `script` in the content context until it returns a truthy value; returns that value. */
  waitFor<T>(script: string, timeoutMs: number, what: string): Promise<T>;
  /** What Firefox printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

const PREFS: Record<string, unknown> = {
  "marionette.port": 0,
  "extensions.webextensions.uuids": JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
  "browser.shell.checkDefaultBrowser": false,
  "browser.startup.homepage_override.mstone": "ignore",
  "browser.aboutwelcome.enabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "toolkit.telemetry.reportingpolicy.firstRun": false,
  "app.update.disabledForTesting": true,
  "extensions.autoDisableScopes": 0,
  "browser.tabs.warnOnClose": false,
};

export async function launchFirefox(extensionDir = FIREFOX_EXTENSION_DIR): Promise<LoadedFirefox> {
  if (!existsSync(join(extensionDir, "manifest.json")))
    throw new Error(`no Firefox build at ${extensionDir}: run npx wxt build -b firefox`);
  const profile = await mkdtemp(join(tmpdir(), "lc-firefox-"));
  await writeFile(
    join(profile, "user.js"),
    Object.entries(PREFS)
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
      .join("\n"),
  );
  let out = "";
  const proc: ChildProcess = spawn(
    FIREFOX,
    ["--marionette", "--remote-allow-system-access", "--headless", "--no-remote", "--profile", profile],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: "1" } },
  );
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));

  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill("SIGKILL");
    }
    await rm(profile, { recursive: true, force: true });
  };
  try {
    // Firefox writes the port it picked (marionette.port 0) to the profile once Marionette listens.
    const port = await until(
      "firefox: Marionette listening",
      async () => {
        if (proc.exitCode !== null) throw new Error(`firefox exited with ${proc.exitCode}: ${out}`);
        const text = await readFile(join(profile, "MarionetteActivePort"), "utf8").catch(() => "");
        return Number(text.trim()) || undefined;
      },
      60_000,
      100,
    );
    const marionette = await connectMarionette(port);
    await marionette.send("WebDriver:NewSession", {
      capabilities: { alwaysMatch: { acceptInsecureCerts: false } },
    });
    await marionette.send("Addon:Install", { path: extensionDir, temporary: true });

    const ff: LoadedFirefox = {
      marionette,
      async openExtensionPage(page) {
        const before = await marionette.send<string[]>("WebDriver:GetWindowHandles");
        await marionette.send("Marionette:SetContext", { value: "chrome" });
        await marionette.execute(
          `const win = Services.wm.getMostRecentWindow("navigator:browser");
           const tab = win.gBrowser.addTab(arguments[0], {
             triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal(),
           });
           win.gBrowser.selectedTab = tab;`,
          [`${FIREFOX_ORIGIN}/${page}`],
        );
        await marionette.send("Marionette:SetContext", { value: "content" });
        const handle = await until(
          `firefox: a tab for ${page}`,
          async () =>
            (await marionette.send<string[]>("WebDriver:GetWindowHandles")).find((h) => !before.includes(h)),
          10_000,
          100,
        );
        await marionette.send("WebDriver:SwitchToWindow", { handle });
        await ff.waitFor(
          `return location.href.startsWith(arguments[0]) && document.readyState === "complete";`,
          10_000,
          `${page} loaded`,
        );
      },
      async openSidebar() {
        await marionette.send("Marionette:SetContext", { value: "chrome" });
        try {
          const shown = await marionette.send<{ value: string }>("WebDriver:ExecuteAsyncScript", {
            script: `const done = arguments[arguments.length - 1];
              const win = Services.wm.getMostRecentWindow("navigator:browser");
              const sidebars = win.SidebarController ?? win.SidebarUI;
              sidebars.show(arguments[0]).then(() => done(sidebars.currentID), (e) => done("failed: " + e));`,
            args: [SIDEBAR_ID],
          });
          if (shown.value !== SIDEBAR_ID)
            throw new Error(`firefox: the sidebar did not open (${shown.value})`);
        } finally {
          await marionette.send("Marionette:SetContext", { value: "content" });
        }
      },
      waitForSidebar: <T>(script: string, timeoutMs: number, what: string) =>
        until(
          `firefox: ${what}`,
          () =>
            marionette.execute<T>(
              `const sidebar = browser.extension.getViews({ type: "sidebar" })[0] ?? null;\n${script}`,
            ),
          timeoutMs,
          100,
        ),
      waitFor: <T>(script: string, timeoutMs: number, what: string) =>
        until(
          `firefox: ${what}`,
          () => marionette.execute<T>(script, [`${FIREFOX_ORIGIN}/`]),
          timeoutMs,
          100,
        ),
      output: () => out,
      async close() {
        await marionette.send("Marionette:Quit").catch(() => undefined);
        marionette.close();
        await stop();
      },
    };
    return ff;
  } catch (e) {
    await stop();
    throw e;
  }
}
