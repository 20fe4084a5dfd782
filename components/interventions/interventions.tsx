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
import type { Panel } from "@/utils/panel";
import type { Intervention } from "@/utils/protocol";
import { DisclosureButton } from "../disclosure";
import { TabList } from "../tab-list";
import { InterventionLog } from "./intervention-log";
import { InterventionToolbar } from "./intervention-toolbar";

/**
 * Builds the intervention model of the open conversation from the panel model
 * (whose command journal outlives the view, rebuilt for each session).
 */
/** The slices the intervention views read. */
export type InterventionPanel = Pick<Panel, "commands" | "status" | "conversation" | "activity" | "list">;

export function useInterventionModel(panel: InterventionPanel) {
  return useModel(() =>
    createInterventionModel({
      journal: panel.commands.journal,
      user: panel.status.user,
      session: panel.conversation.selected,
      agents: panel.status.agents,
      streaming: computed(() => panel.conversation.transcript.value?.streaming ?? null),
      activity: panel.activity.entries,
      agentSummaries: panel.list.agents,
    }),
  );
}

type LogScope = "session" | "all";

/**
 * What the conversation view's toolbar slot shows: the controls (or why there
 * are none) and the intervention log behind a disclosure button, for this
 * session or for all of them.
 */
export function ConversationInterventions({ panel }: { panel: InterventionPanel }) {
  const model = useInterventionModel(panel);
  const showLog = useSignal(false);
  const scope = useSignal<LogScope>("session");
  const all = useComputed(() =>
    mergeInterventions([
      [...panel.commands.history.value.values()],
      interventionsFromActivity(panel.activity.entries.value),
    ]),
  );
  const sessionId = panel.conversation.selectedId.value;
  useEffect(() => {
    if (sessionId) panel.commands.requestHistory(sessionId);
  }, [panel, sessionId]);
  const mine = useComputed(() => {
    const id = panel.conversation.selectedId.value;
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
                agents={panel.status.agents.value}
                results={agentResultsFrom(panel.activity.entries.value)}
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
export function GlobalInterventionLog({ panel }: { panel: InterventionPanel }) {
  const entries = useComputed(() =>
    mergeInterventions([
      [...panel.commands.history.value.values()],
      interventionsFromActivity(panel.activity.entries.value),
    ]),
  );
  useEffect(() => panel.commands.requestHistory(), [panel]);
  const error = panel.commands.historyError.value;
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
export function ConversationDrafts({ panel }: { panel: InterventionPanel & Pick<Panel, "now"> }) {
  const model = useInterventionModel(panel);
  const drafts = panel.conversation.transcript.value?.drafts ?? [];
  return <DraftList drafts={drafts} model={model} now={panel.now} />;
}

/** Every session's interventions; a session id opens that conversation. */
function AllInterventions({
  panel,
  entries,
}: {
  panel: InterventionPanel;
  entries: readonly Intervention[];
}) {
  return (
    <InterventionLog
      entries={entries}
      showSession
      agents={panel.status.agents.value}
      results={agentResultsFrom(panel.activity.entries.value)}
      onOpenSession={(id) => panel.conversation.open(id)}
      label="All interventions"
    />
  );
}
