/**
 * The worker's side of the panel link: every panel gets the state first
 * (`init`: everything but the sessions), then coalesced `patch`es (at most one per `flushMs`, 16 ms by
 * default, the first after a quiet spell at once; a change to a transcript a panel watches, such as a
 * streaming token, at the end of the current task) built from the ChangeSet, with only the transcripts it watches.
 * Sessions reach a panel only through its view (`view` from the panel → `view` answers): the rows in its
 * range with their sessions, at once and after every change that touches them (`utils/query/`).
 * The union of all panels' watch sets is reported upward (it becomes the
 * protocol's watch set). Panel messages are validated on receipt.
 */

import type { ToastDraft } from "../attention/toast-schema";
import type {
  CommandStatus,
  PanelPatch,
  PanelState,
  PanelToWorker,
  Transcript,
  WorkerToPanel,
} from "../panel-messages";
import { decodePanelMessage } from "../panel-messages";
import type { Message } from "../protocol";
import { createViewFeed, type QueryService, type ViewFeed } from "../query";
import type { ChangeSet, Changes } from "../store/change-set";
import type { PanelPort } from "./panel-port";

export interface HubSource {
  state(): PanelState;
  transcript(id: string): Transcript | null;
  /** The remaining, non-session parts of a patch (connection, counters, metrics, agents, user). */
  extras(changes: Changes): PanelPatch;
}

export interface PanelHubOptions {
  changes: ChangeSet;
  source: HubSource;
  /** The query every panel's view runs on; the hub hands it each change set first. */
  query: QueryService;
  /** Toasts for these changed sessions (the worker's session toasts); none by default. */
  toasts?(c: Changes): ToastDraft[];
  /** How often views under a duration filter are judged again without other changes. */
  viewTickMs?: number;
  onWatch(union: string[]): void;
  onCommand(command: Extract<PanelToWorker, { type: "command" }>): void;
  onResync(): void;
  /** A panel asked for the intervention history; answer it with `reply`. */
  onInterventions?(
    query: Extract<PanelToWorker, { type: "interventions" }>,
    reply: (answer: WorkerToPanel) => void,
  ): void;
  onRejected?(message: string): void;
  /** Alert rules, acknowledgements and sound preferences from a panel. */
  onAlerts?(message: Extract<PanelToWorker, { type: "alert_rules" | "alert_ack" | "sound_prefs" }>): void;
  flushMs?: number;
}

export interface PanelHub {
  connect(port: PanelPort): void;
  broadcast(message: WorkerToPanel): void;
  commandStatus(result: CommandStatus): void;
  flush(): void;
  readonly size: number;
  watchUnion(): string[];
  dispose(): void;
}

export const PATCH_INTERVAL_MS = 16;

export function createPanelHub(opts: PanelHubOptions): PanelHub {
  const { changes, source } = opts;
  const flushMs = opts.flushMs ?? PATCH_INTERVAL_MS;
  const panels = new Map<PanelPort, Set<string>>();
  /** Each panel's view, fed with what changed in it. */
  const views = new Map<PanelPort, ViewFeed>();
  const { query } = opts;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastUnion = "";

  let lastFlush = 0;
  /** The pending flush runs as soon as the current task ends (not after the rest of `flushMs`). */
  let soon = false;
  // A change goes out at once unless a patch left less than `flushMs` ago; the panel coalesces per frame.
  const offDirty = changes.onDirty(() => {
    if (timer === undefined) timer = setTimeout(flush, Math.max(0, flushMs - (Date.now() - lastFlush)));
  });
  // A streaming token of a transcript a panel shows goes straight through: the patch leaves once this
  // task (the socket frame, a gateway batch of tokens) is applied, and the panel draws it in its next frame.
  const offTranscript = changes.onTranscript((id) => {
    if (soon) return;
    for (const watch of panels.values()) {
      if (!watch.has(id)) continue;
      soon = true;
      clearTimeout(timer);
      timer = setTimeout(flush, 0);
      return;
    }
  });

  function union(): string[] {
    const all = new Set<string>();
    for (const w of panels.values()) for (const id of w) all.add(id);
    return [...all].sort();
  }

  function reportWatch(): void {
    const u = union();
    const key = u.join(",");
    if (key === lastUnion) return;
    lastUnion = key;
    opts.onWatch(u);
  }

  function post(port: PanelPort, message: WorkerToPanel): void {
    try {
      port.postMessage(message);
    } catch {
      forget(port); // the panel went away between two messages
    }
  }

  /** A panel is gone: its watch, its view and what it was sent go with it. */
  function forget(port: PanelPort): void {
    panels.delete(port);
    views.get(port)?.close();
    views.delete(port);
    sent.delete(port);
    sentSteps.delete(port);
    reportWatch();
  }

  /** View answers left for the next regular flush (a token's flush does not wait for them). */
  let viewTimer: ReturnType<typeof setTimeout> | undefined;
  function pushViews(): void {
    clearTimeout(viewTimer);
    viewTimer = undefined;
    for (const feed of views.values()) feed.push();
  }

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    // A flush for a streaming token leaves at once with the transcript; the views follow at the usual pace.
    const forToken = soon;
    soon = false;
    if (!changes.dirty) return;
    lastFlush = Date.now();
    const c = changes.take();
    const fetched: Transcript[] = [];
    for (const id of c.transcripts) {
      const t = source.transcript(id);
      if (t) fetched.push(t);
    }
    query.apply({
      sessions: c.sessions,
      removed: c.removed,
      messages: c.messages,
      transcripts: fetched,
    });
    const toasts = opts.toasts?.(c) ?? [];
    if (panels.size === 0) return;
    const base: PanelPatch = source.extras(c);
    if (c.activity.length > 0) base.activity = c.activity;
    if (toasts.length > 0) base.toasts = toasts;
    if (!forToken) pushViews();
    else
      viewTimer ??= setTimeout(() => {
        viewTimer = undefined;
        if (changes.dirty) flush();
        else pushViews();
      }, flushMs);
    for (const [port, watch] of panels) {
      const patch: PanelPatch = { ...base };
      const transcripts: Transcript[] = [];
      for (const id of c.transcripts) {
        if (!watch.has(id)) continue;
        const t = source.transcript(id);
        if (t) transcripts.push(tailOf(port, t));
      }
      if (transcripts.length) patch.transcripts = transcripts;
      if (Object.keys(patch).length > 0) post(port, { type: "patch", patch });
    }
  }

  // Under a duration filter, sessions cross the threshold as time passes: judge those views every tick.
  const viewTick = setInterval(() => {
    const timed = [...views.values()].filter((feed) => feed.spec.filter.duration);
    if (timed.length === 0) return;
    if (changes.dirty) flush(); // the query first takes what the store already holds (see `view`)
    for (const feed of timed) feed.push();
  }, opts.viewTickMs ?? 1000);

  /** The messages each panel was last sent, per transcript: later patches carry only what changed after them. */
  const sent = new Map<PanelPort, Map<string, readonly Message[]>>();

  /** The steps array each panel was last sent, per transcript (the store replaces it on change). */
  const sentSteps = new Map<PanelPort, Map<string, Transcript["steps"]>>();

  /** `t` without its steps when this panel already has that very array. */
  function withoutSentSteps(port: PanelPort, t: Transcript): Transcript {
    let bySession = sentSteps.get(port);
    if (!bySession) {
      bySession = new Map();
      sentSteps.set(port, bySession);
    }
    if (bySession.get(t.session_id) === t.steps) {
      const { steps: _same, ...rest } = t;
      return rest;
    }
    bySession.set(t.session_id, t.steps);
    return t;
  }

  function tailOf(port: PanelPort, t: Transcript): Transcript {
    // A transcript this panel does not have yet goes whole, steps included.
    const had = sent.get(port)?.has(t.session_id) === true;
    const tail = tailMessages(port, t);
    const lean = withoutSentSteps(port, tail);
    return had ? lean : tail;
  }

  function tailMessages(port: PanelPort, t: Transcript): Transcript {
    let bySession = sent.get(port);
    if (!bySession) {
      bySession = new Map();
      sent.set(port, bySession);
    }
    const prev = bySession.get(t.session_id);
    bySession.set(t.session_id, t.messages.slice());
    const first = t.messages[0];
    if (!prev || first === undefined) return t;
    const drop = prev.indexOf(first);
    if (drop < 0) return t;
    const overlap = Math.min(prev.length - drop, t.messages.length);
    let from = 0;
    while (from < overlap && prev[drop + from] === t.messages[from]) from++;
    return from === 0 ? t : { ...t, messages: t.messages.slice(from), drop, from };
  }

  function onMessage(port: PanelPort, raw: unknown): void {
    const d = decodePanelMessage(raw);
    if (!d.ok) {
      opts.onRejected?.(`panel message rejected: ${d.error.path || "(message)"} ${d.error.message}`);
      return;
    }
    const msg = d.value;
    if (msg.type === "watch") {
      panels.set(port, new Set(msg.session_ids));
      sent.delete(port); // a (re)opened transcript is sent whole first
      sentSteps.delete(port);
      reportWatch();
      // Send what is already known of these transcripts right away.
      const transcripts = msg.session_ids.flatMap((id) => source.transcript(id) ?? []);
      if (transcripts.length) post(port, { type: "patch", patch: { transcripts } });
    } else if (msg.type === "view") {
      let feed = views.get(port);
      if (feed) feed.setSpec(msg.spec);
      else {
        feed = createViewFeed(query, msg.spec, (view) => post(port, { type: "view", view }));
        views.set(port, feed);
      }
      // The answer leaves at once: the panel draws it in its next frame. The store already holds changes
      // the query has not been given yet (they wait for the flush): give them first, or a row judged before
      // a change would go out with the session after it.
      if (changes.dirty) flush();
      feed.push();
    } else if (msg.type === "command") opts.onCommand(msg);
    else if (msg.type === "interventions") {
      opts.onInterventions?.(msg, (answer) => {
        if (panels.has(port)) post(port, answer);
      });
    } else if (msg.type === "alert_rules" || msg.type === "alert_ack" || msg.type === "sound_prefs")
      opts.onAlerts?.(msg);
    else opts.onResync();
  }

  return {
    connect(port) {
      flush(); // everything older is in the init this panel is about to get
      panels.set(port, new Set());
      views.get(port)?.close();
      views.delete(port);
      port.onMessage((m) => onMessage(port, m));
      port.onDisconnect(() => forget(port));
      post(port, { type: "init", state: source.state() });
    },
    broadcast(message) {
      for (const port of panels.keys()) post(port, message);
    },
    commandStatus(result) {
      flush(); // a status must not overtake the patch that carries its effects
      for (const port of panels.keys()) post(port, { type: "command_status", result });
    },
    flush,
    get size() {
      return panels.size;
    },
    watchUnion: union,
    dispose() {
      offDirty();
      offTranscript();
      clearTimeout(timer);
      clearInterval(viewTick);
      clearTimeout(viewTimer);
      for (const feed of views.values()) feed.close();
      views.clear();
      for (const port of panels.keys()) port.disconnect();
      panels.clear();
    },
  };
}
