/**
 * A side panel's port as the worker sees it: a tiny interface so Node tests
 * can hand in a fake (fakeBrowser has no runtime.connect), with the adapter
 * for a real `runtime.Port`.
 */
import type { WorkerToPanel } from "../panel-messages";

export interface PanelPort {
  postMessage(message: WorkerToPanel): void;
  onMessage(cb: (message: unknown) => void): void;
  onDisconnect(cb: () => void): void;
  disconnect(): void;
}

interface RuntimePortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

export function fromRuntimePort(port: RuntimePortLike): PanelPort {
  return {
    // One JSON string per message: far cheaper for Chrome to move than a deep object (see unwrapPortMessage).
    postMessage: (m) => port.postMessage(JSON.stringify(m)),
    onMessage: (cb) => port.onMessage.addListener((m) => cb(m)),
    onDisconnect: (cb) => port.onDisconnect.addListener(() => cb()),
    disconnect: () => port.disconnect(),
  };
}
