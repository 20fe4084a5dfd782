/**
 * The session list as the panel holds it: a window on the worker's view. The
 * panel says what it shows — the filter, the order, the grouping, the rows on
 * its screen and the open conversation (`view` to the worker) — and receives
 * the counts, where the group headers sit, and the rows in range with their
 * sessions (`view` answers). It holds one signal per session it shows, so a
 * changed session re-renders only its card; rows outside the range are
 * placeholders (null) the list draws as empty cards until they arrive.
 */
import { batch, computed, effect, type ReadonlySignal, type Signal, signal } from "@preact/signals";
import { EMPTY_FILTER, type FilterSpec } from "../filters";
import type { PanelToWorker, ViewUpdate } from "../panel-messages";
import type { Session } from "../protocol";
import type { AgentSummary, ListRow, PlacedHeader, SortMode, ViewRange } from "../query";
import { MAX_VIEW_ROWS } from "../query";

export type { GroupHeader, ListRow } from "../query";
export type ListView = "unified" | "grouped";
/** A row of the list as drawn: a session id, a group header, or null while its session is on its way. */
export type WindowRow = ListRow | null;

/** How many recently gone sessions are kept to show an open conversation that ended. */
const ENDED_CACHE = 200;

export interface SessionListDeps {
  post(message: PanelToWorker): void;
  /** True once the worker sent `init`; the view goes out then and again after every `init`. */
  ready: ReadonlySignal<boolean>;
  initCount: ReadonlySignal<number>;
  /** The open conversation: its session is kept whatever the range. */
  selectedId: ReadonlySignal<string | null>;
}

/** The filter the view applies, with whether it is loaded yet (a stored filter loads asynchronously). */
export interface FilterSource {
  spec: ReadonlySignal<FilterSpec>;
  ready: ReadonlySignal<boolean>;
}

export function createSessionList(deps: SessionListDeps) {
  const view = signal<ListView>("unified");
  const sortMode = signal<SortMode>("recent");
  const range = signal<ViewRange>({ start: 0, end: 40 });
  /** The list's active row (keyboard focus): kept, with its place, wherever the range is. */
  const active = signal<string | null>(null);
  /** The list's top visible row and its row: kept, with its place, and the range moves with it. */
  const anchor = signal<{ id: string; at: number } | null>(null);
  const pinnedRows = signal<Readonly<Record<string, number>>>({});
  const filterSource = signal<FilterSource | null>(null);
  const byId = new Map<string, Signal<Session>>();
  const ended = new Map<string, Session>();
  /** Bumped whenever the sessions held change (membership or content). */
  const sessionsVersion = signal(0);
  const total = signal(0);
  const count = signal(0);
  const rowCount = signal(0);
  const headers = signal<readonly PlacedHeader[]>([]);
  const start = signal(0);
  const windowRows = signal<readonly ListRow[]>([]);
  const snippets = signal<Readonly<Record<string, string>>>({});
  const partial = signal<ReadonlySet<string>>(new Set());
  const agents = signal<readonly AgentSummary[]>([]);
  /** True once the first answer arrived. */
  const answered = signal(false);

  const filter = computed(() => filterSource.value?.spec.value ?? EMPTY_FILTER);
  const filterReady = computed(() => filterSource.value?.ready.value ?? true);
  /** The keyword whose matches are marked in previews and transcripts. */
  const highlight = computed(() => filter.value.keyword.trim());

  // Every spec gets a number; an answer to a spec older than the last change of filter, order or grouping is
  // stale (its rows may not match), while one that only moved the range is still right where it says.
  let seq = 0;
  let filterSeq = 0;
  let lastQuery = "";
  effect(() => {
    deps.initCount.value;
    const ready = deps.ready.value && filterReady.value;
    const f = filter.value;
    const sort = sortMode.value;
    const grouping = view.value;
    const a = anchor.value;
    const r = a ? { ...range.value, anchor: a } : range.value;
    const selected = deps.selectedId.value;
    const kept = [
      ...new Set(
        [selected, active.value, anchor.value?.id ?? null].filter((id): id is string => id !== null),
      ),
    ];
    if (!ready) return;
    seq++;
    const query = JSON.stringify([f, sort, grouping]);
    if (query !== lastQuery) {
      lastQuery = query;
      filterSeq = seq;
    }
    deps.post({
      type: "view",
      spec: {
        seq,
        filter: f,
        sort,
        grouping,
        range: r,
        ...(kept.length > 0 ? { pinned: kept } : {}),
      },
    });
  });

  /** The rows of the whole list: headers where they sit, the window's rows, null elsewhere. */
  const rows = computed<readonly WindowRow[]>(() => {
    const out: WindowRow[] = new Array(rowCount.value).fill(null);
    for (const h of headers.value) out[h.index] = h.header;
    const s = start.value;
    windowRows.value.forEach((r, i) => {
      if (s + i < out.length) out[s + i] = r;
    });
    // Pinned sessions (the open one, the active row) sit in their place even outside the range.
    for (const [id, at] of Object.entries(pinnedRows.value))
      if (at < out.length && out[at] === null) out[at] = id;
    return out;
  });

  const forget = (id: string) => {
    const sig = byId.get(id);
    if (!sig) return;
    byId.delete(id);
    ended.delete(id);
    ended.set(id, { ...sig.peek(), status: "ended" });
    if (ended.size > ENDED_CACHE) {
      const oldest = ended.keys().next().value;
      if (oldest !== undefined) ended.delete(oldest);
    }
  };

  return {
    view,
    sortMode,
    range,
    sessionsVersion,
    /** Active sessions (the list's total, filtered or not). */
    sessionCount: computed(() => total.value),
    /** Sessions the filter lets through. */
    listCount: computed(() => count.value),
    rows,
    headers,
    highlight,
    agents,
    answered,
    /** Session id → where the keyword matched in its conversation (its preview does not show it). */
    snippets,
    /** Sessions whose older messages fell out of the worker's keyword index. */
    partial,
    /** The live signal of a session the panel holds (in range, or open), for its card. */
    session: (id: string): ReadonlySignal<Session> | undefined => byId.get(id),
    /** A session that recently left (ended), so its conversation can still be shown. */
    ended: (id: string) => ended.get(id),
    /** Applies the worker's answer to this panel's view. */
    applyView(u: ViewUpdate) {
      if (u.seq < filterSeq) return;
      batch(() => {
        for (const s of u.sessions) {
          const sig = byId.get(s.id);
          if (sig) sig.value = s;
          else byId.set(s.id, signal(s));
          ended.delete(s.id);
        }
        const keep = new Set<string>();
        for (const r of u.rows) if (typeof r === "string") keep.add(r);
        for (const id of u.pinned) keep.add(id);
        for (const id of [...byId.keys()]) if (!keep.has(id)) forget(id);
        total.value = u.total;
        count.value = u.count;
        rowCount.value = u.rowCount;
        headers.value = u.headers;
        start.value = u.start;
        windowRows.value = u.rows;
        // Every card reads these: replaced only when they changed, so an answer re-renders only the cards
        // whose session changed.
        if (!sameRecord(snippets.peek(), u.snippets)) snippets.value = u.snippets;
        if (!sameMembers(partial.peek(), u.partial)) partial.value = new Set(u.partial);
        if (!sameRecord(pinnedRows.peek(), u.pinnedRows)) pinnedRows.value = u.pinnedRows;
        if (u.agents) agents.value = u.agents;
        answered.value = true;
        sessionsVersion.value++;
      });
    },
    setView(next: ListView) {
      view.value = next;
    },
    setSortMode(next: SortMode) {
      sortMode.value = next;
    },
    /** The list's active row: its session is kept and placed wherever the range is (null: none). */
    setActive(id: string | null) {
      active.value = id;
    },
    /**
     * The list's top visible row and its row now: its session is kept and placed wherever it moves, and the
     * range moves with it (null: none).
     */
    setAnchor(id: string | null, at = 0) {
      const now = anchor.peek();
      if (id === null) {
        if (now !== null) anchor.value = null;
      } else if (now?.id !== id || now.at !== at) anchor.value = { id, at };
    },
    /** The rows on screen (plus overscan): the worker answers with these rows. */
    setRange(first: number, end: number) {
      const s = Math.max(0, Math.floor(first));
      const e = Math.min(Math.max(s, Math.ceil(end)), s + MAX_VIEW_ROWS);
      const r = range.peek();
      if (r.start !== s || r.end !== e) range.value = { start: s, end: e };
    },
    /** The filter the view applies (the filter layer's); null: no filter. */
    setFilter(source: FilterSource | null) {
      filterSource.value = source;
    },
  };
}

export type SessionList = ReturnType<typeof createSessionList>;

function sameRecord<T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

function sameMembers(a: ReadonlySet<string>, b: readonly string[]): boolean {
  return a.size === b.length && b.every((x) => a.has(x));
}
