/**
 * The filter model: the active FilterSpec in a signal, chips, the agents to
 * offer, and actions. The matching itself runs where every session is, in the
 * worker's view query (`utils/query/`, with `compileFilter` of
 * `match-session.ts`); the model shows its counts. The panel owns one:
 *
 *   const filters = createFilterModel({
 *     count, total,        // ReadonlySignal<number> — matching and all sessions (the worker's answers)
 *     storage,             // FilterPersistence — createSessionFilterPersistence() in the extension
 *     agents,              // ReadonlySignal<readonly {id,name}[]> — agent roster (optional)
 *     seenAgents,          // agents that have sessions now (the worker's summary, optional)
 *     partial,             // (id) => the worker's keyword index dropped older messages (optional)
 *   });
 *   filters.setKeyword("refund"); filters.removeChip("priorities"); filters.clear();
 *   filters[Symbol.dispose]()
 *
 * The spec is loaded from `storage` once (`ready` turns true) and saved on
 * every change after that; a stored value that does not validate is reported in
 * `problem` and the filter starts empty.
 */
import { batch, computed, createModel, effect, type ReadonlySignal, signal } from "@preact/signals";
import { type Channel, HUMAN_QUEUE_AGENT, type Priority, type SessionStatus } from "../protocol";
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

/** How many agents seen in sessions the filter remembers. */
const SEEN_AGENTS_MAX = 500;

export interface AgentOption {
  id: string;
  name: string;
  color?: string;
}

export interface FilterModelDeps {
  /** Sessions the filter lets through, and all of them (the worker's view answers). */
  count?: ReadonlySignal<number>;
  total?: ReadonlySignal<number>;
  storage?: FilterPersistence;
  /** The agent roster. */
  agents?: ReadonlySignal<readonly AgentOption[]>;
  /** Agents that have sessions now (the human queue, agents outside the roster). */
  seenAgents?: ReadonlySignal<readonly AgentOption[]>;
  /** True when the keyword index dropped older messages of this session (a match may be missed). */
  partial?: (sessionId: string) => boolean;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const FilterModel = createModel((deps: FilterModelDeps) => {
  const { storage } = deps;
  const spec = signal<FilterSpec>(EMPTY_FILTER);
  const ready = signal(!storage);
  const problem = signal<string | null>(null);
  let changedBeforeLoad = false;
  let disposed = false;

  const keyword = computed(() => normalizeKeyword(spec.value.keyword));
  const active = computed(() => isFilterActive(spec.value));
  const count = computed(() => deps.count?.value ?? 0);
  const total = computed(() => deps.total?.value ?? 0);

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
    for (const a of deps.seenAgents?.value ?? []) {
      const known = seenAgents.get(a.id);
      if (!known || known.name !== a.name) {
        if (!known && seenAgents.size >= SEEN_AGENTS_MAX)
          seenAgents.delete(seenAgents.keys().next().value as string);
        seenAgents.set(a.id, { id: a.id, name: a.name, ...(a.color ? { color: a.color } : {}) });
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
      return deps.partial?.(sessionId) ?? false;
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
