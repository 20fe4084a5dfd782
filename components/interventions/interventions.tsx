import { DraftList } from "./draft-list";
import "./interventions.css";
import { computed, useComputed, useModel, useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import {
  agentResultsFrom,
  createInterventionModel,
  interventionsFromActivity,
  mergeInterventions,
} from "@/utils/interventions";
import type { PanelModel } from "@/utils/panel";
import type { Intervention } from "@/utils/protocol";
import { DisclosureButton } from "../disclosure";
import { TabList } from "../tab-list";
import { InterventionLog } from "./intervention-log";
import { InterventionToolbar } from "./intervention-toolbar";

/**
 * Builds the intervention model of the open conversation from the panel model
 * (whose command journal outlives the view, rebuilt for each session).
 */
export function useInterventionModel(panel: PanelModel) {
  return useModel(() =>
    createInterventionModel({
      journal: panel.journal,
      user: panel.user,
      session: panel.selected,
      agents: panel.agents,
      streaming: computed(() => panel.transcript.value?.streaming ?? null),
      activity: panel.activity,
      allSessions: panel.sessions,
    }),
  );
}

type LogScope = "session" | "all";

/**
 * What the conversation view's toolbar slot shows: the controls (or why there
 * are none) and the intervention log behind a disclosure button, for this
 * session or for all of them.
 */
export function ConversationInterventions({ model: panel }: { model: PanelModel }) {
  const model = useInterventionModel(panel);
  const showLog = useSignal(false);
  const scope = useSignal<LogScope>("session");
  const all = useComputed(() =>
    mergeInterventions([
      [...panel.interventionHistory.value.values()],
      interventionsFromActivity(panel.activity.value),
    ]),
  );
  const sessionId = panel.selectedId.value;
  useEffect(() => {
    if (sessionId) panel.requestInterventions(sessionId);
  }, [panel, sessionId]);
  const mine = useComputed(() => {
    const id = panel.selectedId.value;
    return all.value.filter((i) => i.session_id === id);
  });
  return (
    <div class="iv-root">
      <InterventionToolbar model={model} />
      <DisclosureButton
        class="iv-link iv-log-toggle"
        open={showLog.value}
        controls="iv-session-log"
        onToggle={(open) => {
          showLog.value = open;
        }}
      >
        Intervention log ({mine.value.length})
      </DisclosureButton>
      {showLog.value && (
        <section id="iv-session-log" class="iv-log-panel" aria-label="Intervention log">
          <TabList
            class="iv-log-tabs"
            tabClass="iv-log-tab"
            label="Which interventions"
            tabs={[
              { id: "session", label: `This session (${mine.value.length})` },
              { id: "all", label: `All sessions (${all.value.length})` },
            ]}
            current={scope.value}
            onSelect={(id: LogScope) => {
              scope.value = id;
            }}
            tabId={(id) => `iv-log-tab-${id}`}
            panelId={() => "iv-log-tabpanel"}
          />
          <div id="iv-log-tabpanel" role="tabpanel" aria-labelledby={`iv-log-tab-${scope.value}`}>
            {scope.value === "session" ? (
              <InterventionLog
                entries={mine.value}
                showSession={false}
                agents={panel.agents.value}
                results={agentResultsFrom(panel.activity.value)}
                label="Interventions in this session"
              />
            ) : (
              <AllInterventions panel={panel} entries={all.value} />
            )}
          </div>
        </section>
      )}
    </div>
  );
}

/** Every intervention the panel knows of, newest first; a session id opens that conversation. */
export function GlobalInterventionLog({ model: panel }: { model: PanelModel }) {
  const entries = useComputed(() =>
    mergeInterventions([
      [...panel.interventionHistory.value.values()],
      interventionsFromActivity(panel.activity.value),
    ]),
  );
  useEffect(() => panel.requestInterventions(), [panel]);
  const error = panel.historyError.value;
  return (
    <section class="iv-log-panel iv-log-global" aria-label="Intervention log">
      <AllInterventions panel={panel} entries={entries.value} />
      {error && (
        <p class="iv-history-error" role="status">
          The audit history could not be loaded ({error}); showing interventions seen live.
        </p>
      )}
    </section>
  );
}

/** Review mode (issue 12): the open conversation's drafts waiting for approval, with their controls. */
export function ConversationDrafts({ model: panel }: { model: PanelModel }) {
  const model = useInterventionModel(panel);
  const drafts = panel.transcript.value?.drafts ?? [];
  return <DraftList drafts={drafts} model={model} now={panel.now} />;
}

/** Every session's interventions; a session id opens that conversation. */
function AllInterventions({ panel, entries }: { panel: PanelModel; entries: readonly Intervention[] }) {
  return (
    <InterventionLog
      entries={entries}
      showSession
      agents={panel.agents.value}
      results={agentResultsFrom(panel.activity.value)}
      onOpenSession={(id) => panel.open(id)}
      label="All interventions"
    />
  );
}
