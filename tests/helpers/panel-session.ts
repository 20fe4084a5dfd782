/**
 * The e2e session the side-panel tests share: a real test gateway, the built
 * extension in headless Chromium pointed at it, and its side panel open and
 * connected — plus the gateway reads and waits those tests make.
 *
 *   let e2e: PanelSession;
 *   beforeAll(async () => { e2e = await startPanelSession(); });
 *   afterAll(() => e2e?.close());
 */
import type { Page } from "playwright-core";
import type { Message, Session } from "../../utils/protocol";
import { type LoadedExtension, launchExtension } from "./extension";
import { type GatewayOptions, startTestGateway, type TestGateway } from "./gateway";
import { openPanelPage, type PanelPageOptions } from "./panel-page";
import { until } from "./until";

/** How long an e2e step may take on a loaded machine. */
export const E2E_TIMEOUT = 20_000;

/** The gateway the panel tests run against unless they say otherwise: no simulation, a fast agent. */
export const PANEL_GATEWAY: Partial<GatewayOptions> = {
  simulate: false,
  tokensPerSecond: 40,
  heartbeatMs: 2000,
};

export interface PanelSessionOptions {
  /** Gateway options over `PANEL_GATEWAY`. */
  gateway?: Partial<GatewayOptions>;
  /** Whose token the extension uses (and `get` reads with). */
  role?: "supervisor" | "admin";
  page?: PanelPageOptions;
  /** Settings written besides the gateway URL and token (e.g. short hand-off thresholds); the panel follows them. */
  settings?: Record<string, unknown>;
}

export interface PanelSession {
  tg: TestGateway;
  ext: LoadedExtension;
  /** The side panel page, connected. */
  page: Page;
  /** GETs a gateway path with the panel user's token; a non-2xx answer throws. */
  get<T>(path: string): Promise<T>;
  /** A session and its messages as the gateway has them. */
  sessionOf(id: string): Promise<{ session: Session; messages: Message[] }>;
  /** `until` at the e2e pace (every 100 ms, up to `E2E_TIMEOUT`). */
  until<T>(what: string, fn: () => Promise<T | undefined | null | false>): Promise<T>;
  /** Opens a session's conversation in the panel and waits for its transcript to load. */
  openConversation(id: string): Promise<void>;
  close(): Promise<void>;
}

export async function startPanelSession(opts: PanelSessionOptions = {}): Promise<PanelSession> {
  const tg = await startTestGateway({ ...PANEL_GATEWAY, ...opts.gateway });
  let ext: LoadedExtension | undefined;
  try {
    ext = await launchExtension();
    const token = tg.tokens[opts.role ?? "supervisor"];
    const page = await openPanelPage(ext, { url: tg.url, token }, opts.page);
    if (opts.settings) {
      await ext.worker.evaluate((s) => chrome.storage.local.set({ settings: s }), {
        gatewayUrl: tg.url,
        token,
        ...opts.settings,
      });
      await page.locator('.connection[data-state="connected"]').waitFor({ timeout: 30_000 });
    }
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${tg.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      return (await res.json()) as T;
    };
    const loaded = ext;
    return {
      tg,
      ext: loaded,
      page,
      get,
      sessionOf: (id) => get(`/v1/sessions/${id}`),
      until: (what, fn) => until(what, fn, E2E_TIMEOUT, 100),
      async openConversation(id) {
        await page.locator(`[data-session-id="${id}"]`).click({ timeout: E2E_TIMEOUT });
        await page.locator(`.conversation[data-session-id="${id}"]`).waitFor({ timeout: E2E_TIMEOUT });
        await page.locator(".transcript-loading").waitFor({ state: "detached", timeout: E2E_TIMEOUT });
      },
      async close() {
        await loaded.close();
        await tg.stop();
      },
    };
  } catch (e) {
    await ext?.close();
    await tg.stop();
    throw e;
  }
}
