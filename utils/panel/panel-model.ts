/**
 * The side panel's model: the state received from the worker in signals,
 * derived lists in `computed`, and actions that post to the port. Patches are
 * queued and applied together once per animation frame (token deltas included),
 * each in O(changed sessions) plus one near-linear re-sort of the id order.
 */

import { batch, computed, createModel, effect, type ReadonlySignal, signal } from "@preact/signals";
import { ACTIVITY_LIMIT, boundActivity } from "../activity/kinds";
import { createCommandJournal } from "../interventions";
import { appendSample, type MetricsSample } from "../metrics-history/sample-ring";
import type {
  ActivityEntry,
  Alert,
  ConnectionInfo,
  Counters,
  MessageText,
  PanelPatch,
  PanelState,
  PanelToWorker,
  SoundState,
  Transcript,
} from "../panel-messages";
import { decodeWorkerMessage } from "../panel-messages";
import {
  type Action,
  type Agent,
  commandBody,
  decodeCommand,
  type Intervention,
  type Metrics,
  type Session,
  type User,
} from "../protocol";
import { animationFrame, type Schedule } from "./frame-scheduler";
import { DEFAULT_HANDOFF_THRESHOLDS, type HandoffThresholds } from "./handoff-timer";
import type { LinkStatus, PanelPort } from "./port";
import { createSessionIndex } from "./session-index";
import type { SortMode } from "./session-sort";
import {
  CONNECTION_LOST_TOAST_MS,
  connectionLostTooLong,
  TOAST_VISIBLE_MS,
  type Toast,
  type ToastDraft,
  toastForActivity,
  toastForUpsert,
} from "./toast-rules";
import { mergeTranscript, shareMessages } from "./transcript-sharing";

export type ListView = "unified" | "grouped";
export interface GroupHeader {
  kind: "group";
  agent_id: string;
  name: string;
  color: string;
  count: number;
}
/** A row of the session list: a session id, or an agent's header in the grouped view. */
export type ListRow = string | GroupHeader;

export interface PanelModelOptions {
  /** How patches are coalesced; defaults to once per animation frame. */
  schedule?: Schedule;
  clock?: () => number;
  /** Period of the shared elapsed-time ticker; 0 turns it off (tests set `now`). */
  tickMs?: number;
  storage?: Pick<Storage, "getItem" | "setItem">;
  activityLimit?: number;
  /** The hand-off waiting timer's thresholds until `setHandoffThresholds` (defaults 60 s / 180 s). */
  handoffThresholds?: HandoffThresholds;
}

const MUTE_KEY = "live-conversations.toasts-muted";
const MAX_TOASTS_SHOWN = 2;

export const PanelModel = createModel((port: PanelPort, options: PanelModelOptions = {}) => {
  const schedule = options.schedule ?? animationFrame;
  const clock = options.clock ?? Date.now;
  const tickMs = options.tickMs ?? 1000;
  const activityLimit = options.activityLimit ?? ACTIVITY_LIMIT;
  const storage = options.storage;

  const link = signal<LinkStatus>("connecting");
  const ready = signal(false);
  const initCount = signal(0);
  const connection = signal<ConnectionInfo | null>(null);
  const user = signal<User | null>(null);
  const agents = signal<Agent[]>([]);
  const metrics = signal<Metrics | null>(null);
  /** The last hour of metrics (the sparklines): replaced by `init`, one sample added per patch that has one. */
  const metricsHistory = signal<readonly MetricsSample[]>([]);
  const activity = signal<ActivityEntry[]>([]);
  const counters = signal<Counters | null>(null);
  const transcripts = signal<ReadonlyMap<string, Transcript>>(new Map());
  /** The commands this panel sent and every status the worker reported (the intervention model reads it). */
  const journal = createCommandJournal({
    post(cmd) {
      port.post({ type: "command", ...commandBody(cmd) });
      return undefined;
    },
  });
  /** Audit history fetched through the worker (`GET /v1/interventions`), by intervention_id. */
  const interventionHistory = signal<ReadonlyMap<string, Intervention>>(new Map());
  const historyError = signal<string | null>(null);
  const messageListeners = new Set<(messages: readonly MessageText[]) => void>();
  /** Worker messages refused, and items inside them skipped, because they did not validate. */
  const rejected = signal(0);
  const lastError = signal<string | null>(null);
  const now = signal(clock());
  const view = signal<ListView>("unified");
  const sortMode = signal<SortMode>("recent");
  /** When a hand-off request's waiting timer turns amber and red (from the settings). */
  const handoffThresholds = signal<HandoffThresholds>(
    options.handoffThresholds ?? DEFAULT_HANDOFF_THRESHOLDS,
  );
  const selectedId = signal<string | null>(null);
  const muted = signal(storage?.getItem(MUTE_KEY) === "1");
  const toasts = signal<Toast[]>([]);
  const sessionsVersion = signal(0);
  /** Bumped whenever any session changes, moved or not (for whole-list readers such as filters). */
  const contentVersion = signal(0);
  /** Bumped only when sessions join or leave (not when one changes or moves). */
  const membership = signal(0);
  /** Ids the list shows; null shows every session. Set by the filter layer. */
  const rowFilter = signal<ReadonlySignal<ReadonlySet<string> | null> | null>(null);
  /** The keyword whose matches are marked in previews and transcripts. */
  const highlightSource = signal<ReadonlySignal<string> | null>(null);
  const highlight = computed(() => highlightSource.value?.value ?? "");
  /** Where a card's keyword snippet comes from (the filter layer's index), when a keyword filter exists. */
  const snippetSource = signal<((s: Session) => string | null) | null>(null);
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
  const index = createSessionIndex();

  const order = computed(() => {
    sessionsVersion.value;
    return index.sortedIds(sortMode.value);
  });
  const sessionCount = computed(() => order.value.length);
  /** Every active session, most recent first (recomputed when any of them changes). */
  const sessions = computed<readonly Session[]>(() => {
    contentVersion.value;
    const out: Session[] = [];
    for (const id of order.value) {
      const s = index.get(id)?.peek();
      if (s) out.push(s);
    }
    return out;
  });
  /** The order the list shows: `order` narrowed by the row filter. */
  const listOrder = computed(() => {
    const only = rowFilter.value?.value ?? null;
    return only ? order.value.filter((id) => only.has(id)) : order.value;
  });
  const listCount = computed(() => listOrder.value.length);
  const groups = computed(() => {
    const byAgent = new Map<string, { header: GroupHeader; ids: string[] }>();
    for (const id of listOrder.value) {
      const s = index.get(id)?.peek();
      if (!s) continue;
      let g = byAgent.get(s.agent.id);
      if (!g) {
        g = {
          header: { kind: "group", agent_id: s.agent.id, name: s.agent.name, color: s.agent.color, count: 0 },
          ids: [],
        };
        byAgent.set(s.agent.id, g);
      }
      g.ids.push(id);
    }
    return [...byAgent.values()]
      .map((g) => ({ ...g, header: { ...g.header, count: g.ids.length } }))
      .sort(
        (a, b) =>
          a.header.name.localeCompare(b.header.name) || a.header.agent_id.localeCompare(b.header.agent_id),
      );
  });
  const rows = computed<ListRow[]>(() => {
    if (view.value === "unified") return listOrder.value;
    const out: ListRow[] = [];
    for (const g of groups.value) out.push(g.header, ...g.ids);
    return out;
  });
  const selected = computed<Session | null>(() => {
    sessionsVersion.value;
    const id = selectedId.value;
    if (!id) return null;
    return index.get(id)?.value ?? index.getEnded(id) ?? null;
  });
  const transcript = computed(() => {
    const id = selectedId.value;
    return id ? (transcripts.value.get(id) ?? null) : null;
  });
  const visibleToasts = computed(() =>
    toasts.value.filter((t) => now.value - t.at < TOAST_VISIBLE_MS).slice(-MAX_TOASTS_SHOWN),
  );

  let toastSeq = 0;
  const pushToast = (draft: ToastDraft | null) => {
    if (!draft || muted.peek()) return;
    toastSeq++;
    toasts.value = [...toasts.value.slice(-19), { ...draft, id: toastSeq, at: clock() }];
  };

  const applyState = (state: PanelState) => {
    batch(() => {
      connection.value = state.connection;
      user.value = state.user;
      const keep = new Set<string>();
      for (const s of state.sessions) {
        if (s.status === "ended") continue;
        keep.add(s.id);
        index.upsert(s);
      }
      index.retain(keep);
      sessionsVersion.value++;
      contentVersion.value++;
      membership.value++;
      agents.value = state.agents;
      metrics.value = state.metrics;
      metricsHistory.value = state.metricsHistory ?? [];
      activity.value = boundActivity(state.activity.slice(), activityLimit);
      counters.value = state.counters;
      transcripts.value = new Map(state.transcripts.map((t) => [t.session_id, t]));
      alerts.value = state.alerts ?? [];
      sound.value = state.sound ?? null;
      now.value = clock();
      ready.value = true;
      initCount.value++;
    });
  };

  const applyPatch = (p: PanelPatch) => {
    if (p.connection) connection.value = p.connection;
    if (p.user !== undefined) user.value = p.user;
    let changed = false;
    let joinedOrLeft = false;
    if (p.replace_sessions) {
      const keep = new Set((p.upserts ?? []).filter((s) => s.status !== "ended").map((s) => s.id));
      joinedOrLeft = index.retain(keep);
      changed = joinedOrLeft;
    }
    const ended: string[] = [];
    for (const s of p.upserts ?? []) {
      if (s.status === "ended") {
        ended.push(s.id);
        continue;
      }
      const { prev, moved } = index.upsert(s);
      if (!prev) joinedOrLeft = true;
      if (!p.replace_sessions || prev) pushToast(toastForUpsert(prev, s));
      changed = moved || changed;
    }
    if (p.removed) ended.push(...p.removed);
    if (ended.length > 0 && index.remove(ended)) {
      changed = true;
      joinedOrLeft = true;
    }
    if (changed) sessionsVersion.value++;
    if (joinedOrLeft) membership.value++;
    if ((p.upserts?.length ?? 0) > 0 || ended.length > 0) contentVersion.value++;
    if (p.agents) agents.value = p.agents;
    if (p.metrics) metrics.value = p.metrics;
    if (p.metricsSample) metricsHistory.value = appendSample(metricsHistory.value, p.metricsSample);
    if (p.counters) counters.value = p.counters;
    if (p.messages && p.messages.length > 0) for (const cb of messageListeners) cb(p.messages);
    if (p.activity && p.activity.length > 0) {
      activity.value = boundActivity([...activity.value, ...p.activity], activityLimit);
      for (const a of p.activity) pushToast(toastForActivity(a));
    }
    if (p.transcripts && p.transcripts.length > 0) {
      const next = new Map(transcripts.value);
      for (const t of p.transcripts) {
        const prev = next.get(t.session_id);
        next.set(t.session_id, shareMessages(prev, mergeTranscript(prev, t)));
      }
      transcripts.value = next;
    }
    if (p.alerts) alerts.value = p.alerts;
    if (p.sound) sound.value = p.sound;
    // A clicked notification asks to show this session.
    if (p.focus) selectedId.value = p.focus;
  };

  let pending: PanelPatch[] = [];
  let scheduled = false;
  let cancelFrame: (() => void) | null = null;
  const flush = () => {
    scheduled = false;
    cancelFrame = null;
    const list = pending;
    pending = [];
    batch(() => {
      for (const p of list) applyPatch(p);
    });
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
    link.value = "open";
    const m = decoded.message;
    if (m.type === "init") {
      pending = [];
      cancelFrame?.();
      cancelFrame = null;
      scheduled = false;
      applyState(m.state);
    } else if (m.type === "patch") {
      pending.push(m.patch);
      if (!scheduled) {
        scheduled = true;
        const cancel = schedule(flush);
        if (scheduled) cancelFrame = cancel;
      }
    } else if (m.type === "interventions") {
      if ("error" in m) {
        historyError.value = m.error.message;
        return;
      }
      historyError.value = null;
      const next = new Map(interventionHistory.value);
      for (const i of m.interventions) next.set(i.intervention_id, i);
      interventionHistory.value = next;
    } else {
      journal.report(m.result);
    }
  };

  // The port: subscribed for the model's lifetime, closed with it.
  effect(() => {
    const offMessage = port.onMessage(receive);
    const offStatus = port.onStatus((status) => {
      link.value = status;
    });
    return () => {
      offMessage();
      offStatus();
      cancelFrame?.();
      port.close();
    };
  });

  // One shared ticker for every elapsed time and toast expiry.
  effect(() => {
    if (tickMs <= 0) return;
    const id = setInterval(() => {
      now.value = clock();
    }, tickMs);
    return () => clearInterval(id);
  });

  // Tell the worker which transcript we show, again after every (re)connect.
  effect(() => {
    initCount.value;
    const id = selectedId.value;
    if (!ready.peek()) return;
    port.post({ type: "watch", session_ids: id ? [id] : [] });
  });

  let lostToastFor = -1;
  effect(() => {
    const c = connection.value;
    const t = now.value;
    if (c && connectionLostTooLong(c, t) && lostToastFor !== c.since) {
      lostToastFor = c.since;
      pushToast({
        title: "Connection lost",
        body: `No live connection to the gateway for over ${Math.round(CONNECTION_LOST_TOAST_MS / 60_000)} min (${c.state}).`,
        severity: "error",
      });
    }
  });

  return {
    link,
    ready,
    /** Bumped with every `init` (a new or restarted worker): state the panel owns is sent again. */
    initCount,
    connection,
    user,
    agents,
    metrics,
    metricsHistory,
    activity,
    counters,
    transcripts,
    /** Every command status reported, by cmd_id (the journal's). */
    commands: journal.statuses,
    journal,
    interventionHistory,
    historyError,
    rejected,
    lastError,
    now,
    view,
    sortMode,
    handoffThresholds,
    selectedId,
    muted,
    toasts,
    sessionsVersion,
    membership,
    order,
    sessions,
    listOrder,
    listCount,
    highlight,
    sessionCount,
    groups,
    rows,
    selected,
    transcript,
    visibleToasts,
    alerts,
    sound,
    alertedSessions,
    alertToasts,
    /** Acknowledges alerts (stops a repeating sound once none is owed). */
    ackAlerts(target: { alert_ids: string[] } | { session_id: string } | { all: true }) {
      alerts.value = alerts.value.filter((a) =>
        "all" in target
          ? false
          : "session_id" in target
            ? a.session_id !== target.session_id
            : !target.alert_ids.includes(a.id),
      );
      port.post({ type: "alert_ack", ...target });
    },
    /** Alert rules and sound preferences go to the worker, which evaluates them. */
    postAlerts(message: Extract<PanelToWorker, { type: "alert_rules" | "sound_prefs" }>) {
      port.post(message);
    },
    /** The live signal of one session, for its card. */
    session: (id: string) => index.get(id),
    open(id: string) {
      selectedId.value = id;
    },
    close() {
      selectedId.value = null;
    },
    setView(next: ListView) {
      view.value = next;
    },
    setSortMode(next: SortMode) {
      sortMode.value = next;
    },
    setHandoffThresholds(next: HandoffThresholds) {
      handoffThresholds.value = next;
    },
    setMuted(next: boolean) {
      muted.value = next;
      storage?.setItem(MUTE_KEY, next ? "1" : "0");
    },
    dismissToast(id: number) {
      toasts.value = toasts.value.filter((t) => t.id !== id);
    },
    resync() {
      port.post({ type: "resync" });
    },
    /** Calls `cb` with the new message texts of every session as patches arrive; returns the undo. */
    onMessages(cb: (messages: readonly MessageText[]) => void): () => void {
      messageListeners.add(cb);
      return () => messageListeners.delete(cb);
    },
    /** Asks the worker for the intervention audit history (all sessions, or one). */
    requestInterventions(sessionId?: string) {
      port.post({
        type: "interventions",
        request_id: crypto.randomUUID(),
        ...(sessionId ? { session_id: sessionId } : {}),
      });
    },
    /** Narrows the list to the ids the given signal holds (null: no narrowing). */
    setRowFilter(ids: ReadonlySignal<ReadonlySet<string> | null> | null) {
      rowFilter.value = ids;
    },
    /** Marks this keyword's matches in previews and transcripts. */
    setHighlight(keyword: ReadonlySignal<string> | null) {
      highlightSource.value = keyword;
    },
    /** Gives cards a snippet of a keyword match outside their preview (null: none). */
    setSnippets(source: ((s: Session) => string | null) | null) {
      snippetSource.value = source;
    },
    /** The keyword snippet to show on this session's card, if any (see `setSnippets`). */
    snippetFor(s: Session): string | null {
      return snippetSource.value?.(s) ?? null;
    },
    /**
     * Sends an intervention command; returns its cmd_id, whose status lands in `commands`.
     * `cmd_id` is generated once per user action: a retry of the same action passes it back in.
     */
    command(
      action: Action,
      sessionId: string,
      reason: string,
      payload?: Record<string, unknown>,
      cmd_id: string = crypto.randomUUID(),
    ) {
      const meant = decodeCommand({
        cmd_id,
        action,
        session_id: sessionId,
        reason,
        ...(payload ? { payload } : {}),
      });
      if (!meant.ok) {
        // Refused here exactly as the worker and the gateway would refuse it.
        journal.report({
          cmd_id,
          status: "failed",
          code: meant.problem.code,
          message: meant.problem.message,
        });
        return cmd_id;
      }
      return journal.send(meant.value);
    },
    /** Test and benchmark hook: apply whatever is queued now instead of at the next frame. */
    flush() {
      cancelFrame?.();
      if (pending.length > 0) flush();
    },
  };
});

export type PanelModel = InstanceType<typeof PanelModel>;

export function createPanelModel(port: PanelPort, options?: PanelModelOptions): PanelModel {
  return new PanelModel(port, options);
}
