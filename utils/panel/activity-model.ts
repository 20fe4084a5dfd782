/** The activity feed as the panel holds it: the worker's entries, newest last, under the same bound. */
import { signal } from "@preact/signals";
import { ACTIVITY_LIMIT, boundActivity } from "../activity/kinds";
import type { ActivityEntry, PanelPatch, PanelState } from "../panel-messages";

export function createActivity(limit: number = ACTIVITY_LIMIT) {
  const entries = signal<ActivityEntry[]>([]);
  return {
    entries,
    applyInit(state: PanelState) {
      entries.value = boundActivity(state.activity.slice(), limit);
    },
    /** Appends a patch's entries; returns them (empty when none). */
    applyPatch(p: PanelPatch): readonly ActivityEntry[] {
      if (!p.activity || p.activity.length === 0) return [];
      entries.value = boundActivity([...entries.value, ...p.activity], limit);
      return p.activity;
    },
  };
}

export type Activity = ReturnType<typeof createActivity>;
