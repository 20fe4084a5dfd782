/**
 * The session list: one signal per session (`session-index.ts`), the order
 * for the chosen sort, narrowed by the filter layer's row filter, and grouped
 * by agent when asked. A patch costs O(changed sessions) plus one
 * near-linear re-sort of the id order.
 */
import { computed, type ReadonlySignal, signal } from "@preact/signals";
import type { MessageText, PanelPatch } from "../panel-messages";
import type { Session } from "../protocol";
import type { SortMode } from "../query";
import { createSessionIndex } from "./session-index";

export type ListView = "unified" | "grouped";
export interface GroupHeader {
  kind: "group";
  agent_id: string;
  name: string;
  color: string;
  count: number;
}
/** A row of the session list: a session id, or an agent's header in the grouped view. */
export type ListRow = string | GroupHeader;

/** A session a patch changed or added (`prev` undefined), for the toasts. */
export type SessionChange = readonly [prev: Session | undefined, next: Session];

export function createSessionList() {
  const index = createSessionIndex();
  const view = signal<ListView>("unified");
  const sortMode = signal<SortMode>("recent");
  /** Bumped when the order may have changed. */
  const sessionsVersion = signal(0);
  /** Bumped whenever any session changes, moved or not (for whole-list readers such as filters). */
  const contentVersion = signal(0);
  /** Bumped only when sessions join or leave (not when one changes or moves). */
  const membership = signal(0);
  /** Ids the list shows; null shows every session. Set by the filter layer. */
  const rowFilter = signal<ReadonlySignal<ReadonlySet<string> | null> | null>(null);
  /** The keyword whose matches are marked in previews and transcripts. */
  const highlightSource = signal<ReadonlySignal<string> | null>(null);
  const highlight = computed(() => highlightSource.value?.value ?? "");
  /** Where a card's keyword snippet comes from (the filter layer's index), when a keyword filter exists. */
  const snippetSource = signal<((s: Session) => string | null) | null>(null);
  const messageListeners = new Set<(messages: readonly MessageText[]) => void>();

  const order = computed(() => {
    sessionsVersion.value;
    return index.sortedIds(sortMode.value);
  });
  const sessionCount = computed(() => order.value.length);
  /** Every active session, in the list's order (recomputed when any of them changes). */
  const sessions = computed<readonly Session[]>(() => {
    contentVersion.value;
    const out: Session[] = [];
    for (const id of order.value) {
      const s = index.get(id)?.peek();
      if (s) out.push(s);
    }
    return out;
  });
  /** The order the list shows: `order` narrowed by the row filter. */
  const listOrder = computed(() => {
    const only = rowFilter.value?.value ?? null;
    return only ? order.value.filter((id) => only.has(id)) : order.value;
  });
  const listCount = computed(() => listOrder.value.length);
  const groups = computed(() => {
    const byAgent = new Map<string, { header: GroupHeader; ids: string[] }>();
    for (const id of listOrder.value) {
      const s = index.get(id)?.peek();
      if (!s) continue;
      let g = byAgent.get(s.agent.id);
      if (!g) {
        g = {
          header: { kind: "group", agent_id: s.agent.id, name: s.agent.name, color: s.agent.color, count: 0 },
          ids: [],
        };
        byAgent.set(s.agent.id, g);
      }
      g.ids.push(id);
    }
    return [...byAgent.values()]
      .map((g) => ({ ...g, header: { ...g.header, count: g.ids.length } }))
      .sort(
        (a, b) =>
          a.header.name.localeCompare(b.header.name) || a.header.agent_id.localeCompare(b.header.agent_id),
      );
  });
  const rows = computed<ListRow[]>(() => {
    if (view.value === "unified") return listOrder.value;
    const out: ListRow[] = [];
    for (const g of groups.value) out.push(g.header, ...g.ids);
    return out;
  });

  return {
    view,
    sortMode,
    sessionsVersion,
    membership,
    order,
    sessions,
    sessionCount,
    listOrder,
    listCount,
    groups,
    rows,
    highlight,
    /** The live signal of one session, for its card. */
    session: (id: string) => index.get(id),
    /** A session that recently left the list (ended), so its conversation can still be shown. */
    ended: (id: string) => index.getEnded(id),
    /** Replaces every session (an `init`). */
    applyInit(list: readonly Session[]) {
      const keep = new Set<string>();
      for (const s of list) {
        if (s.status === "ended") continue;
        keep.add(s.id);
        index.upsert(s);
      }
      index.retain(keep);
      sessionsVersion.value++;
      contentVersion.value++;
      membership.value++;
    },
    /** Applies a patch's sessions and message texts; returns the sessions it changed or added. */
    applyPatch(p: PanelPatch): SessionChange[] {
      const changes: SessionChange[] = [];
      let changed = false;
      let joinedOrLeft = false;
      const ended: string[] = [];
      for (const s of p.upserts ?? []) {
        if (s.status === "ended") {
          ended.push(s.id);
          continue;
        }
        const { prev, moved } = index.upsert(s);
        if (!prev) joinedOrLeft = true;
        changes.push([prev, s]);
        changed = moved || changed;
      }
      if (p.removed) ended.push(...p.removed);
      if (ended.length > 0 && index.remove(ended)) {
        changed = true;
        joinedOrLeft = true;
      }
      if (changed) sessionsVersion.value++;
      if (joinedOrLeft) membership.value++;
      if ((p.upserts?.length ?? 0) > 0 || ended.length > 0) contentVersion.value++;
      if (p.messages && p.messages.length > 0) for (const cb of messageListeners) cb(p.messages);
      return changes;
    },
    setView(next: ListView) {
      view.value = next;
    },
    setSortMode(next: SortMode) {
      sortMode.value = next;
    },
    /** Calls `cb` with the new message texts of every session as patches arrive; returns the undo. */
    onMessages(cb: (messages: readonly MessageText[]) => void): () => void {
      messageListeners.add(cb);
      return () => messageListeners.delete(cb);
    },
    /** Narrows the list to the ids the given signal holds (null: no narrowing). */
    setRowFilter(ids: ReadonlySignal<ReadonlySet<string> | null> | null) {
      rowFilter.value = ids;
    },
    /** Marks this keyword's matches in previews and transcripts. */
    setHighlight(keyword: ReadonlySignal<string> | null) {
      highlightSource.value = keyword;
    },
    /** Gives cards a snippet of a keyword match outside their preview (null: none). */
    setSnippets(source: ((s: Session) => string | null) | null) {
      snippetSource.value = source;
    },
    /** The keyword snippet to show on this session's card, if any (see `setSnippets`). */
    snippetFor(s: Session): string | null {
      return snippetSource.value?.(s) ?? null;
    },
  };
}

export type SessionList = ReturnType<typeof createSessionList>;
