/**
 * The e2e session the side-panel tests share: a real test gateway, the built
 * extension in headless Chromium pointed at it, and its side panel open and
 * connected — plus the gateway reads and waits those tests make.
 *
 *   let e2e: PanelSession;
 *   beforeAll(async () => { e2e = await startPanelSession(); });
 *   afterAll(() => e2e?.close());
 *
 * Options cover what the panel tests differ in: the gateway (quiet by default,
 * or the simulated traffic), the panel's viewport, work before the panel opens
 * (spawning sessions, granting permissions), a kept profile and relaunching the
 * browser on it, and a second panel on another session's gateway.
 */
import type { Locator, Page } from "playwright-core";
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
  /** Gateway options over `PANEL_GATEWAY` (over the test defaults when `simulated`). */
  gateway?: Partial<GatewayOptions>;
  /**
   * Start from the test gateway's own defaults — simulated traffic on — instead of
   * `PANEL_GATEWAY`; `gateway` still applies over them.
   */
  simulated?: boolean;
  /** Run against this gateway (another session's) instead of starting one; `close` leaves it running. */
  shareGateway?: TestGateway;
  /** Whose token the extension uses (and `get` reads with). */
  role?: "supervisor" | "admin";
  page?: PanelPageOptions;
  /** Settings written besides the gateway URL and token (e.g. short hand-off thresholds); the panel follows them. */
  settings?: Record<string, unknown>;
  /** Runs once the browser is up, before the panel opens (e.g. spawn sessions, grant permissions). */
  beforeOpen?: (tg: TestGateway, ext: LoadedExtension) => void | Promise<void>;
  /** A browser profile to use and keep (the caller removes it), so `relaunch` finds it again. */
  userDataDir?: string;
}

export interface PanelSession {
  tg: TestGateway;
  /** The browser with the extension; replaced by `relaunch`. */
  ext: LoadedExtension;
  /** The side panel page, connected; replaced by `relaunch`. */
  page: Page;
  /** GETs a gateway path with the panel user's token; a non-2xx answer throws. */
  get<T>(path: string): Promise<T>;
  /** A session and its messages as the gateway has them. */
  sessionOf(id: string): Promise<{ session: Session; messages: Message[] }>;
  /** `until` at the e2e pace (every 100 ms, up to `E2E_TIMEOUT`). */
  until<T>(what: string, fn: () => Promise<T | undefined | null | false>): Promise<T>;
  /** Opens a session's conversation in the panel and waits for its transcript to load. */
  openConversation(id: string): Promise<void>;
  /** Closes the browser and launches it again (on `userDataDir`, if given), the panel open and connected. */
  relaunch(): Promise<void>;
  close(): Promise<void>;
}

export async function startPanelSession(opts: PanelSessionOptions = {}): Promise<PanelSession> {
  const owned = !opts.shareGateway;
  const tg =
    opts.shareGateway ??
    (await startTestGateway({ ...(opts.simulated ? {} : PANEL_GATEWAY), ...opts.gateway }));
  const token = tg.tokens[opts.role ?? "supervisor"];
  const stopGateway = () => (owned ? tg.stop() : Promise.resolve());

  /** Launches the browser and opens the panel; on failure closes what it launched. */
  const open = async (first: boolean): Promise<{ ext: LoadedExtension; page: Page }> => {
    const ext = await launchExtension(undefined, { userDataDir: opts.userDataDir });
    try {
      if (first) await opts.beforeOpen?.(tg, ext);
      const page = await openPanelPage(ext, { url: tg.url, token }, opts.page);
      if (opts.settings) {
        await ext.worker.evaluate((s) => chrome.storage.local.set({ settings: s }), {
          gatewayUrl: tg.url,
          token,
          ...opts.settings,
        });
        await page.locator('.connection[data-state="connected"]').waitFor({ timeout: 30_000 });
      }
      return { ext, page };
    } catch (e) {
      await ext.close();
      throw e;
    }
  };

  let opened: { ext: LoadedExtension; page: Page };
  try {
    opened = await open(true);
  } catch (e) {
    await stopGateway();
    throw e;
  }
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${tg.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  let closed = false;
  const session: PanelSession = {
    tg,
    ...opened,
    get,
    sessionOf: (id) => get(`/v1/sessions/${id}`),
    until: (what, fn) => until(what, fn, E2E_TIMEOUT, 100),
    async openConversation(id) {
      const { page } = session;
      await clickCard(page.locator(`[data-session-id="${id}"]`));
      await page.locator(`.conversation[data-session-id="${id}"]`).waitFor({ timeout: E2E_TIMEOUT });
      await page.locator(".transcript-loading").waitFor({ state: "detached", timeout: E2E_TIMEOUT });
    },
    async relaunch() {
      closed = true;
      await session.ext.close();
      Object.assign(session, await open(false));
      closed = false;
    },
    async close() {
      if (!closed) await session.ext.close();
      closed = true;
      await stopGateway();
    },
  };
  return session;
}

/**
 * Clicks a session card as a person does: the pointer moves onto it first, which holds the list's order
 * (components/hold-order.ts), then presses. Without the hover, a re-sort between Playwright's aim and its
 * press could put another card under the pointer.
 */
export async function clickCard(card: Locator): Promise<void> {
  await card.hover({ timeout: E2E_TIMEOUT });
  await card.click({ timeout: E2E_TIMEOUT });
}
