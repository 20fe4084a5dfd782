/**
 * The panel's link to the worker: the port's status, every message decoded
 * at the boundary (refused ones counted), `init` handed on at once, and
 * patches and view answers queued and handed on together, in order, once per
 * animation frame.
 */
import { batch, effect, signal } from "@preact/signals";
import type {
  CommandStatus,
  InterventionsAnswer,
  PanelPatch,
  PanelState,
  PanelToWorker,
  ViewUpdate,
} from "../panel-messages";
import { decodeWorkerMessage } from "../panel-messages";
import { animationFrame, type Schedule } from "./frame-scheduler";
import type { LinkStatus, PanelPort } from "./port";

/** What the other slices do with each kind of worker message. */
export interface LinkHandlers {
  init(state: PanelState): void;
  /** The patches and view answers of one frame, oldest first, inside one signal batch. */
  updates(list: readonly LinkUpdate[]): void;
  commandStatus(result: CommandStatus): void;
  interventions(answer: InterventionsAnswer): void;
}

/** A patch, or an answer to this panel's view. */
export type LinkUpdate = { patch: PanelPatch } | { view: ViewUpdate };

export function createWorkerLink(port: PanelPort, schedule: Schedule = animationFrame) {
  const status = signal<LinkStatus>("connecting");
  const ready = signal(false);
  const initCount = signal(0);
  /** Worker messages refused, and items inside them skipped, because they did not validate. */
  const rejected = signal(0);
  const lastError = signal<string | null>(null);
  let handlers: LinkHandlers | null = null;

  let pending: LinkUpdate[] = [];
  let cancelFrame: (() => void) | null = null;
  const flush = () => {
    cancelFrame = null;
    const list = pending;
    pending = [];
    if (list.length > 0) batch(() => handlers?.updates(list));
  };

  const receive = (raw: unknown) => {
    let decoded: ReturnType<typeof decodeWorkerMessage>;
    try {
      decoded = decodeWorkerMessage(raw);
    } catch (e) {
      rejected.value++;
      lastError.value = e instanceof Error ? e.message : String(e);
      return;
    }
    if (decoded.skipped > 0) rejected.value += decoded.skipped;
    status.value = "open";
    const m = decoded.message;
    if (m.type === "init") {
      // A new state makes whatever was queued before it stale.
      pending = [];
      cancelFrame?.();
      cancelFrame = null;
      batch(() => {
        handlers?.init(m.state);
        ready.value = true;
        initCount.value++;
      });
    } else if (m.type === "patch" || m.type === "view") {
      pending.push(m.type === "patch" ? { patch: m.patch } : { view: m.view });
      if (!cancelFrame) {
        let ran = false;
        const cancel = schedule(() => {
          ran = true;
          flush();
        });
        if (!ran) cancelFrame = cancel;
      }
    } else if (m.type === "interventions") {
      handlers?.interventions(m);
    } else {
      handlers?.commandStatus(m.result);
    }
  };

  // The port: subscribed for the owner's lifetime, closed with it.
  effect(() => {
    const offMessage = port.onMessage(receive);
    const offStatus = port.onStatus((s) => {
      status.value = s;
    });
    return () => {
      offMessage();
      offStatus();
      cancelFrame?.();
      port.close();
    };
  });

  return {
    /** The port's state: connecting, open (a message arrived) or lost. */
    status,
    /** True once the first `init` arrived. */
    ready,
    /** Bumped with every `init` (a new or restarted worker): state the panel owns is sent again. */
    initCount,
    rejected,
    lastError,
    /** Where decoded messages go; set once by `createPanel`. */
    route(next: LinkHandlers) {
      handlers = next;
    },
    post(message: PanelToWorker) {
      port.post(message);
    },
    /** Asks the worker for a fresh snapshot. */
    resync() {
      port.post({ type: "resync" });
    },
    /** Test and benchmark hook: apply whatever is queued now instead of at the next frame. */
    flush() {
      cancelFrame?.();
      flush();
    },
  };
}

export type WorkerLink = ReturnType<typeof createWorkerLink>;
