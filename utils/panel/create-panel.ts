/**
 * The side panel's state, composed in one place: the link to the worker
 * routes each decoded message to the slices that own its parts, and each
 * component is given only the slices it reads. Everything long-lived (the
 * port, the ticker, the watch and toast effects) is disposed with the panel.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import { createRulesModel } from "../alerts/rules-model";
import { createCannedModel } from "../canned-replies";
import type { FilterPersistence } from "../filters";
import type { ViewsStore } from "../saved-views";
import { createActivity } from "./activity-model";
import { createAlerts } from "./alert-model";
import { createCommands } from "./command-model";
import { createConversation } from "./conversation-model";
import { createFilterLayer } from "./filter-layer";
import type { Schedule } from "./frame-scheduler";
import { createGatewayStatus } from "./gateway-status";
import { DEFAULT_HANDOFF_THRESHOLDS, type HandoffThresholds } from "./handoff-timer";
import type { PanelPort } from "./port";
import { createSessionList } from "./session-list-model";
import { createToasts } from "./toast-model";
import { toastForActivity } from "./toast-rules";
import { createWorkerLink } from "./worker-link";

export interface PanelOptions {
  /** How patches are coalesced; defaults to once per animation frame. */
  schedule?: Schedule;
  clock?: () => number;
  /** Period of the shared elapsed-time ticker; 0 turns it off (tests set `now`). */
  tickMs?: number;
  storage?: Pick<Storage, "getItem" | "setItem">;
  activityLimit?: number;
  /** The hand-off waiting timer's thresholds until `setHandoffThresholds` (defaults 60 s / 180 s). */
  handoffThresholds?: HandoffThresholds;
  /**
   * The signed-in user's stores: where the active filter is kept across panel reloads (`storage.session`)
   * and how saved views are opened (IndexedDB by default). With it the panel has filters and saved views,
   * alert rules and canned replies; without it (component tests) none of them.
   */
  userStores?: { filterStorage: FilterPersistence; openViews?: (userId: string) => Promise<ViewsStore> };
}

export const Panel = createModel((port: PanelPort, options: PanelOptions = {}) => {
  const clock = options.clock ?? Date.now;
  const tickMs = options.tickMs ?? 1000;
  const link = createWorkerLink(port, options.schedule);
  /** The shared clock of every elapsed time and toast expiry. */
  const now = signal(clock());
  /** When a hand-off request's waiting timer turns amber and red (from the settings). */
  const handoffThresholds = signal<HandoffThresholds>(
    options.handoffThresholds ?? DEFAULT_HANDOFF_THRESHOLDS,
  );
  const status = createGatewayStatus();
  const conversation = createConversation({
    initCount: link.initCount,
    ready: link.ready,
    post: link.post,
    sessionsVersion: computed(() => list.sessionsVersion.value),
    session: (id) => list.session(id),
    ended: (id) => list.ended(id),
  });
  const list = createSessionList({
    post: link.post,
    ready: link.ready,
    initCount: link.initCount,
    selectedId: conversation.selectedId,
  });
  const toasts = createToasts({ clock, now, connection: status.connection, storage: options.storage });
  const alerts = createAlerts(link.post);
  const activity = createActivity(options.activityLimit);
  const commands = createCommands(link.post);

  /** The signed-in user's stores, wired to the slices they read and narrow. */
  const createUserStores = (stores: NonNullable<PanelOptions["userStores"]>) => {
    const userId = computed(() => status.user.value?.id ?? null);
    const filters = createFilterLayer({
      count: list.listCount,
      total: list.sessionCount,
      agents: status.agents,
      seenAgents: list.agents,
      partial: (id) => list.partial.value.has(id),
      userId,
      storage: stores.filterStorage,
      ...(stores.openViews ? { openViews: stores.openViews } : {}),
    });
    // The view the worker answers applies this filter once it is loaded.
    list.setFilter({ spec: filters.filters.spec, ready: filters.filters.ready });
    const alertRules = createRulesModel({
      userId,
      send: (uid, rules) => alerts.send({ type: "alert_rules", user_id: uid, rules: [...rules] }),
    });
    // A new or restarted worker (every `init`) gets the rules again.
    effect(() => {
      link.initCount.value;
      alertRules.resend();
    });
    const canned = createCannedModel({ userId });
    return { filters, alertRules, canned };
  };

  link.route({
    init(state) {
      status.applyInit(state);
      activity.applyInit(state);
      conversation.applyInit(state);
      alerts.applyInit(state);
      now.value = clock();
    },
    updates(updates) {
      for (const u of updates) {
        if ("view" in u) {
          list.applyView(u.view);
          continue;
        }
        const p = u.patch;
        status.applyPatch(p);
        for (const t of p.toasts ?? []) toasts.push(t);
        for (const a of activity.applyPatch(p)) toasts.push(toastForActivity(a));
        conversation.applyPatch(p);
        alerts.applyPatch(p);
      }
    },
    commandStatus: (result) => commands.journal.report(result),
    interventions: (answer) => commands.applyHistory(answer),
  });

  const userStores = options.userStores ? createUserStores(options.userStores) : null;

  effect(() => {
    if (tickMs <= 0) return;
    const id = setInterval(() => {
      now.value = clock();
    }, tickMs);
    return () => clearInterval(id);
  });

  return {
    link,
    status,
    list,
    conversation,
    toasts,
    alerts,
    activity,
    commands,
    now,
    handoffThresholds,
    /**
     * The signed-in user's stores — filters and saved views, alert rules, canned replies — or null
     * without `userStores` (component tests: the list is then unfiltered).
     */
    userStores: () => userStores,
    setHandoffThresholds(next: HandoffThresholds) {
      handoffThresholds.value = next;
    },
  };
});

export type Panel = InstanceType<typeof Panel>;

export function createPanel(port: PanelPort, options?: PanelOptions): Panel {
  return new Panel(port, options);
}
