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
import { toastForActivity, toastForUpsert } from "./toast-rules";
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
  const list = createSessionList();
  const conversation = createConversation({
    initCount: link.initCount,
    ready: link.ready,
    post: link.post,
    sessionsVersion: list.sessionsVersion,
    session: list.session,
    ended: list.ended,
  });
  const toasts = createToasts({ clock, now, connection: status.connection, storage: options.storage });
  const alerts = createAlerts(link.post);
  const activity = createActivity(options.activityLimit);
  const commands = createCommands(link.post);

  /** The signed-in user's stores, wired to the slices they read and narrow. */
  const createUserStores = (stores: NonNullable<PanelOptions["userStores"]>) => {
    const userId = computed(() => status.user.value?.id ?? null);
    const filters = createFilterLayer({
      sessions: list.sessions,
      membership: list.membership,
      now,
      agents: status.agents,
      userId,
      transcripts: conversation.transcripts,
      storage: stores.filterStorage,
      ...(stores.openViews ? { openViews: stores.openViews } : {}),
    });
    list.setRowFilter(
      computed(() => (filters.filters.active.value ? filters.filters.matchingIds.value : null)),
    );
    list.setHighlight(filters.filters.keyword);
    list.setSnippets((s) => filters.snippetFor(s));
    list.onMessages((ms) => filters.addMessages(ms));
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
      list.applyInit(state.sessions);
      activity.applyInit(state);
      conversation.applyInit(state);
      alerts.applyInit(state);
      now.value = clock();
    },
    patches(patches) {
      for (const p of patches) {
        status.applyPatch(p);
        for (const [prev, next] of list.applyPatch(p)) toasts.push(toastForUpsert(prev, next));
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
