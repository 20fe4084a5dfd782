/**
 * A fake panel on the worker's side of the port, for tests of the worker's
 * view answers: everything the worker posts is decoded with the panel's own
 * decoder (refusals and skipped items are recorded), and the view answers are
 * folded the way the panel folds them (`utils/panel/session-list-model.ts`):
 * an answer to a spec older than the last change of filter, order or grouping
 * is stale and dropped; an accepted one updates the sessions it carries and
 * forgets those no longer in range. Delivery may be asynchronous both ways
 * (`async`), as over a real runtime port, so answers and specs cross.
 *
 * `gatewayRows` is the list a view should show, computed independently from
 * the gateway's own sessions with the filter's predicate and the sort's
 * comparator.
 */
import { compileFilter, EMPTY_FILTER, type FilterSpec } from "../../utils/filters";
import {
  decodeWorkerMessage,
  PanelDecodeError,
  type PanelToWorker,
  type ViewSpec,
  type ViewUpdate,
  type WorkerToPanel,
} from "../../utils/panel-messages";
import type { Session } from "../../utils/protocol";
import { comparator, type GroupHeader, type ListRow, type SortKeys, sortKeys } from "../../utils/query";
import type { PanelPort } from "../../utils/worker/panel-port";
import { comparable } from "./worker-node";

/** An accepted answer, with each of its rows' sessions as the panel held them right after it. */
export interface Accepted {
  view: ViewUpdate;
  /** The spec it answered (the one with its `seq`). */
  spec: ViewSpec;
  /** The seq of the panel's last change of filter, order or grouping when it took the answer. */
  querySeq: number;
  sessions: (Session | undefined)[];
}

export type SpecInput = Partial<Omit<ViewSpec, "seq" | "filter">> & { filter?: Partial<FilterSpec> };

export interface ViewPanel {
  port: PanelPort;
  /** Everything decoded, in order. */
  messages: WorkerToPanel[];
  /** Answers the panel took (not stale). */
  accepted: Accepted[];
  /** Items the decoder skipped, and messages it refused. */
  skipped: number;
  refused: string[];
  /** Sends a view spec (merged onto the last one); returns its seq. */
  view(input?: SpecInput): number;
  readonly spec: ViewSpec;
  /** The rows the panel shows now, each session row with the session it holds. */
  window(): { start: number; rows: ListRow[]; sessions: Session[]; total: number; count: number };
  close(): void;
}

const DEFAULT_SPEC: ViewSpec = {
  seq: 0,
  filter: EMPTY_FILTER,
  sort: "recent",
  grouping: "unified",
  range: { start: 0, end: 50 },
};

export function createViewPanel(opts: { async?: boolean } = {}): ViewPanel {
  let onMsg: (m: unknown) => void = () => undefined;
  let onDisc: () => void = () => undefined;
  const later = (fn: () => void) => (opts.async ? setImmediate(fn) : fn());
  const messages: WorkerToPanel[] = [];
  const accepted: Accepted[] = [];
  const refused: string[] = [];
  const specs = new Map<number, ViewSpec>();
  const held = new Map<string, Session>();
  let spec = DEFAULT_SPEC;
  let seq = 0;
  let filterSeq = 0;
  let last: ViewUpdate | undefined;
  let skipped = 0;

  const receive = (raw: unknown) => {
    let decoded: ReturnType<typeof decodeWorkerMessage>;
    try {
      decoded = decodeWorkerMessage(raw);
    } catch (e) {
      if (e instanceof PanelDecodeError) refused.push(e.message);
      else throw e;
      return;
    }
    skipped += decoded.skipped;
    const m = decoded.message;
    messages.push(m);
    if (m.type !== "view" || m.view.seq < filterSeq) return;
    const u = m.view;
    for (const s of u.sessions) held.set(s.id, s);
    const keep = new Set<string>(u.pinned);
    for (const r of u.rows) if (typeof r === "string") keep.add(r);
    for (const id of [...held.keys()]) if (!keep.has(id)) held.delete(id);
    last = u;
    accepted.push({
      view: u,
      spec: specs.get(u.seq) ?? spec,
      querySeq: filterSeq,
      sessions: u.rows.map((r) => (typeof r === "string" ? held.get(r) : undefined)),
    });
  };

  const panel: ViewPanel = {
    port: {
      postMessage: (m) => {
        const copy = structuredClone(m);
        later(() => receive(copy));
      },
      onMessage: (cb) => {
        onMsg = cb;
      },
      onDisconnect: (cb) => {
        onDisc = cb;
      },
      disconnect: () => undefined,
    },
    messages,
    accepted,
    get skipped() {
      return skipped;
    },
    refused,
    get spec() {
      return spec;
    },
    view(input = {}) {
      seq++;
      const next: ViewSpec = {
        ...spec,
        ...input,
        filter: { ...spec.filter, ...input.filter },
        seq,
      };
      if (
        JSON.stringify([next.filter, next.sort, next.grouping]) !==
        JSON.stringify([spec.filter, spec.sort, spec.grouping])
      )
        filterSeq = seq;
      spec = next;
      specs.set(seq, next);
      const message: PanelToWorker = { type: "view", spec: next };
      const copy = structuredClone(message);
      later(() => onMsg(copy));
      return seq;
    },
    window() {
      const rows = last?.rows ?? [];
      return {
        start: last?.start ?? 0,
        rows,
        sessions: rows.flatMap((r) => (typeof r === "string" ? (held.get(r) ?? []) : [])),
        total: last?.total ?? 0,
        count: last?.count ?? 0,
      };
    },
    close: () => onDisc(),
  };
  return panel;
}

/** The whole list a view of these sessions shows (no keyword: that needs the worker's index). */
export function gatewayRows(
  sessions: readonly Session[],
  spec: Pick<ViewSpec, "filter" | "sort" | "grouping">,
  now = Date.now(),
): { rows: ListRow[]; byId: Map<string, Session> } {
  const match = compileFilter(spec.filter);
  const active = sessions.filter((s) => s.status !== "ended");
  const byId = new Map(active.map((s) => [s.id, s]));
  const keys = new Map<string, SortKeys>(active.map((s) => [s.id, sortKeys(s)]));
  const ids = active
    .filter((s) => match(s, now, null))
    .map((s) => s.id)
    .sort(comparator(spec.sort, keys));
  if (spec.grouping === "unified") return { rows: ids, byId };
  const groups = new Map<string, { header: GroupHeader; ids: string[] }>();
  for (const id of ids) {
    const s = byId.get(id) as Session;
    let g = groups.get(s.agent.id);
    if (!g) {
      g = {
        header: { kind: "group", agent_id: s.agent.id, name: s.agent.name, color: s.agent.color, count: 0 },
        ids: [],
      };
      groups.set(s.agent.id, g);
    }
    g.header.count++;
    g.ids.push(id);
  }
  const rows: ListRow[] = [];
  const sorted = [...groups.values()].sort(
    (a, b) =>
      a.header.name.localeCompare(b.header.name) || a.header.agent_id.localeCompare(b.header.agent_id),
  );
  for (const g of sorted) rows.push(g.header, ...g.ids);
  return { rows, byId };
}

/** The window a view of the gateway's sessions shows, reduced (as `comparable`) for an equality check. */
export function gatewayWindow(sessions: readonly Session[], spec: ViewSpec): unknown {
  const { rows, byId } = gatewayRows(sessions, spec);
  const start = Math.min(spec.range.start, rows.length);
  const inRange = rows.slice(start, Math.min(spec.range.end, rows.length));
  const count = rows.filter((r) => typeof r === "string").length;
  return reduced({
    start,
    rows: inRange,
    sessions: inRange.flatMap((r) => (typeof r === "string" ? (byId.get(r) ?? []) : [])),
    total: byId.size,
    count,
  });
}

/** What a panel's window shows, reduced like `gatewayWindow`. */
export function panelWindow(panel: ViewPanel): unknown {
  return reduced(panel.window());
}

function reduced(w: ReturnType<ViewPanel["window"]>): unknown {
  return { ...w, sessions: comparable(w.sessions) };
}
