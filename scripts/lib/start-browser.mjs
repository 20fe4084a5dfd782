/**
 * The browser half of `npm start`: find a Chromium that still accepts
 * `--load-extension` (Google Chrome 137+ ignores it), launch it with the built
 * extension through playwright-core, point the extension at the gateway, and
 * open the panel page. A program cannot open Chrome's real side panel (that
 * needs a user gesture), so the panel page opens in a tab.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const EXTENSION_ID = "hkjmecafcijmdjoecelfmegdikoiplkh";
export const PANEL_URL = `chrome-extension://${EXTENSION_ID}/sidepanel.html`;

const CANDIDATES = {
  linux: ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"],
  darwin: ["/Applications/Chromium.app/Contents/MacOS/Chromium"],
  win32: [
    join(process.env.LOCALAPPDATA ?? "", "Chromium", "Application", "chrome.exe"),
    join(process.env.PROGRAMFILES ?? "C:\\Program Files", "Chromium", "Application", "chrome.exe"),
  ],
};

/** The Chromium to launch: an explicit path, $CHROMIUM_PATH, or a known install; null if none. */
export function findChromium(explicit) {
  if (explicit) return existsSync(explicit) ? explicit : null;
  if (process.env.CHROMIUM_PATH)
    return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  return (CANDIDATES[process.platform] ?? []).find((p) => existsSync(p)) ?? null;
}

/** Whether a browser window can be shown (on Linux: an X11 or Wayland display). */
export function hasDisplay() {
  if (process.platform !== "linux") return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/**
 * Launches Chromium with the extension in `extensionDir`, sets its gateway
 * and token, and opens the panel page. Resolves with `{ context, page, close }`.
 */
export async function launchPanel({ executablePath, extensionDir, gatewayUrl, token, headless }) {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "lc-start-profile-"));
  const args = [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ];
  if (headless) args.push("--disable-gpu", "--disable-quic");
  // Chromium refuses to start as root with its sandbox on.
  if (process.getuid?.() === 0) args.push("--no-sandbox");
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless,
      args,
      // A window the size the user chose, and no "controlled by automated software" bar.
      ...(headless ? { viewport: { width: 420, height: 760 } } : { viewport: null }),
      ignoreDefaultArgs: headless ? [] : ["--enable-automation"],
      // start.mjs handles the signals: it closes the browser and then stops the gateway.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (e) {
    removeProfile(profile);
    throw e;
  }
  // Also when the user closes the window.
  context.once("close", () => removeProfile(profile));
  const close = async () => {
    await context.close().catch(() => undefined);
    removeProfile(profile);
  };
  try {
    const worker =
      context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`)) ??
      (await context.waitForEvent("serviceworker", {
        predicate: (w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
        timeout: 20_000,
      }));
    await worker.evaluate(
      async (settings) => {
        await chrome.storage.local.set({ settings });
      },
      { gatewayUrl, token },
    );
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(PANEL_URL);
    return { context, page, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Best effort: a browser still shutting down may write into it; a leftover temp dir is harmless. */
function removeProfile(dir) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
  } catch {
    // left for the OS to clean
  }
}

/**
 * Waits until the panel shows at least one session card (no fixed sleep),
 * takes the screenshot and returns how many cards were visible.
 */
export async function screenshotPanel(page, file, timeoutMs = 30_000) {
  const cards = page.locator("[data-session-id]");
  await page.locator('.connection[data-state="connected"]').waitFor({ timeout: timeoutMs });
  await cards.first().waitFor({ state: "visible", timeout: timeoutMs });
  const count = await cards.count();
  await page.screenshot({ path: file });
  return count;
}
