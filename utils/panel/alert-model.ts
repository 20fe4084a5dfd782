/**
 * The panel's view of the user's alerts: the worker's list of unacknowledged
 * alerts and the sound's state; acknowledging and the rules and sound
 * preferences go back to the worker, which evaluates the rules.
 */
import { computed, signal } from "@preact/signals";
import type { Alert, PanelPatch, PanelState, PanelToWorker, SoundState } from "../panel-messages";

export function createAlerts(post: (message: PanelToWorker) => void) {
  /** Unacknowledged alerts of the user's rules, oldest first (the worker's list). */
  const alerts = signal<readonly Alert[]>([]);
  const sound = signal<SoundState | null>(null);
  /** Session id → the alert that highlights its card (the newest with the highlight action). */
  const alertedSessions = computed(() => {
    const out = new Map<string, Alert>();
    for (const a of alerts.value)
      if (a.session_id !== null && a.actions.includes("highlight")) out.set(a.session_id, a);
    return out;
  });
  /** Alerts shown as toasts until acknowledged (newest last). */
  const alertToasts = computed(() => alerts.value.filter((a) => a.actions.includes("toast")));

  return {
    alerts,
    sound,
    alertedSessions,
    alertToasts,
    applyInit(state: PanelState) {
      alerts.value = state.alerts ?? [];
      sound.value = state.sound ?? null;
    },
    applyPatch(p: PanelPatch) {
      if (p.alerts) alerts.value = p.alerts;
      if (p.sound) sound.value = p.sound;
    },
    /** Acknowledges alerts (stops a repeating sound once none is owed). */
    ack(target: { alert_ids: string[] } | { session_id: string } | { all: true }) {
      alerts.value = alerts.value.filter((a) =>
        "all" in target
          ? false
          : "session_id" in target
            ? a.session_id !== target.session_id
            : !target.alert_ids.includes(a.id),
      );
      post({ type: "alert_ack", ...target });
    },
    /** Alert rules and sound preferences go to the worker, which evaluates them. */
    send(message: Extract<PanelToWorker, { type: "alert_rules" | "sound_prefs" }>) {
      post(message);
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
