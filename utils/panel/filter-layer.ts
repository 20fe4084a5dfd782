/**
 * What the panel needs for filtering, in one model it owns and disposes: the
 * filter model (persisted in storage.session) and the saved views of the
 * signed-in user. The filtering itself runs in the worker (`utils/query/`):
 * the list slice sends the spec as part of its view and gives back the counts,
 * the agents that have sessions, and which sessions' keyword search is partial.
 *
 *   const layer = createFilterLayer({ count, total, userId, agents, seenAgents, partial, storage });
 *   <FilterBar filters={layer.filters} /> <SavedViewsMenu views={layer.views} /> <FilterChips filters={layer.filters} />
 */
import type { ReadonlySignal } from "@preact/signals";
import { createModel } from "@preact/signals";
import { type AgentOption, createFilterModel, type FilterPersistence } from "../filters";
import type { ViewsStore } from "../saved-views";
import { createSavedViewsModel } from "../saved-views";

export interface FilterLayerDeps {
  /** How many sessions the filter lets through, and how many there are (the worker's answers). */
  count: ReadonlySignal<number>;
  total: ReadonlySignal<number>;
  userId: ReadonlySignal<string | null>;
  /** The agent roster. */
  agents?: ReadonlySignal<readonly AgentOption[]>;
  /** Agents that have sessions now (the worker's summary). */
  seenAgents?: ReadonlySignal<readonly AgentOption[]>;
  /** True when the worker's keyword index dropped older messages of this session. */
  partial?: (sessionId: string) => boolean;
  /** Where the active filter is kept (the panel passes `storage.session`'s, from its entrypoint). */
  storage: FilterPersistence;
  /** Defaults to `openViewsStore(userId)`. */
  openViews?: (userId: string) => Promise<ViewsStore>;
}

export const FilterLayer = createModel((deps: FilterLayerDeps) => {
  const filters = createFilterModel({
    count: deps.count,
    total: deps.total,
    agents: deps.agents,
    seenAgents: deps.seenAgents,
    partial: deps.partial,
    storage: deps.storage,
  });
  const views = createSavedViewsModel({ userId: deps.userId, filters, open: deps.openViews });
  return { filters, views };
});

export type FilterLayer = InstanceType<typeof FilterLayer>;

export function createFilterLayer(deps: FilterLayerDeps): FilterLayer {
  return new FilterLayer(deps);
}
