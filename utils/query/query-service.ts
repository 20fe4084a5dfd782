/**
 * The worker's query over its sessions, shared by every panel's view: one
 * order per sort mode, the keyword index (fed with every new message and the
 * transcripts the worker fetches), the per-agent summary, and the views
 * themselves. `apply` takes what changed since the last call; each view then
 * judges only those sessions again.
 */
import { createKeywordIndex, type KeywordIndexOptions } from "../filters";
import type { Session } from "../protocol";
import { createAgentSummaries } from "./agent-summary";
import { createSessionOrder } from "./session-order";
import { createViewEngine, type ViewEngine } from "./view-engine";
import type { ViewSpec } from "./view-spec";

export interface QueryChanges {
  /** Sessions that changed or joined (or left: a missing one is removed). */
  sessions: Iterable<string>;
  removed: Iterable<string>;
  /** New message texts, any session. */
  messages?: Iterable<{ session_id: string; id: string; text: string }>;
  /** Transcripts (fetched or grown) whose messages the index should hold. */
  transcripts?: Iterable<{ session_id: string; messages: readonly { id: string; text: string }[] }>;
}

export interface QueryServiceDeps {
  sessions: ReadonlyMap<string, Session>;
  clock?: () => number;
  keywordIndex?: KeywordIndexOptions;
}

export function createQueryService(deps: QueryServiceDeps) {
  const clock = deps.clock ?? Date.now;
  const order = createSessionOrder();
  const keywordIndex = createKeywordIndex(deps.keywordIndex);
  const agents = createAgentSummaries();
  const views = new Set<ViewEngine>();

  const track = (id: string) => {
    const s = deps.sessions.get(id);
    if (s && s.status !== "ended") order.upsert(s);
    else {
      order.remove(id);
      keywordIndex.removeSession(id);
    }
    agents.set(id, s);
  };

  return {
    keywordIndex,
    order,
    /** Applies what changed; returns the ids every view must judge again. */
    apply(c: QueryChanges): void {
      const touched = new Set<string>();
      for (const id of c.sessions) touched.add(id);
      for (const id of c.removed) touched.add(id);
      for (const id of touched) track(id);
      for (const m of c.messages ?? []) if (order.has(m.session_id)) keywordIndex.addMessage(m.session_id, m);
      for (const t of c.transcripts ?? [])
        if (order.has(t.session_id)) keywordIndex.syncTranscript(t.session_id, t.messages);
      if (touched.size > 0) for (const v of views) v.changed(touched);
    },
    /** A new view (a panel subscribed); `close` it when the panel goes. */
    view(spec: ViewSpec): ViewEngine {
      const v = createViewEngine({ sessions: deps.sessions, order, keywordIndex, clock }, spec);
      views.add(v);
      return v;
    },
    close(v: ViewEngine) {
      views.delete(v);
    },
    agents,
  };
}

export type QueryService = ReturnType<typeof createQueryService>;
