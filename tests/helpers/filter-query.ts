/**
 * The worker's side of filtering for panel-side filter tests: the real query
 * service (`utils/query/`) over a `Map` of sessions, one view on it, and the
 * signals a panel's filter model reads from the worker's answers (`count`,
 * `total`, `seenAgents`, `partial`). `follow(model)` plays the link: every
 * change of the model's spec is sent as the view's filter and answered at
 * once, and every change on the worker's side (sessions, messages,
 * transcripts, the clock) answers the view again, as the panel hub does.
 *
 *   const q = createFilterQuery(sessions, { now });
 *   const model = createFilterModel({ count: q.count, total: q.total, seenAgents: q.seenAgents, partial: q.partial });
 *   q.follow(model);
 *   q.matching()   // the ids the view shows, in its order
 */
import { batch, effect, type ReadonlySignal, signal } from "@preact/signals";
import {
  type AgentOption,
  EMPTY_FILTER,
  type FilterSpec,
  type IndexedMessage,
  type KeywordIndexOptions,
} from "@/utils/filters";
import type { Session } from "@/utils/protocol";
import { createQueryService, MAX_VIEW_ROWS, type ViewWindow } from "@/utils/query";

export interface FilterQueryOptions {
  now?: number;
  keywordIndex?: KeywordIndexOptions;
}

export function createFilterQuery(list: readonly Session[], opts: FilterQueryOptions = {}) {
  const sessions = new Map<string, Session>();
  let now = opts.now ?? 0;
  const query = createQueryService({ sessions, clock: () => now, keywordIndex: opts.keywordIndex });
  for (const s of list) sessions.set(s.id, s);
  query.apply({ sessions: [...sessions.keys()], removed: [] });
  const view = query.view({
    seq: 0,
    filter: EMPTY_FILTER,
    sort: "recent",
    grouping: "unified",
    range: { start: 0, end: MAX_VIEW_ROWS },
  });
  const count = signal(0);
  const total = signal(0);
  const seenAgents = signal<readonly AgentOption[]>([]);
  const partialIds = signal<ReadonlySet<string>>(new Set());
  let last: ViewWindow = view.window();
  const stops: (() => void)[] = [];

  /** Answers the view as it is now and gives the answer to the panel's signals. */
  const answer = (): ViewWindow => {
    last = view.window();
    batch(() => {
      count.value = last.count;
      total.value = last.total;
      seenAgents.value = query.agents.list().map((a) => ({ id: a.id, name: a.name, color: a.color }));
      partialIds.value = new Set(last.partial);
    });
    return last;
  };
  answer();
  const setFilter = (filter: FilterSpec): ViewWindow => {
    view.setSpec({ ...view.spec, seq: view.spec.seq + 1, filter });
    return answer();
  };

  return {
    sessions,
    query,
    view,
    count: count as ReadonlySignal<number>,
    total: total as ReadonlySignal<number>,
    seenAgents: seenAgents as ReadonlySignal<readonly AgentOption[]>,
    /** The worker's answer: this session's older messages fell out of the keyword index. */
    partial: (id: string) => partialIds.value.has(id),
    /** Sends every change of the model's spec as the view's filter. */
    follow(model: { spec: ReadonlySignal<FilterSpec> }) {
      stops.push(
        effect(() => {
          setFilter(model.spec.value);
        }),
      );
    },
    setFilter,
    /** The last answer. */
    get window(): ViewWindow {
      return last;
    },
    /** The ids of the sessions the view shows now, in its order. */
    matching(): string[] {
      return answer().rows.filter((r): r is string => typeof r === "string");
    },
    put(...changed: Session[]) {
      for (const s of changed) sessions.set(s.id, s);
      query.apply({ sessions: changed.map((s) => s.id), removed: [] });
      answer();
    },
    drop(...ids: string[]) {
      for (const id of ids) sessions.delete(id);
      query.apply({ sessions: [], removed: ids });
      answer();
    },
    addMessages(messages: { session_id: string; id: string; text: string }[]) {
      query.apply({ sessions: [], removed: [], messages });
      answer();
    },
    addTranscript(session_id: string, messages: readonly IndexedMessage[]) {
      query.apply({ sessions: [], removed: [], transcripts: [{ session_id, messages }] });
      answer();
    },
    get now() {
      return now;
    },
    /** The clock moves (the hub's tick answers views with a duration filter). */
    setNow(t: number) {
      now = t;
      answer();
    },
    dispose() {
      for (const stop of stops.splice(0)) stop();
      query.close(view);
    },
  };
}

export type FilterQuery = ReturnType<typeof createFilterQuery>;
