/**
 * An in-memory PanelPort for panel tests: records what the panel posts and lets the test play the worker.
 *
 * Sessions reach a panel only through its view (`utils/query/`), so the fake keeps the worker's part of
 * that with the real code: a test may hand it sessions the way a worker's store would hold them —
 * `sessions` in an `init`'s state, `upserts`/`removed`/`messages` in a patch — and the fake keeps them,
 * drafts their toasts (`createSessionToasts`), runs the real view query on them and answers the panel's
 * `view` exactly as the worker's panel hub does (`createViewFeed`). Anything else is passed through as is.
 */
import * as v from "valibot";
import { createSessionToasts } from "../../utils/attention/session-toasts";
import type { LinkStatus, PanelPort } from "../../utils/panel/port";
import type { PanelState, PanelToWorker, WorkerToPanel } from "../../utils/panel-messages";
import { type Session, Session as SessionSchema } from "../../utils/protocol";
import { createQueryService, createViewFeed, type ViewFeed } from "../../utils/query";
import { AGENT, METRICS, USER } from "../fixtures/frames";

export interface FakePanelPort extends PanelPort {
  posted: PanelToWorker[];
  closed: boolean;
  /** The sessions the fake worker holds. */
  sessions: Map<string, Session>;
  send(message: WorkerToPanel | TestMessage | unknown): void;
  setStatus(status: LinkStatus): void;
}

/** What a test may send besides the real messages: an init with sessions, a patch with session changes. */
export type TestMessage =
  | { type: "init"; state: TestPanelState }
  | {
      type: "patch";
      patch: Record<string, unknown> & { upserts?: unknown[]; removed?: string[]; messages?: unknown[] };
    };

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;

export function createFakePanelPort(): FakePanelPort {
  const messageListeners = new Set<(m: unknown) => void>();
  const statusListeners = new Set<(s: LinkStatus) => void>();
  const sessions = new Map<string, Session>();
  const query = createQueryService({ sessions });
  const toasts = createSessionToasts((id) => sessions.get(id));
  let feed: ViewFeed | null = null;
  const deliver = (m: unknown) => {
    for (const l of messageListeners) l(m);
  };
  /** Valid sessions only, as the worker's decoder would let through. */
  const valid = (list: unknown[]) =>
    list.flatMap((x) => {
      const r = v.safeParse(SessionSchema, x);
      return r.success ? [r.output] : [];
    });
  const apply = (upserts: Session[], removed: string[], messages: unknown[], snapshot = false) => {
    const touched: string[] = [];
    for (const s of upserts) {
      if (s.status === "ended") sessions.delete(s.id);
      else sessions.set(s.id, s);
      touched.push(s.id);
    }
    for (const id of removed) {
      sessions.delete(id);
      touched.push(id);
    }
    const texts = messages.filter(
      (m): m is { session_id: string; id: string; text: string } =>
        isRecord(m) &&
        typeof m.session_id === "string" &&
        typeof m.id === "string" &&
        typeof m.text === "string",
    );
    query.apply({ sessions: touched, removed: [], messages: texts });
    return toasts.changed(touched, { snapshot });
  };

  return {
    posted: [],
    closed: false,
    sessions,
    post(message) {
      this.posted.push(message);
      if (message.type !== "view") return;
      if (feed) feed.setSpec(message.spec);
      else feed = createViewFeed(query, message.spec, (view) => deliver({ type: "view", view }));
      feed.push();
    },
    onMessage(l) {
      messageListeners.add(l);
      return () => messageListeners.delete(l);
    },
    onStatus(l) {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    close() {
      this.closed = true;
      feed?.close();
    },
    send(message) {
      if (isRecord(message) && message.type === "init" && isRecord(message.state)) {
        const { sessions: list, ...state } = message.state;
        if (Array.isArray(list)) {
          const gone = [...sessions.keys()];
          sessions.clear();
          apply(valid(list), gone, [], true);
        }
        deliver({ ...message, state });
        feed?.push();
        return;
      }
      if (isRecord(message) && message.type === "patch" && isRecord(message.patch)) {
        const { upserts, removed, messages, ...patch } = message.patch;
        if (upserts !== undefined || removed !== undefined || messages !== undefined) {
          const drafted = apply(
            valid(Array.isArray(upserts) ? upserts : []),
            Array.isArray(removed) ? removed.filter((x): x is string => typeof x === "string") : [],
            Array.isArray(messages) ? messages : [],
          );
          const out: Record<string, unknown> = { ...patch };
          if (drafted.length > 0) out.toasts = [...((patch.toasts as unknown[]) ?? []), ...drafted];
          if (Object.keys(out).length > 0) deliver({ ...message, patch: out });
          feed?.push();
          return;
        }
      }
      deliver(message);
    },
    setStatus(status) {
      for (const l of statusListeners) l(status);
    },
  };
}

/** A panel state as a test hands it to the fake worker: with the sessions the worker holds. */
export type TestPanelState = PanelState & { sessions?: unknown[] };

export function makePanelState(overrides: Partial<TestPanelState> = {}): TestPanelState {
  return {
    connection: { state: "connected", latency_ms: 42, since: Date.parse("2026-06-24T16:00:00Z") },
    user: USER,
    sessions: [],
    agents: [AGENT],
    metrics: METRICS,
    activity: [],
    counters: {
      events_applied: 0,
      duplicates_dropped: 0,
      gaps: 0,
      resyncs: 0,
      frames_rejected: 0,
      reconnects: 0,
    },
    transcripts: [],
    ...overrides,
  } as TestPanelState;
}

/** A worker's answer to a view, sent by hand: unified rows from 0, nothing pinned, no keyword. */
export function viewAnswer(seq: number, rows: string[], sessions: unknown[] = []) {
  return {
    type: "view",
    view: {
      seq,
      total: rows.length,
      count: rows.length,
      rowCount: rows.length,
      headers: [],
      start: 0,
      rows,
      pinned: [],
      pinnedRows: {},
      sessions,
      snippets: {},
      partial: [],
    },
  };
}
