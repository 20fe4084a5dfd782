/**
 * The filter model: the active FilterSpec in a signal, the matching sessions
 * as `computed`, chips, and actions. The panel owns one (useModel) and gives it
 * its dependencies:
 *
 *   const filters = createFilterModel({
 *     sessions,            // ReadonlySignal<readonly Session[]> — the live sessions
 *     now,                 // ReadonlySignal<number> — epoch ms, ticking every second
 *     storage,             // FilterPersistence — createSessionFilterPersistence() in the extension
 *     keywordIndex,        // KeywordIndex fed with transcript messages (optional)
 *     agents,              // ReadonlySignal<readonly {id,name}[]> — agent roster (optional)
 *   });
 *   filters.filtered.value   // sessions passing the filter, in input order
 *   filters.matchingIds.value.has(id)
 *   filters.setKeyword("refund"); filters.removeChip("priorities"); filters.clear();
 *   filters[Symbol.dispose]()
 *
 * `filtered` reads `now` only while a duration filter is set, and the keyword
 * hits only while a keyword is set, so the 1 s tick re-filters only when it can
 * change the answer (a session crossing the duration threshold).
 * The spec is loaded from `storage` once (`ready` turns true) and saved on
 * every change after that; a stored value that does not validate is reported in
 * `problem` and the filter starts empty.
 */
import { batch, computed, createModel, effect, type ReadonlySignal, signal } from "@preact/signals";
import {
  type Channel,
  HUMAN_QUEUE_AGENT,
  type Priority,
  type Session,
  type SessionStatus,
} from "../protocol";
import { deriveChips, type FilterChip } from "./chips";
import type { FilterPersistence } from "./filter-persistence";
import {
  type DurationFilter,
  EMPTY_FILTER,
  type FilterDimension,
  type FilterSpec,
  isFilterActive,
  normalizeKeyword,
  toggleIn,
} from "./filter-spec";
import type { KeywordIndex } from "./keyword-index";
import { compileFilter } from "./match-session";

/** How many agents seen in sessions the filter remembers. */
const SEEN_AGENTS_MAX = 500;

export interface AgentOption {
  id: string;
  name: string;
  color?: string;
}

export interface FilterModelDeps {
  sessions: ReadonlySignal<readonly Session[]>;
  now: ReadonlySignal<number>;
  storage?: FilterPersistence;
  keywordIndex?: KeywordIndex;
  agents?: ReadonlySignal<readonly AgentOption[]>;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const FilterModel = createModel((deps: FilterModelDeps) => {
  const { sessions, now, storage, keywordIndex } = deps;
  const spec = signal<FilterSpec>(EMPTY_FILTER);
  const ready = signal(!storage);
  const problem = signal<string | null>(null);
  let changedBeforeLoad = false;
  let disposed = false;

  const keyword = computed(() => normalizeKeyword(spec.value.keyword));
  const keywordHits = computed<ReadonlySet<string> | null>(() => {
    const k = keyword.value;
    if (!k || !keywordIndex) return null;
    keywordIndex.version.value;
    return keywordIndex.search(k);
  });
  const predicate = computed(() => compileFilter(spec.value));
  const active = computed(() => isFilterActive(spec.value));

  const filtered = computed<readonly Session[]>(() => {
    const list = sessions.value;
    if (!active.value) return list;
    const s = spec.value;
    const t = s.duration ? now.value : 0;
    const hits = keyword.value ? keywordHits.value : null;
    const p = predicate.value;
    const out: Session[] = [];
    for (const session of list) if (p(session, t, hits)) out.push(session);
    return out;
  });
  const matchingIds = computed<ReadonlySet<string>>(() => new Set(filtered.value.map((s) => s.id)));
  const count = computed(() => filtered.value.length);
  const total = computed(() => sessions.value.length);

  /**
   * Agents seen in sessions since the panel opened (the Human queue and any agent outside the roster
   * that a session was transferred to), kept after their sessions leave so the filter keeps offering them.
   */
  const seenAgents = new Map<string, AgentOption>();
  /** Every agent that can be ticked: the roster, agents seen in sessions, and agents named by the spec. */
  const agentOptions = computed<readonly AgentOption[]>(() => {
    const byId = new Map<string, AgentOption>();
    for (const a of deps.agents?.value ?? []) byId.set(a.id, { id: a.id, name: a.name, color: a.color });
    // The human queue is no runtime's agent, so no roster lists it; a supervisor may still filter by it at once.
    if (!byId.has(HUMAN_QUEUE_AGENT.id)) byId.set(HUMAN_QUEUE_AGENT.id, { ...HUMAN_QUEUE_AGENT });
    for (const s of sessions.value) {
      const known = seenAgents.get(s.agent.id);
      if (!known || known.name !== s.agent.name) {
        if (!known && seenAgents.size >= SEEN_AGENTS_MAX)
          seenAgents.delete(seenAgents.keys().next().value as string);
        seenAgents.set(s.agent.id, { id: s.agent.id, name: s.agent.name, color: s.agent.color });
      }
    }
    for (const a of seenAgents.values()) if (!byId.has(a.id)) byId.set(a.id, a);
    const chosen = spec.value.agents;
    if (chosen !== "all") for (const id of chosen) if (!byId.has(id)) byId.set(id, { id, name: id });
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  });

  const chips = computed<readonly FilterChip[]>(() => {
    const s = spec.value;
    if (s.agents === "all") return deriveChips(s);
    const names = new Map(agentOptions.value.map((a) => [a.id, a.name]));
    return deriveChips(s, (id) => names.get(id) ?? id);
  });

  const set = (next: FilterSpec) => {
    if (!ready.peek()) changedBeforeLoad = true;
    spec.value = next;
  };
  const update = (patch: Partial<FilterSpec>) => set({ ...spec.peek(), ...patch });

  if (storage) {
    storage
      .load()
      .then((r) => {
        if (disposed) return;
        batch(() => {
          if (r.spec && !changedBeforeLoad) spec.value = r.spec;
          problem.value = r.problem;
          ready.value = true;
        });
      })
      .catch((e: unknown) => {
        if (disposed) return;
        batch(() => {
          problem.value = `Could not read the saved filters: ${errorText(e)}`;
          ready.value = true;
        });
      });

    effect(() => {
      const s = spec.value;
      if (!ready.value) return;
      // The first run after loading writes back what was loaded (or the empty spec
      // in place of a bad stored value); harmless and keeps storage valid.
      storage.save(s).catch((e: unknown) => {
        if (!disposed && problem.peek() === null)
          problem.value = `Could not keep the filters for this browser session: ${errorText(e)}`;
      });
    });
  }
  effect(() => () => {
    disposed = true;
  });

  return {
    spec: computed(() => spec.value),
    ready: computed(() => ready.value),
    problem: computed(() => problem.value),
    active,
    keyword,
    filtered,
    matchingIds,
    count,
    total,
    chips,
    agentOptions,

    /** Replaces the whole spec (applying a saved view). */
    replace(next: FilterSpec) {
      set(next);
    },
    /** Changes some dimensions. */
    update,
    clear() {
      set(EMPTY_FILTER);
    },
    removeChip(id: FilterDimension) {
      const chip = chips.peek().find((c) => c.id === id);
      if (chip) set(chip.without);
    },
    /** Ticks/unticks one agent; from "all", unticking leaves every other known agent ticked. */
    toggleAgent(agentId: string) {
      const current = spec.peek().agents;
      const list = current === "all" ? agentOptions.peek().map((a) => a.id) : current;
      update({ agents: toggleIn(list, agentId) });
    },
    /** The "Select all" checkbox: every agent (also ones that appear later), or none. */
    selectAllAgents(all: boolean) {
      update({ agents: all ? "all" : [] });
    },
    toggleChannel(c: Channel) {
      update({ channels: toggleIn(spec.peek().channels, c) });
    },
    togglePriority(p: Priority) {
      update({ priorities: toggleIn(spec.peek().priorities, p) });
    },
    toggleStatus(s: SessionStatus) {
      update({ statuses: toggleIn(spec.peek().statuses, s) });
    },
    setDuration(d: DurationFilter | null) {
      update({ duration: d });
    },
    setKeyword(k: string) {
      update({ keyword: k });
    },
    /** True when the keyword index dropped older messages of this session (a match may be missed). */
    keywordPartial(sessionId: string): boolean {
      if (!keywordIndex) return false;
      keywordIndex.version.value;
      return keywordIndex.isTruncated(sessionId);
    },
    dismissProblem() {
      problem.value = null;
    },
  };
});

export type FilterModel = InstanceType<typeof FilterModel>;

export function createFilterModel(deps: FilterModelDeps): FilterModel {
  return new FilterModel(deps);
}
