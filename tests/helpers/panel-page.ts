/**
 * Points a launched extension at a test gateway and opens its side panel page,
 * waiting until the panel says it is connected.
 */
import type { Page } from "playwright-core";
import type { LoadedExtension } from "./extension";

export interface PanelPageOptions {
  width?: number;
  height?: number;
  /** Runs before the page loads (e.g. `page.emulateMedia`). */
  prepare?: (page: Page) => Promise<void>;
  timeoutMs?: number;
}

/** Writes the extension's settings (`storage.local`), which the worker follows. */
export async function pointAt(ext: LoadedExtension, gatewayUrl: string, token: string): Promise<void> {
  await ext.worker.evaluate(
    async ({ url, token }) => {
      await chrome.storage.local.set({ settings: { gatewayUrl: url, token } });
    },
    { url: gatewayUrl, token },
  );
}

export async function openPanelPage(
  ext: LoadedExtension,
  gateway: { url: string; token: string },
  opts: PanelPageOptions = {},
): Promise<Page> {
  await pointAt(ext, gateway.url, gateway.token);
  const page = await ext.context.newPage();
  await page.setViewportSize({ width: opts.width ?? 420, height: opts.height ?? 760 });
  await opts.prepare?.(page);
  await page.goto(`chrome-extension://${ext.id}/sidepanel.html`);
  try {
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: opts.timeoutMs ?? 30_000 });
  } catch (e) {
    // Say what the panel and the worker saw, so a failure on a loaded machine can be diagnosed.
    const shown = await page
      .locator(".connection")
      .evaluate((el) => `${el.getAttribute("data-state")}: ${el.textContent}`)
      .catch(() => "no connection indicator");
    const worker = await ext.worker
      .evaluate(() => {
        const lc = (globalThis as { __lc?: { dump?: () => unknown; gatewayUrl?: () => string | null } }).__lc;
        const connection = (lc?.dump?.() as { connection?: unknown } | null)?.connection ?? null;
        return `set to ${lc?.gatewayUrl?.() ?? "?"}, ${JSON.stringify(connection)}`;
      })
      .catch(() => "worker unreachable");
    throw new Error(`panel never connected to ${gateway.url} (panel: ${shown}; worker: ${worker})`, {
      cause: e,
    });
  }
  return page;
}
