/**
 * The extension's side of the worker: browser adapters (storage.session,
 * action badge, notifications, runtime ports, alarms, online/offline) around
 * the browser-free WorkerCore. Listeners are registered synchronously when
 * the worker starts (MV3 delivers the waking event only to listeners present
 * in the first turn); the core is built once the settings are read, and
 * rebuilt when they change.
 */
import { browser } from "wxt/browser";
import { ALERTS_KEY } from "../alerts/alert-engine";
import { decodeFromPlayer } from "../alerts/sound-messages";
import { createSoundPlayer } from "../alerts/sound-player";
import { sessionOfNotification } from "../attention/notifier";
import { OUTBOX_KEY } from "../connection/command-outbox";
import { browserSocket } from "../connection/socket";
import { FOCUS_KEY, PANEL_PORT } from "../panel-messages";
import { platformApis } from "../platform/browser-apis";
import { fromStorageArea } from "../platform/kv-storage";
import { installSidePanelOpener, openPanelFromGesture } from "../platform/panel-opener";
import { SETTINGS_KEY, type Settings } from "../settings";
import { STATE_KEY } from "../store/persistence";
import { createDeltaTap, type DeltaTap } from "./delta-tap";
import { fromRuntimePort, type PanelPort } from "./panel-port";
import { createSeqTap, type SeqTap } from "./seq-tap";
import { createSettingsFollower } from "./settings-follower";
import { createWorkerCore, type WorkerCore } from "./worker-core";

export const WAKE_ALARM = "lc-wake";

/** Read hooks for tests and the fault suite (`worker.evaluate(() => globalThis.__lc.dump())`). */
export interface WorkerHooks {
  dump(): ReturnType<WorkerCore["dump"]> | null;
  stats(): ReturnType<WorkerCore["stats"]> | null;
  panelState(): ReturnType<WorkerCore["panelState"]> | null;
  /** Alert rules, active alerts, the sound state and how many firings so far. */
  alerts(): {
    rules: number;
    fired: number;
    alerts: ReturnType<WorkerCore["alerts"]["alerts"]>;
    sound: ReturnType<WorkerCore["alerts"]["sound"]>;
  } | null;
  /** Off until a test enables it: the applied events and snapshots, for the soak's audit (seq-tap.ts). */
  seqTap: SeqTap;
  /** Off until the bench enables it: when each token delta was applied (delta-tap.ts). */
  deltaTap: DeltaTap;
  ready: Promise<void>;
  startedAt: number;
  /** The gateway the worker is set to (null before its settings are known): for diagnostics. */
  gatewayUrl(): string | null;
}

export function startBackground(): void {
  const sessionStorage = fromStorageArea(browser.storage.session);
  const localStorageArea = fromStorageArea(browser.storage.local);
  // Chrome's action or Firefox's browserAction, side panel or sidebar, offscreen or not: utils/platform/.
  const platform = platformApis(browser);
  const ports = new Set<PanelPort>();
  let core: WorkerCore | null = null;
  /** The core once started: ports arriving before that are connected by `build`. */
  let live: WorkerCore | null = null;
  let lastWindowId: number | undefined;
  let building: Promise<void> = Promise.resolve();
  const seqTap = createSeqTap();
  const deltaTap = createDeltaTap();

  // One player for the worker's lifetime; its reports go to whichever core is current.
  const soundPlayer = createSoundPlayer((playing, detail) => core?.alerts.soundReport(playing, detail), {
    ...platform,
    runtime: browser.runtime,
  });

  function build(settings: Settings, before: Settings | null): Promise<void> {
    const sameGateway = before?.gatewayUrl === settings.gatewayUrl && before?.token === settings.token;
    live = null;
    // Builds run one after the other, each stopping the core the previous one made.
    building = building
      .catch(() => undefined)
      .then(async () => {
        const previous = core;
        core = null;
        live = null;
        await previous?.stop();
        if (previous && !sameGateway) {
          // Another gateway or identity: its cursor, state and pending commands mean nothing here.
          await sessionStorage.remove(STATE_KEY);
          await sessionStorage.remove(OUTBOX_KEY);
          await localStorageArea.remove(ALERTS_KEY); // another user's rules and alerts; the panel sends the new user's
        }
        const next = createWorkerCore({
          settings,
          createSocket: browserSocket,
          storage: sessionStorage,
          alertStorage: localStorageArea,
          badge: {
            setText: async (text) => platform.action?.setBadgeText({ text }),
            setColor: async (color) => platform.action?.setBadgeBackgroundColor({ color }),
            setTitle: async (title) => platform.action?.setTitle({ title }),
          },
          notifications: {
            create: (id, o) =>
              browser.notifications.create(id, {
                type: "basic",
                iconUrl: browser.runtime.getURL("/icon/128.png"),
                title: o.title,
                message: o.message,
              }),
          },
          ...(soundPlayer ? { sound: soundPlayer } : {}),
          onEvent: (e) => seqTap.event(e.epoch, e.seq),
          onSnapshot: (c) => seqTap.snapshot(c.epoch, c.seq),
          onDelta: (d) => deltaTap.delta(d.message_id, d.idx),
        });
        core = next;
        await next.start();
        live = next;
        for (const port of ports) next.connectPanel(port);
      });
    return building;
  }

  const followed = createSettingsFollower({
    read: () => browser.storage.local.get(SETTINGS_KEY).then((stored) => stored[SETTINGS_KEY]),
    apply: build,
  });

  // --- listeners, registered synchronously ---
  browser.runtime.onConnect.addListener((raw) => {
    if (raw.name !== PANEL_PORT) return;
    const port = fromRuntimePort(raw);
    ports.add(port);
    port.onDisconnect(() => ports.delete(port));
    live?.connectPanel(port);
  });

  // The offscreen document reports whether the alert sound plays.
  browser.runtime.onMessage.addListener((raw: unknown) => {
    const m = decodeFromPlayer(raw);
    if (m) core?.alerts.soundReport(m.playing, m.detail);
    return undefined;
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    // Waking the worker is the point; also retry at once if the link is down.
    if (alarm.name === WAKE_ALARM) void building.then(() => core?.online());
  });

  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== "local" || !(SETTINGS_KEY in changes)) return;
    followed.changed(changes[SETTINGS_KEY]?.newValue ?? undefined);
  });

  browser.notifications.onClicked.addListener((id) => {
    const sessionId = sessionOfNotification(id);
    // Opening the panel needs the user gesture of this click: call it before any await.
    openPanelFromGesture(platform, lastWindowId);
    void browser.notifications.clear(id);
    if (sessionId) {
      void sessionStorage.set(FOCUS_KEY, { session_id: sessionId, at: Date.now() });
      core?.focus(sessionId);
    }
  });

  browser.windows?.onFocusChanged.addListener((windowId) => {
    if (windowId !== browser.windows.WINDOW_ID_NONE) lastWindowId = windowId;
  });
  void browser.windows
    ?.getLastFocused()
    .then((w) => {
      lastWindowId = w.id;
    })
    .catch(() => undefined);

  // Toolbar button and Alt+Shift+L: Chrome's side panel, Firefox's sidebar.
  installSidePanelOpener(platform);
  self.addEventListener("online", () => core?.online());
  self.addEventListener("offline", () => core?.offline());

  void browser.alarms.create(WAKE_ALARM, { periodInMinutes: 0.5 });

  const startedAt = Date.now();
  const hooks: WorkerHooks = {
    dump: () => core?.dump() ?? null,
    stats: () => core?.stats() ?? null,
    panelState: () => core?.panelState() ?? null,
    alerts: () =>
      core
        ? {
            rules: core.alerts.rules.length,
            fired: core.alerts.fired,
            alerts: core.alerts.alerts(),
            sound: core.alerts.sound(),
          }
        : null,
    seqTap,
    deltaTap,
    ready: followed.ready,
    startedAt,
    gatewayUrl: () => followed.current?.gatewayUrl ?? null,
  };
  (globalThis as { __lc?: WorkerHooks }).__lc = hooks;
}
