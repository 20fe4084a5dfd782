/**
 * The Sessions tab: why there is nothing to show (loading, unauthorized, no
 * sessions, nothing matches the filters), else the filters, the grouping and
 * sort controls, and the list.
 */
import type { FilterLayer, Panel } from "@/utils/panel";
import { SORT_LABELS, SORT_MODES } from "@/utils/query";
import { EmptyState } from "./empty-state";
import { SessionFilters } from "./session-filters";
import { SessionList, type SessionListPanel } from "./session-list";

export function SessionsPane({
  panel,
  openOptions,
  scrollTop,
  onScrollTop,
  focusId,
  filters,
}: {
  panel: SessionListPanel & Pick<Panel, "link">;
  openOptions: () => void;
  scrollTop: number;
  onScrollTop: (y: number) => void;
  focusId: string | null;
  filters?: FilterLayer | undefined;
}) {
  const { list } = panel;
  // Ready once the worker answered this panel's view (the first answer waits for a stored filter to load).
  const ready = panel.link.ready.value && list.answered.value;
  const link = panel.link.status.value;
  const c = panel.status.connection.value;
  const count = list.sessionCount.value;
  const view = list.view.value;

  if (!ready) {
    return link === "lost" ? (
      <EmptyState title="Can't reach the extension's background worker" busy>
        Retrying. If this lasts, reload the extension from chrome://extensions.
      </EmptyState>
    ) : (
      <EmptyState title="Loading sessions…" busy />
    );
  }
  if (c?.state === "unauthorized") {
    return (
      <EmptyState title="Not authorized" action={{ label: "Open Options", onClick: openOptions }}>
        The gateway refused the token{c.detail ? ` (${c.detail})` : ""}. Open Options to set a valid token.
      </EmptyState>
    );
  }
  if (count === 0) {
    if (c?.state === "connected" || c?.state === "polling") {
      return (
        <EmptyState title="No active sessions">
          Nothing is happening right now. New conversations appear here as soon as they start
          {c.state === "polling" ? " (the live stream is down: checking every few seconds)." : "."}
        </EmptyState>
      );
    }
    if (c?.state === "connecting") {
      return <EmptyState title="Connecting to the gateway…" busy />;
    }
    return (
      <EmptyState
        title="Not connected: open Options to set the gateway"
        action={{ label: "Open Options", onClick: openOptions }}
      >
        {c?.detail ? `${c.detail}. ` : ""}Check the gateway address and token in the extension's options.
      </EmptyState>
    );
  }
  const nothingMatches = filters?.filters.active.value === true && list.listCount.value === 0;
  return (
    <div class="sessions-pane">
      {filters && <SessionFilters layer={filters} />}
      <div class="list-toolbar">
        <fieldset class="view-switch" aria-label="Group sessions">
          <button type="button" aria-pressed={view === "unified"} onClick={() => list.setView("unified")}>
            All
          </button>
          <button type="button" aria-pressed={view === "grouped"} onClick={() => list.setView("grouped")}>
            By agent
          </button>
        </fieldset>
        <select
          class="sort-control"
          aria-label="Sort sessions"
          value={list.sortMode.value}
          onChange={(e) => {
            const mode = SORT_MODES.find((m) => m === e.currentTarget.value);
            if (mode) list.setSortMode(mode);
          }}
        >
          {SORT_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {SORT_LABELS[mode]}
            </option>
          ))}
        </select>
      </div>
      {nothingMatches ? (
        <EmptyState
          title="No sessions match these filters"
          action={{ label: "Clear filters", onClick: () => filters.filters.clear() }}
        >
          {count} active sessions are hidden by the filters.
        </EmptyState>
      ) : (
        <SessionList
          panel={panel}
          initialScrollTop={scrollTop}
          onScrollTopChange={onScrollTop}
          initialActiveId={focusId}
          autoFocus={focusId !== null}
        />
      )}
    </div>
  );
}
