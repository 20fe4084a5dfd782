/**
 * The worker's answer to a panel's view: every active session goes through
 * the view's filter (agents, channel, priority, status, duration, keyword
 * with the worker's keyword index), in the view's order, grouped by agent
 * when asked; the panel receives the counts, where the group headers are,
 * and only the rows in its range with their sessions.
 *
 * Cost: a changed session is judged alone (O(1)); a keyword index change
 * under a keyword judges the sessions whose hit changed (O(hits + matches));
 * a new spec, or the clock under a duration filter, judges all of them once;
 * the ordered list and the rows are rebuilt in O(n) only when the order or the
 * matches changed; a window is O(range).
 */
import {
  compileFilter,
  isFilterActive,
  type KeywordIndex,
  normalizeKeyword,
  type SessionPredicate,
} from "../filters";
import type { Session } from "../protocol";
import type { SessionOrder } from "./session-order";
import type { GroupHeader, ListRow, ViewSpec } from "./view-spec";

/** A group header and the row it sits on. */
export interface PlacedHeader {
  index: number;
  header: GroupHeader;
}

/** One screenful of a view, as the panel receives it. */
export interface ViewWindow {
  /** Active sessions (filtered or not). */
  total: number;
  /** Sessions the filter lets through. */
  count: number;
  /** Rows of the whole list: matching sessions plus group headers. */
  rowCount: number;
  /** Every group header and its row (grouped view; empty otherwise). */
  headers: PlacedHeader[];
  /** The first row of `rows`. */
  start: number;
  /** The rows in range. */
  rows: ListRow[];
  /** The sessions of the rows in range, then the pinned ones (wherever they are). */
  sessions: Session[];
  /** The pinned sessions that exist. */
  pinned: string[];
  /** Where each pinned session's row is in the whole list (absent: the filter leaves it out). */
  pinnedRows: Record<string, number>;
  /** Session id → where the keyword matched in its conversation when its preview does not show it. */
  snippets: Record<string, string>;
  /** Sessions in range whose older messages fell out of the keyword index (a match may be missed). */
  partial: string[];
}

export interface ViewEngineDeps {
  sessions: ReadonlyMap<string, Session>;
  order: SessionOrder;
  keywordIndex: KeywordIndex;
  clock: () => number;
}

export interface ViewEngine {
  readonly spec: ViewSpec;
  setSpec(spec: ViewSpec): void;
  /** These sessions changed, joined or left (the order is already updated). */
  changed(ids: Iterable<string>): void;
  /** The window now (recomputed only as far as something changed). */
  window(): ViewWindow;
}

const byName = (a: GroupHeader, b: GroupHeader) =>
  a.name.localeCompare(b.name) || a.agent_id.localeCompare(b.agent_id);

export function createViewEngine(deps: ViewEngineDeps, initial: ViewSpec): ViewEngine {
  let spec = initial;
  let predicate: SessionPredicate = compileFilter(spec.filter);
  let keyword = normalizeKeyword(spec.filter.keyword);
  let active = isFilterActive(spec.filter);
  /** Matching ids; null while every session matches (no filter). */
  let matches: Set<string> | null = null;
  let matchVersion = 0;
  let judgeAll = true;
  const pending = new Set<string>();
  let judgedAt = 0;
  let indexVersion = -1;
  let hits: ReadonlySet<string> | null = null;
  // What the list was built from.
  let built: { order: number; matches: number; sort: string; grouping: string } | null = null;
  let rows: readonly ListRow[] = [];
  let headers: PlacedHeader[] = [];
  let count = 0;

  const judge = (id: string, now: number): boolean => {
    const s = deps.sessions.get(id);
    return s !== undefined && s.status !== "ended" && predicate(s, now, hits);
  };

  const refreshMatches = () => {
    if (!active) {
      if (matches !== null || judgeAll) matchVersion++;
      matches = null;
      pending.clear();
      judgeAll = false;
      return;
    }
    const now = deps.clock();
    if (keyword) {
      const v = deps.keywordIndex.version.peek();
      if (v !== indexVersion) {
        const first = indexVersion < 0;
        indexVersion = v;
        hits = deps.keywordIndex.search(keyword);
        if (first || matches === null) judgeAll = true;
        else {
          // Only a session whose hit and match disagree can change its answer (the preview's part of the
          // match goes with a change to the session, which is judged anyway).
          for (const id of hits) if (!matches.has(id)) pending.add(id);
          for (const id of matches) if (!hits.has(id)) pending.add(id);
        }
      }
    } else hits = null;
    // Under a duration filter sessions cross the threshold as time passes.
    if (spec.filter.duration && now - judgedAt >= 1000) judgeAll = true;
    if (judgeAll || matches === null) {
      const next = new Set<string>();
      for (const id of deps.order.sorted(spec.sort)) if (judge(id, now)) next.add(id);
      matches = next;
      judgedAt = now;
      judgeAll = false;
      pending.clear();
      matchVersion++;
      return;
    }
    if (pending.size === 0) return;
    let moved = false;
    for (const id of pending) {
      const yes = judge(id, now);
      if (yes !== matches.has(id)) {
        moved = true;
        if (yes) matches.add(id);
        else matches.delete(id);
      }
    }
    pending.clear();
    if (moved) matchVersion++;
  };

  const rebuild = () => {
    const order = deps.order.sorted(spec.sort);
    const only = matches;
    // Unfiltered, the order's own array (kept current in place) is the list: nothing is copied.
    const ids = only ? order.filter((id) => only.has(id)) : order;
    count = ids.length;
    if (spec.grouping === "unified") {
      rows = ids;
      headers = [];
      return;
    }
    const groups = new Map<string, { header: GroupHeader; ids: string[] }>();
    for (const id of ids) {
      const s = deps.sessions.get(id);
      if (!s) continue;
      let g = groups.get(s.agent.id);
      if (!g) {
        g = {
          header: { kind: "group", agent_id: s.agent.id, name: s.agent.name, color: s.agent.color, count: 0 },
          ids: [],
        };
        groups.set(s.agent.id, g);
      }
      g.ids.push(id);
    }
    const out: ListRow[] = [];
    headers = [];
    for (const g of [...groups.values()].sort((a, b) => byName(a.header, b.header))) {
      const header = { ...g.header, count: g.ids.length };
      headers.push({ index: out.length, header });
      out.push(header);
      for (const id of g.ids) out.push(id);
    }
    rows = out;
  };

  return {
    get spec() {
      return spec;
    },
    setSpec(next) {
      if (JSON.stringify(next.filter) !== JSON.stringify(spec.filter)) {
        predicate = compileFilter(next.filter);
        keyword = normalizeKeyword(next.filter.keyword);
        active = isFilterActive(next.filter);
        indexVersion = -1;
        judgeAll = true;
      }
      spec = next;
    },
    changed(ids) {
      if (!active) return;
      for (const id of ids) pending.add(id);
    },
    window() {
      refreshMatches();
      const key = {
        order: deps.order.version,
        matches: matchVersion,
        sort: spec.sort,
        grouping: spec.grouping,
      };
      if (
        !built ||
        built.order !== key.order ||
        built.matches !== key.matches ||
        built.sort !== key.sort ||
        built.grouping !== key.grouping
      ) {
        rebuild();
        built = key;
      }
      // The range follows the panel's anchored row to where it is now.
      const a = spec.range.anchor;
      const moved = a ? rows.indexOf(a.id) : -1;
      const shift = a && moved >= 0 ? moved - a.at : 0;
      const start = Math.min(Math.max(0, spec.range.start + shift), rows.length);
      const inRange = rows.slice(start, Math.min(Math.max(0, spec.range.end + shift), rows.length));
      const sessions: Session[] = [];
      const snippets: Record<string, string> = {};
      const partial: string[] = [];
      const seen = new Set<string>();
      const add = (id: string) => {
        if (seen.has(id)) return;
        const s = deps.sessions.get(id);
        if (!s) return;
        seen.add(id);
        sessions.push(s);
        if (keyword && !s.preview.toLowerCase().includes(keyword)) {
          const snippet = deps.keywordIndex.snippet(id, keyword);
          if (snippet) snippets[id] = snippet;
        }
        if (keyword && deps.keywordIndex.isTruncated(id)) partial.push(id);
      };
      for (const r of inRange) if (typeof r === "string") add(r);
      const pinned: string[] = [];
      const pinnedRows: Record<string, number> = {};
      for (const id of spec.pinned ?? []) {
        add(id);
        if (!deps.sessions.has(id)) continue;
        pinned.push(id);
        const at = rows.indexOf(id);
        if (at >= 0) pinnedRows[id] = at;
      }
      return {
        total: deps.order.size,
        count,
        rowCount: rows.length,
        headers,
        start,
        rows: inRange,
        sessions,
        pinned,
        pinnedRows,
        snippets,
        partial,
      };
    },
  };
}
