/**
 * Everything the panel needs for filtering, in one model it owns and disposes:
 * the keyword index (fed from transcripts and pruned to the live sessions),
 * the filter model (persisted in storage.session) and the saved views of the
 * signed-in user.
 *
 *   const sessions = useComputed(() => …live Session[]…);
 *   const userId = useComputed(() => panel.user.value?.id ?? null);
 *   const layer = useModel(() =>
 *     createFilterLayer({ sessions, now: panel.now, agents: panel.agents, userId, transcripts: panel.transcripts }),
 *   );
 *   <FilterBar filters={layer.filters} /> <SavedViewsMenu views={layer.views} /> <FilterChips filters={layer.filters} />
 *   layer.filters.matchingIds.value.has(id)
 *   layer.addMessages([{ session_id, id, text }])   // messages of sessions that are not watched, when available
 */
import type { ReadonlySignal } from "@preact/signals";
import { createModel, effect } from "@preact/signals";
import {
  type AgentOption,
  createFilterModel,
  createKeywordIndex,
  type FilterPersistence,
  type IndexedMessage,
  type KeywordIndexOptions,
  normalizeKeyword,
} from "../filters";
import type { Session } from "../protocol";
import type { ViewsStore } from "../saved-views";
import { createSavedViewsModel } from "../saved-views";

/** The part of a transcript the index reads (the panel's `Transcript` fits). */
export interface TranscriptLike {
  session_id: string;
  messages: readonly IndexedMessage[];
}

export interface FilterLayerDeps {
  sessions: ReadonlySignal<readonly Session[]>;
  /** Changes when sessions join or leave; without it, pruning follows every change of `sessions`. */
  membership?: ReadonlySignal<unknown>;
  now: ReadonlySignal<number>;
  userId: ReadonlySignal<string | null>;
  agents?: ReadonlySignal<readonly AgentOption[]>;
  /** Transcripts of watched sessions; a changed one is a new object. */
  transcripts?: ReadonlySignal<ReadonlyMap<string, TranscriptLike>>;
  /** Where the active filter is kept (the panel passes `storage.session`'s, from its entrypoint). */
  storage: FilterPersistence;
  /** Defaults to `openViewsStore(userId)`. */
  openViews?: (userId: string) => Promise<ViewsStore>;
  keywordIndex?: KeywordIndexOptions;
}

export const FilterLayer = createModel((deps: FilterLayerDeps) => {
  const keywordIndex = createKeywordIndex(deps.keywordIndex);
  const filters = createFilterModel({
    sessions: deps.sessions,
    now: deps.now,
    agents: deps.agents,
    keywordIndex,
    storage: deps.storage,
  });
  const views = createSavedViewsModel({ userId: deps.userId, filters, open: deps.openViews });

  // Index only transcripts that changed since the last run.
  const seen = new Map<string, TranscriptLike>();
  const sync = (id: string, t: TranscriptLike) => {
    seen.set(id, t);
    keywordIndex.syncTranscript(t.session_id, t.messages);
  };
  const transcripts = deps.transcripts;
  if (transcripts) {
    effect(() => {
      for (const [id, t] of transcripts.value) if (seen.get(id) !== t) sync(id, t);
    });
  }
  // Forget sessions that left the live set; (re)index transcripts of sessions
  // that joined it after their transcript arrived.
  effect(() => {
    let list: readonly Session[];
    if (deps.membership) {
      deps.membership.value; // the only dependency: who is live, not what changed in them
      list = deps.sessions.peek();
    } else list = deps.sessions.value;
    const live = new Set(list.map((s) => s.id));
    keywordIndex.retainOnly(live);
    for (const id of [...seen.keys()]) if (!live.has(id)) seen.delete(id);
    for (const [id, t] of transcripts?.peek() ?? []) if (live.has(id) && !seen.has(id)) sync(id, t);
  });

  return {
    filters,
    views,
    keywordIndex,
    /**
     * Why a session matched the keyword when its preview does not show it: the newest match in
     * its transcript, as a short snippet; null otherwise. Reads the keyword (and, only then,
     * the index's version), so a card using it follows both.
     */
    snippetFor(session: Session): string | null {
      const keyword = normalizeKeyword(filters.keyword.value);
      if (!keyword || session.preview.toLowerCase().includes(keyword)) return null;
      keywordIndex.version.value;
      return keywordIndex.snippet(session.id, keyword);
    },
    /** Messages from any source (e.g. a worker feed of every session's new messages). */
    addMessages(messages: readonly { session_id: string; id: string; text: string }[]) {
      for (const m of messages) keywordIndex.addMessage(m.session_id, m);
    },
  };
});

export type FilterLayer = InstanceType<typeof FilterLayer>;

export function createFilterLayer(deps: FilterLayerDeps): FilterLayer {
  return new FilterLayer(deps);
}
