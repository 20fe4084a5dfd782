import { computed, effect, useComputed, useModel, useSignal } from "@preact/signals";
import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { createRulesModel, type RulesModel } from "@/utils/alerts/rules-model";
import { type CannedModel, createCannedModel } from "@/utils/canned-replies";
import type { FilterPersistence } from "@/utils/filters";
import {
  createFilterLayer,
  DEFAULT_DISPLAY_PREFS,
  type DisplayPrefs,
  type FilterLayer,
  type HandoffThresholds,
  type PanelModel,
  type PanelModelOptions,
  type PanelPort,
  SORT_LABELS,
  SORT_MODES,
  usePanelModel,
} from "@/utils/panel";
import { ActivityLog } from "./activity-log";
import { AlertToasts } from "./alerts/alert-toasts";
import { AlertsView } from "./alerts/alerts-view";
import { CannedContext, CannedManageContext } from "./canned/canned-context";
import { CannedView } from "./canned/canned-view";
import { ConnectionIndicator } from "./connection-indicator";
import { ConversationView } from "./conversation-view";
import { DisplayPrefsContext } from "./display-prefs";
import { EmptyState } from "./empty-state";
import { Icon } from "./icons";
import { GlobalInterventionLog } from "./interventions";
import { MetricsBar } from "./metrics-bar";
import { SessionFilters } from "./session-filters";
import { SessionList } from "./session-list";
import { TabList } from "./tab-list";
import { Toasts } from "./toasts";

export interface AppProps {
  model: PanelModel;
  /** Opens the extension's options page (runtime.openOptionsPage). */
  openOptions: () => void;
  /** Filters and saved views; without it the list is unfiltered and the filter UI absent. */
  filters?: FilterLayer;
  /** Alert rules (IndexedDB); without it the alerts screen is absent (alert toasts and highlights still show). */
  alertRules?: RulesModel;
  /** Canned replies (IndexedDB); without it the Replies screen and the compose fields' picker are absent. */
  canned?: CannedModel;
}

type Tab = "sessions" | "activity" | "interventions";

/** Creates the model for the panel's lifetime and renders the app. */
export function PanelRoot({
  makePort,
  openOptions,
  options,
  initialFocus,
  followThresholds,
  followDisplayPrefs,
  filterStorage,
}: {
  makePort: () => PanelPort;
  /** Where the active filter is kept across panel reloads (`storage.session`). */
  filterStorage: FilterPersistence;
  /** Follows the stored hand-off timer thresholds (settings); returns the undo. */
  followThresholds?: (apply: (t: HandoffThresholds) => void) => () => void;
  /** Follows the stored chip thresholds and voice confidence threshold (settings); returns the undo. */
  followDisplayPrefs?: (apply: (p: DisplayPrefs) => void) => () => void;
  openOptions: () => void;
  options?: PanelModelOptions;
  /** A session to show first (a notification was clicked before the panel opened). */
  initialFocus?: Promise<string | null>;
}) {
  const model = usePanelModel(makePort, options);
  const userId = useComputed(() => model.user.value?.id ?? null);
  const filters = useModel(() =>
    createFilterLayer({
      sessions: model.sessions,
      membership: model.membership,
      now: model.now,
      agents: model.agents,
      userId,
      transcripts: model.transcripts,
      storage: filterStorage,
    }),
  );
  useEffect(() => {
    model.setRowFilter(
      computed(() => (filters.filters.active.value ? filters.filters.matchingIds.value : null)),
    );
    model.setHighlight(filters.filters.keyword);
    model.setSnippets((s) => filters.snippetFor(s));
    const offMessages = model.onMessages((ms) => filters.addMessages(ms));
    return () => {
      offMessages();
      model.setRowFilter(null);
      model.setHighlight(null);
      model.setSnippets(null);
    };
  }, [model, filters]);
  const alertRules = useModel(() =>
    createRulesModel({
      userId,
      send: (uid, rules) => model.postAlerts({ type: "alert_rules", user_id: uid, rules: [...rules] }),
    }),
  );
  // A new or restarted worker (every `init`) gets the rules again.
  useEffect(
    () =>
      effect(() => {
        model.initCount.value;
        alertRules.resend();
      }),
    [model, alertRules],
  );
  const canned = useModel(() => createCannedModel({ userId }));
  useEffect(() => {
    let live = true;
    void initialFocus?.then((id) => {
      if (live && id && model.selectedId.peek() === null) model.open(id);
    });
    return () => {
      live = false;
    };
  }, [model]);
  useEffect(() => followThresholds?.((t) => model.setHandoffThresholds(t)), [model]);
  const displayPrefs = useSignal(DEFAULT_DISPLAY_PREFS);
  useEffect(
    () =>
      followDisplayPrefs?.((p) => {
        displayPrefs.value = p;
      }),
    [displayPrefs],
  );
  return (
    <DisplayPrefsContext.Provider value={displayPrefs}>
      <App
        model={model}
        openOptions={openOptions}
        filters={filters}
        alertRules={alertRules}
        canned={canned}
      />
    </DisplayPrefsContext.Provider>
  );
}

export function App({ model, openOptions, filters, alertRules, canned }: AppProps) {
  const [tab, setTab] = useState<Tab>("sessions");
  const [showAlerts, setShowAlerts] = useState(false);
  const [showCanned, setShowCanned] = useState(false);
  const cannedButton = useRef<HTMLButtonElement>(null);
  const alertsButton = useRef<HTMLButtonElement>(null);
  const listScroll = useRef(0);
  const lastOpened = useRef<string | null>(null);
  const selectedId = model.selectedId.value;
  if (selectedId) lastOpened.current = selectedId;

  return (
    <CannedContext.Provider value={canned ?? null}>
      <CannedManageContext.Provider
        value={
          canned
            ? () => {
                setShowCanned(true);
                setShowAlerts(false);
              }
            : null
        }
      >
        <main aria-label="Live Conversations" class="panel">
          <header class="panel-header">
            <h1 class="panel-title">Live Conversations</h1>
            <ConnectionIndicator model={model} />
            {alertRules && (
              <AlertsButton
                model={model}
                buttonRef={alertsButton}
                open={showAlerts}
                onToggle={() => {
                  setShowAlerts(!showAlerts);
                  setShowCanned(false);
                }}
              />
            )}
            {canned && (
              <button
                ref={cannedButton}
                type="button"
                class="alerts-button canned-button"
                aria-expanded={showCanned}
                aria-label="Canned replies"
                title="Canned replies for interventions"
                onClick={() => {
                  setShowCanned(!showCanned);
                  setShowAlerts(false);
                }}
              >
                <Icon name="edit" />
              </button>
            )}
            <MuteSwitch model={model} />
          </header>
          <MetricsBar model={model} />
          {showCanned && canned ? (
            <CannedView
              canned={canned}
              onBack={() => {
                setShowCanned(false);
                setTimeout(() => cannedButton.current?.focus());
              }}
            />
          ) : showAlerts && alertRules ? (
            <AlertsView
              model={model}
              rules={alertRules}
              onBack={() => {
                setShowAlerts(false);
                setTimeout(() => alertsButton.current?.focus());
              }}
            />
          ) : selectedId ? (
            <ConversationView key={selectedId} model={model} onBack={() => model.close()} />
          ) : (
            <>
              <TabList
                class="tabs"
                tabClass="tab"
                label="Views"
                tabs={[
                  {
                    id: "sessions",
                    label: (
                      <>
                        Sessions <span class="count">{model.sessionCount.value}</span>
                      </>
                    ),
                  },
                  { id: "activity", label: "Activity" },
                  { id: "interventions", label: "Interventions" },
                ]}
                current={tab}
                onSelect={setTab}
                tabId={(id) => `tab-${id}`}
                panelId={(id) => `panel-${id}`}
              />
              <div class="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
                {tab === "sessions" ? (
                  <SessionsPane
                    model={model}
                    openOptions={openOptions}
                    scrollTop={listScroll.current}
                    onScrollTop={(y) => {
                      listScroll.current = y;
                    }}
                    focusId={lastOpened.current}
                    filters={filters}
                  />
                ) : tab === "activity" ? (
                  <div class="activity-pane">
                    <ActivityLog model={model} />
                  </div>
                ) : (
                  <div class="activity-pane">
                    <GlobalInterventionLog model={model} />
                  </div>
                )}
              </div>
            </>
          )}
          <div class="toast-stack">
            <AlertToasts model={model} />
            <Toasts model={model} />
          </div>
        </main>
      </CannedManageContext.Provider>
    </CannedContext.Provider>
  );
}

function AlertsButton({
  model,
  open,
  onToggle,
  buttonRef,
}: {
  model: PanelModel;
  open: boolean;
  onToggle(): void;
  buttonRef: RefObject<HTMLButtonElement | null>;
}) {
  const n = model.alerts.value.length;
  return (
    <button
      ref={buttonRef}
      type="button"
      class="alerts-button"
      aria-expanded={open}
      aria-label={
        n > 0 ? `Alerts ${n}: ${n} alert${n === 1 ? "" : "s"} waiting, alert rules` : "Alerts: alert rules"
      }
      title="Alert rules and sound"
      onClick={onToggle}
    >
      <Icon name="flag" /> <span class="alerts-word">Alerts</span>
      {n > 0 && (
        <span class="alerts-count" aria-hidden="true">
          {n}
        </span>
      )}
    </button>
  );
}

function MuteSwitch({ model }: { model: PanelModel }) {
  const muted = model.muted.value;
  return (
    <button
      type="button"
      role="switch"
      class={`mute-switch${muted ? " muted" : ""}`}
      aria-checked={muted}
      aria-label="Mute in-app notifications"
      title={muted ? "Notifications muted" : "Mute notifications"}
      onClick={() => model.setMuted(!muted)}
    >
      <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true" focusable="false">
        <path
          d="M8 1.8a3.9 3.9 0 0 0-3.9 3.9v2.7L2.6 11h10.8l-1.5-2.6V5.7A3.9 3.9 0 0 0 8 1.8Zm-1.6 10.7a1.6 1.6 0 0 0 3.2 0"
          fill="none"
          stroke="currentColor"
          stroke-width="1.3"
          stroke-linejoin="round"
        />
        {muted && <path d="M2.5 2.5l11 11" stroke="currentColor" stroke-width="1.5" />}
      </svg>
    </button>
  );
}

function SessionsPane({
  model,
  openOptions,
  scrollTop,
  onScrollTop,
  focusId,
  filters,
}: {
  model: PanelModel;
  openOptions: () => void;
  scrollTop: number;
  onScrollTop: (y: number) => void;
  focusId: string | null;
  filters?: FilterLayer | undefined;
}) {
  const ready = model.ready.value;
  const link = model.link.value;
  const c = model.connection.value;
  const count = model.sessionCount.value;
  const view = model.view.value;

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
  const nothingMatches = filters?.filters.active.value === true && model.listCount.value === 0;
  return (
    <div class="sessions-pane">
      {filters && <SessionFilters layer={filters} />}
      <div class="list-toolbar">
        <fieldset class="view-switch" aria-label="Group sessions">
          <button type="button" aria-pressed={view === "unified"} onClick={() => model.setView("unified")}>
            All
          </button>
          <button type="button" aria-pressed={view === "grouped"} onClick={() => model.setView("grouped")}>
            By agent
          </button>
        </fieldset>
        <select
          class="sort-control"
          aria-label="Sort sessions"
          value={model.sortMode.value}
          onChange={(e) => {
            const mode = SORT_MODES.find((m) => m === e.currentTarget.value);
            if (mode) model.setSortMode(mode);
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
          model={model}
          initialScrollTop={scrollTop}
          onScrollTopChange={onScrollTop}
          initialActiveId={focusId}
          autoFocus={focusId !== null}
        />
      )}
    </div>
  );
}
