/** Types of start-browser.mjs (the browser half of `npm start`), for the TypeScript scripts that reuse it. */
import type { BrowserContext, Page } from "playwright-core";

export const EXTENSION_ID: string;
export const PANEL_URL: string;
export function findChromium(explicit?: string | null): string | null;
export function hasDisplay(): boolean;
export function launchPanel(opts: {
  executablePath: string;
  extensionDir: string;
  gatewayUrl: string;
  token: string;
  headless: boolean;
}): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }>;
export function screenshotPanel(page: Page, file: string, timeoutMs?: number): Promise<number>;
