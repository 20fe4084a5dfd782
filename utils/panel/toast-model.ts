/**
 * In-app toasts: drafted by `toast-rules.ts` from what changed, kept while
 * fresh (at most two shown), silenced by the mute switch (kept in `storage`),
 * plus one when the connection stays lost too long.
 */
import { computed, effect, type ReadonlySignal, signal } from "@preact/signals";
import type { ConnectionInfo } from "../panel-messages";
import {
  CONNECTION_LOST_TOAST_MS,
  connectionLostTooLong,
  TOAST_VISIBLE_MS,
  type Toast,
  type ToastDraft,
} from "./toast-rules";

const MUTE_KEY = "live-conversations.toasts-muted";
const MAX_TOASTS_SHOWN = 2;

export interface ToastDeps {
  clock: () => number;
  now: ReadonlySignal<number>;
  connection: ReadonlySignal<ConnectionInfo | null>;
  storage?: Pick<Storage, "getItem" | "setItem"> | undefined;
}

export function createToasts(deps: ToastDeps) {
  const muted = signal(deps.storage?.getItem(MUTE_KEY) === "1");
  const toasts = signal<Toast[]>([]);
  const visibleToasts = computed(() =>
    toasts.value.filter((t) => deps.now.value - t.at < TOAST_VISIBLE_MS).slice(-MAX_TOASTS_SHOWN),
  );

  let toastSeq = 0;
  const push = (draft: ToastDraft | null) => {
    if (!draft || muted.peek()) return;
    toastSeq++;
    toasts.value = [...toasts.value.slice(-19), { ...draft, id: toastSeq, at: deps.clock() }];
  };

  let lostToastFor = -1;
  effect(() => {
    const c = deps.connection.value;
    const t = deps.now.value;
    if (c && connectionLostTooLong(c, t) && lostToastFor !== c.since) {
      lostToastFor = c.since;
      push({
        title: "Connection lost",
        body: `No live connection to the gateway for over ${Math.round(CONNECTION_LOST_TOAST_MS / 60_000)} min (${c.state}).`,
        severity: "error",
      });
    }
  });

  return {
    toasts,
    visibleToasts,
    muted,
    push,
    dismiss(id: number) {
      toasts.value = toasts.value.filter((t) => t.id !== id);
    },
    setMuted(next: boolean) {
      muted.value = next;
      deps.storage?.setItem(MUTE_KEY, next ? "1" : "0");
    },
  };
}

export type Toasts = ReturnType<typeof createToasts>;
