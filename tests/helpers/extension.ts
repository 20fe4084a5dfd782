/**
 * Launches the built Chrome extension (.output/chrome-mv3) in Debian's headless
 * Chromium with a fresh profile, and hands back the context, the service worker
 * and the extension id. `npm test` builds the extension before vitest runs.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Worker } from "playwright-core";

export const EXTENSION_DIR = resolve(import.meta.dirname, "../../.output/chrome-mv3");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface LoadedExtension {
  context: BrowserContext;
  worker: Worker;
  id: string;
  close(): Promise<void>;
}

/**
 * `userDataDir`: a profile to (re)use; it is kept on close, so a test can
 * relaunch the browser on the same profile. Without it a fresh one is made
 * and removed on close.
 */
export async function launchExtension(
  dir = EXTENSION_DIR,
  opts: { userDataDir?: string } = {},
): Promise<LoadedExtension> {
  if (!existsSync(join(dir, "manifest.json")))
    throw new Error(`no built extension at ${dir}: run npm run build`);
  const profile = opts.userDataDir ?? mkdtempSync(join(tmpdir(), "lc-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const worker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker", { timeout: 20_000 }));
  const id = new URL(worker.url()).host;
  return {
    context,
    worker,
    id,
    async close() {
      await context.close();
      if (!opts.userDataDir) rmSync(profile, { recursive: true, force: true });
    },
  };
}
