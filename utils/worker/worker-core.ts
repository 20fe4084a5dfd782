/**
 * The background worker's heart, free of `browser.*`: connection, stream
 * sync, panel hub, command outbox, persistence, badge and notifications,
 * wired together. The entrypoint hands in browser adapters; Node tests hand
 * in `ws`, a Map-backed storage and fakes, and run the very same code.
 */

import { boundActivity } from "../activity/kinds";
import { type AlertEngine, createAlertEngine } from "../alerts/alert-engine";
import type { SoundApi } from "../alerts/alert-sound";
import { type BadgeApi, createBadge } from "../attention/badge";
import { createNotifier, type NotificationsApi } from "../attention/notifier";
import { createSessionToasts } from "../attention/session-toasts";
import { createCommandOutbox } from "../connection/command-outbox";
import { type ConnectionTiming, createConnection } from "../connection/connection";
import type { FetchLike } from "../connection/http-client";
import type { CreateSocket } from "../connection/socket";
import { createSampleRing, type RingOptions } from "../metrics-history/sample-ring";
import type { CommandStatus, Counters, PanelPatch, PanelState } from "../panel-messages";
import type { KeyValueStorage } from "../platform/kv-storage";
import type { DeltaFrame, EventFrame, Metrics, Session } from "../protocol";
import { createQueryService } from "../query";
import type { NotificationKind, Settings } from "../settings";
import { createChangeSet } from "../store/change-set";
import { createCounters } from "../store/counters";
import { createPersistence } from "../store/persistence";
import type { Cursor } from "../store/sequencer";
import { createPanelHub } from "./panel-hub";
import type { PanelPort } from "./panel-port";
import { createStreamSync } from "./stream-sync";

export interface WorkerCoreOptions {
  settings: Settings;
  createSocket: CreateSocket;
  fetch?: FetchLike;
  /** storage.session in the extension. */
  storage: KeyValueStorage;
  /**
   * Where the alert rules, sound choice and open alerts are kept: storage.local in the extension, so rules
   * fire and an enabled sound plays after a browser restart before any panel opens. Default: `storage`.
   */
  alertStorage?: KeyValueStorage;
  badge?: BadgeApi;
  notifications?: NotificationsApi;
  /** Plays the alert sound (offscreen document in Chrome, background page in Firefox). */
  sound?: SoundApi;
  timing?: Partial<ConnectionTiming>;
  clientName?: string;
  patchIntervalMs?: number;
  persistIntervalMs?: number;
  notifyCoalesceMs?: number;
  connectionLostMs?: number;
  /** The metrics history's window and bucket (tests shorten them); defaults: one hour, 5 s. */
  metricsHistory?: RingOptions & { now?: () => number };
  /** Test/benchmark hook: every applied event, in order. */
  onEvent?: (event: EventFrame) => void;
  /** Test/benchmark hook: every applied snapshot (its cursor), in order with the events. */
  onSnapshot?: (snapshot: Cursor) => void;
  /** Benchmark hook: every token delta, once applied to its transcript. */
  onDelta?: (delta: DeltaFrame) => void;
}

/** What the fault suite and benchmarks compare with the gateway's snapshot. */
export interface WorkerDump {
  cursor: Cursor | null;
  phase: string;
  sessions: Session[];
  counters: Counters;
  connection: PanelState["connection"];
  pendingCommands: string[];
  watch: string[];
}

export interface WorkerCore {
  /** Restores persisted state and connects. */
  start(): Promise<void>;
  stop(): Promise<void>;
  connectPanel(port: PanelPort): void;
  panelState(): PanelState;
  dump(): WorkerDump;
  /** The cheap part of `dump` (no session list): for the benchmark and diagnostics. */
  stats(): Omit<WorkerDump, "sessions" | "pendingCommands" | "watch"> & { sessionCount: number };
  readonly counters: Counters;
  online(): void;
  offline(): void;
  /** Tell every panel to show this session (a notification was clicked). */
  focus(sessionId: string): void;
  /** Test hook: forget the socket as if the network dropped it. */
  dropSocket(): void;
  /** Alert rules, active alerts and the sound. */
  readonly alerts: AlertEngine;
}

export function createWorkerCore(opts: WorkerCoreOptions): WorkerCore {
  const { settings } = opts;
  const changes = createChangeSet();
  const counters = createCounters();
  let welcomes = 0;
  let stopped = false;
  /** The last hour of metrics for the sparklines: one sample per metrics frame or snapshot. */
  const history = createSampleRing(opts.metricsHistory);
  const recordMetrics = (m: Metrics) => {
    history.add(m);
    changes.mark("metrics");
  };

  const notifier = opts.notifications
    ? createNotifier({
        api: opts.notifications,
        enabled: (kind: NotificationKind) => settings.notifications && settings.notify[kind],
        session: (id) => sync.sessions.sessions.get(id),
        ...(opts.notifyCoalesceMs === undefined ? {} : { coalesceMs: opts.notifyCoalesceMs }),
        ...(opts.connectionLostMs === undefined ? {} : { connectionLostMs: opts.connectionLostMs }),
        alertsEnabled: () => settings.notifications,
      })
    : null;

  const alerts = createAlertEngine({
    storage: opts.alertStorage ?? opts.storage,
    changes,
    notify: (a) => notifier?.alert(a),
    badgeChanged: () => badge?.schedule(),
    sound: opts.sound ?? null,
  });

  const sync = createStreamSync({
    changes,
    counters,
    link: {
      requestSnapshot: () => connection.requestSnapshot(),
      requestReplay: (after) => connection.requestReplay(after),
      fetchSession: (id) => connection.http.session(id),
    },
    onEvent: (event, before) => {
      alerts.event(event);
      notifier?.event(event, before);
      opts.onEvent?.(event);
    },
    onCommandResult: (f) => outbox.result(f),
    ...(opts.onDelta ? { onDelta: opts.onDelta } : {}),
    onSnapshot: (s) => {
      recordMetrics(s.metrics);
      opts.onSnapshot?.({ epoch: s.epoch, seq: s.seq });
    },
  });

  const connection = createConnection({
    gatewayUrl: settings.gatewayUrl,
    token: settings.token,
    createSocket: opts.createSocket,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    timing: { pollIntervalMs: settings.pollIntervalMs, ...opts.timing },
    clientName: opts.clientName ?? "live-conversations/0.1.0",
    hooks: {
      resume: () => sync.sequencer.cursor,
      watch: () => hub.watchUnion(),
      needsSnapshot: () => sync.sequencer.phase === "awaiting_snapshot",
      welcome: (w) => {
        if (welcomes++ > 0) counters.reconnects++;
        sync.welcome(w);
        changes.mark("counters");
        outbox.flush();
      },
      frame: (f) => {
        sync.frame(f);
        if (f.type === "metrics") recordMetrics(f.data);
      },
      rejected: (e) => sync.rejected(e),
      httpReady: () => outbox.flush(),
    },
  });

  // Every panel's view runs on this query; session toasts are drafted here, where every session is seen.
  const sessionToasts = createSessionToasts((id) => sync.sessions.sessions.get(id));
  const hub = createPanelHub({
    changes,
    query: createQueryService({ sessions: sync.sessions.sessions }),
    toasts: (c) => sessionToasts.changed(c.sessions, { snapshot: c.snapshot }),
    ...(opts.patchIntervalMs === undefined ? {} : { flushMs: opts.patchIntervalMs }),
    source: {
      state: panelState,
      transcript: (id) => sync.transcript(id),
      extras: (c) => {
        const p: PanelPatch = {};
        if (c.connection) p.connection = connection.info;
        if (c.counters) p.counters = { ...counters };
        if (c.metrics && sync.sessions.metrics) p.metrics = sync.sessions.metrics;
        const sample = c.metrics ? history.latest() : null;
        if (sample) p.metricsSample = sample;
        if (c.agents) p.agents = sync.sessions.agents;
        if (c.user) p.user = sync.user;
        if (c.alerts) p.alerts = alerts.alerts();
        if (c.sound) p.sound = alerts.sound();
        return p;
      },
    },
    onWatch: (ids) => {
      sync.setWatch(ids);
      connection.send({ type: "watch", session_ids: ids });
    },
    onCommand: (cmd) => outbox.submit(cmd),
    onResync: () => connection.requestSnapshot(),
    onInterventions: (q, reply) => {
      connection.http
        .interventions({ ...(q.session_id ? { session_id: q.session_id } : {}), limit: q.limit ?? 200 })
        .then(
          (body) =>
            reply({ type: "interventions", request_id: q.request_id, interventions: body.interventions }),
          (e: unknown) =>
            reply({
              type: "interventions",
              request_id: q.request_id,
              error: {
                code: (e as { code?: string }).code ?? "UNAVAILABLE",
                message: e instanceof Error ? e.message : String(e),
              },
            }),
        );
    },
    onRejected: () => {
      counters.frames_rejected++;
      changes.mark("counters");
    },
    onAlerts: (m) => alerts.message(m),
  });

  const outbox = createCommandOutbox({
    storage: opts.storage,
    path: () => connection.path,
    send: (frame) => connection.send(frame),
    post: (body) => connection.http.command(body),
    report: (status: CommandStatus) => hub.commandStatus(status),
  });

  const persistence = createPersistence(
    opts.storage,
    () => {
      const cursor = sync.sequencer.cursor;
      const metrics = sync.sessions.metrics;
      if (!cursor || !metrics || sync.sequencer.phase === "awaiting_snapshot") return null;
      return {
        v: 1 as const,
        gatewayUrl: settings.gatewayUrl,
        epoch: cursor.epoch,
        seq: cursor.seq,
        sessions: sync.sessions.list(),
        agents: sync.sessions.agents,
        metrics,
        metricsHistory: history.samples(),
        user: sync.user,
        // The newest 100, rare kinds (interventions, transfers, starts, ends) before messages.
        activity: boundActivity(sync.activity.entries(), 100),
        savedAt: Date.now(),
      };
    },
    opts.persistIntervalMs,
  );

  const badge = opts.badge
    ? createBadge(opts.badge, () => ({
        sessions: sync.sessions.sessions.values(),
        connection: connection.info,
        alerted: alerts.badgeSessions(),
      }))
    : null;

  changes.onDirty(() => {
    persistence.touch();
    badge?.schedule();
  });
  connection.subscribe(({ info }) => {
    changes.mark("connection");
    badge?.schedule();
    notifier?.connection(info);
  });

  function panelState(): PanelState {
    return {
      connection: connection.info,
      user: sync.user,
      agents: sync.sessions.agents,
      metrics: sync.sessions.metrics,
      metricsHistory: history.samples(),
      activity: sync.activity.entries(),
      counters: { ...counters },
      transcripts: sync.transcripts.all(),
      alerts: alerts.alerts(),
      sound: alerts.sound(),
    };
  }

  return {
    async start() {
      const saved = await persistence.load(settings.gatewayUrl);
      if (saved) {
        sync.restore(saved, saved.user);
        sync.activity.restore(saved.activity);
        if (saved.metricsHistory) history.restore(saved.metricsHistory);
      }
      await outbox.restore();
      await alerts.restore();
      if (stopped) return;
      connection.start();
      void badge?.update();
    },
    async stop() {
      stopped = true;
      connection.stop();
      await persistence.saveNow();
      await alerts.flush();
      hub.dispose();
      outbox.dispose();
      persistence.dispose();
      badge?.dispose();
      notifier?.dispose();
      alerts.dispose();
      sync.dispose();
    },
    connectPanel: (port) => hub.connect(port),
    panelState,
    stats() {
      return {
        cursor: sync.sequencer.cursor,
        phase: sync.sequencer.phase,
        counters: { ...counters },
        connection: connection.info,
        sessionCount: sync.sessions.sessions.size,
      };
    },
    dump() {
      return {
        cursor: sync.sequencer.cursor,
        phase: sync.sequencer.phase,
        sessions: sync.sessions.list(),
        counters: { ...counters },
        connection: connection.info,
        pendingCommands: outbox.pending(),
        watch: hub.watchUnion(),
      };
    },
    counters,
    online: () => connection.online(),
    offline: () => connection.offline(),
    focus(sessionId) {
      hub.broadcast({ type: "patch", patch: { focus: sessionId } });
    },
    dropSocket: () => connection.dropSocket(),
    alerts,
  };
}
