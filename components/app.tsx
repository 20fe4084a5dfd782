import type { RefObject } from "preact";
import { useRef, useState } from "preact/hooks";
import type { RulesModel } from "@/utils/alerts/rules-model";
import type { CannedModel } from "@/utils/canned-replies";
import type { FilterLayer, Panel } from "@/utils/panel";
import { ActivityLog } from "./activity-log";
import { AlertToasts } from "./alerts/alert-toasts";
import { AlertsView } from "./alerts/alerts-view";
import { CannedContext, CannedManageContext } from "./canned/canned-context";
import { CannedView } from "./canned/canned-view";
import { ConnectionIndicator } from "./connection-indicator";
import { ConversationView } from "./conversation-view";
import { Icon } from "./icons";
import { GlobalInterventionLog } from "./interventions";
import { MetricsBar } from "./metrics-bar";
import { SessionsPane } from "./sessions-pane";
import { TabList } from "./tab-list";
import { Toasts } from "./toasts";

export interface AppProps {
  panel: Panel;
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

export function App({ panel, openOptions, filters, alertRules, canned }: AppProps) {
  const [tab, setTab] = useState<Tab>("sessions");
  const [showAlerts, setShowAlerts] = useState(false);
  const [showCanned, setShowCanned] = useState(false);
  const cannedButton = useRef<HTMLButtonElement>(null);
  const alertsButton = useRef<HTMLButtonElement>(null);
  const listScroll = useRef(0);
  const lastOpened = useRef<string | null>(null);
  const selectedId = panel.conversation.selectedId.value;
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
            <ConnectionIndicator panel={panel} />
            {alertRules && (
              <AlertsButton
                alerts={panel.alerts}
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
            <MuteSwitch toasts={panel.toasts} />
          </header>
          <MetricsBar panel={panel} />
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
              panel={panel}
              rules={alertRules}
              onBack={() => {
                setShowAlerts(false);
                setTimeout(() => alertsButton.current?.focus());
              }}
            />
          ) : selectedId ? (
            <ConversationView key={selectedId} panel={panel} onBack={() => panel.conversation.close()} />
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
                        Sessions <span class="count">{panel.list.sessionCount.value}</span>
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
                    panel={panel}
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
                    <ActivityLog panel={panel} />
                  </div>
                ) : (
                  <div class="activity-pane">
                    <GlobalInterventionLog panel={panel} />
                  </div>
                )}
              </div>
            </>
          )}
          <div class="toast-stack">
            <AlertToasts panel={panel} />
            <Toasts panel={panel} />
          </div>
        </main>
      </CannedManageContext.Provider>
    </CannedContext.Provider>
  );
}

function AlertsButton({
  alerts,
  open,
  onToggle,
  buttonRef,
}: {
  alerts: Panel["alerts"];
  open: boolean;
  onToggle(): void;
  buttonRef: RefObject<HTMLButtonElement | null>;
}) {
  const n = alerts.alerts.value.length;
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

function MuteSwitch({ toasts }: { toasts: Panel["toasts"] }) {
  const muted = toasts.muted.value;
  return (
    <button
      type="button"
      role="switch"
      class={`mute-switch${muted ? " muted" : ""}`}
      aria-checked={muted}
      aria-label="Mute in-app notifications"
      title={muted ? "Notifications muted" : "Mute notifications"}
      onClick={() => toasts.setMuted(!muted)}
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
