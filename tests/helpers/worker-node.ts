/**
 * Runs the worker's core in Node, exactly as the extension does, with `ws` as
 * the WebSocket (sending the extension's origin), a Map as storage.session,
 * and recording fakes for the badge, notifications and panel ports.
 */
import WebSocket from "ws";
import type { BadgeView } from "../../utils/attention/badge";
import type { ConnectionTiming } from "../../utils/connection/connection";
import type { SocketLike } from "../../utils/connection/socket";
import { EXTENSION_ORIGIN } from "../../utils/extension-id";
import type { PanelToWorker, WorkerToPanel } from "../../utils/panel-messages";
import { createMemoryStorage, type KeyValueStorage } from "../../utils/platform/kv-storage";
import { DEFAULT_SETTINGS, type Settings } from "../../utils/settings";
import type { PanelPort } from "../../utils/worker/panel-port";
import { createWorkerCore, type WorkerCore, type WorkerCoreOptions } from "../../utils/worker/worker-core";

export const nodeSocket = (url: string) =>
  new WebSocket(url, { origin: EXTENSION_ORIGIN }) as unknown as SocketLike;

export const FAST_TIMING: Partial<ConnectionTiming> = {
  backoffMinMs: 5,
  backoffMaxMs: 50,
  pollIntervalMs: 50,
  pollAfterMs: 2000,
  socketRetryWhilePollingMs: 200,
  helloTimeoutMs: 2000,
  restartSpreadMs: 20,
};

export interface FakePanel {
  port: PanelPort;
  messages: WorkerToPanel[];
  send(msg: PanelToWorker | Record<string, unknown>): void;
  close(): void;
}

export function createFakePanel(): FakePanel {
  let onMsg: (m: unknown) => void = () => undefined;
  let onDisc: () => void = () => undefined;
  const messages: WorkerToPanel[] = [];
  return {
    messages,
    port: {
      postMessage: (m) => messages.push(structuredClone(m)),
      onMessage: (cb) => {
        onMsg = cb;
      },
      onDisconnect: (cb) => {
        onDisc = cb;
      },
      disconnect: () => undefined,
    },
    send: (m) => onMsg(structuredClone(m)),
    close: () => onDisc(),
  };
}

export interface NodeWorker {
  core: WorkerCore;
  storage: KeyValueStorage & { data: Map<string, unknown> };
  badge: BadgeView;
  notifications: { id: string; title: string; message: string }[];
}

export async function startNodeWorker(
  settings: Partial<Settings> & { gatewayUrl: string; token: string },
  extra: Partial<WorkerCoreOptions> & { storage?: KeyValueStorage & { data: Map<string, unknown> } } = {},
): Promise<NodeWorker> {
  const storage = extra.storage ?? createMemoryStorage();
  const badge: BadgeView = { text: "", color: "", title: "" };
  const notifications: NodeWorker["notifications"] = [];
  const core = createWorkerCore({
    settings: { ...DEFAULT_SETTINGS, ...settings },
    createSocket: nodeSocket,
    badge: {
      setText: (t) => {
        badge.text = t;
      },
      setColor: (c) => {
        badge.color = c;
      },
      setTitle: (t) => {
        badge.title = t;
      },
    },
    notifications: { create: (id, o) => void notifications.push({ id, ...o }) },
    timing: FAST_TIMING,
    persistIntervalMs: 50,
    notifyCoalesceMs: 50,
    ...extra,
    storage,
  });
  await core.start();
  return { core, storage, badge, notifications };
}

/** Sessions reduced to what both sides must agree on, sorted by id. */
export function comparable(sessions: { id: string }[]): unknown[] {
  return [...sessions]
    .filter((s) => (s as { status?: string }).status !== "ended")
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((s) => {
      // Presence (`viewers`) is ephemeral: the worker keeps it from presence frames, never in a snapshot.
      const { monitored_by: _m, viewers: _v, ...rest } = s as Record<string, unknown>;
      return rest;
    });
}
