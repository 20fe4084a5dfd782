import "./interventions.css";
import { computed, useComputed, useModel, useSignal } from "@preact/signals";
import {
  createInterventionModel,
  interventionsFromActivity,
  mergeInterventions,
} from "@/utils/interventions";
import type { PanelModel } from "@/utils/panel";
import { InterventionLog } from "./intervention-log";
import { InterventionToolbar } from "./intervention-toolbar";

/** Builds the intervention model of the open conversation from the panel model. */
export function useInterventionModel(panel: PanelModel) {
  return useModel(() =>
    createInterventionModel({
      send: (cmd) => panel.command(cmd.action, cmd.session_id, cmd.reason, cmd.payload),
      user: panel.user,
      session: panel.selected,
      agents: panel.agents,
      streaming: computed(() => panel.transcript.value?.streaming ?? null),
      statuses: panel.commands,
      activity: panel.activity,
    }),
  );
}

/**
 * What the conversation view's toolbar slot shows: the controls (or why there
 * are none) and this session's intervention log behind a disclosure button.
 */
export function ConversationInterventions({ model: panel }: { model: PanelModel }) {
  const model = useInterventionModel(panel);
  const showLog = useSignal(false);
  const sessionId = panel.selectedId.value;
  const entries = useComputed(() =>
    mergeInterventions([interventionsFromActivity(panel.activity.value)], panel.selectedId.value),
  );
  const n = entries.value.length;
  return (
    <div class="iv-root">
      <InterventionToolbar model={model} />
      <button
        type="button"
        class="iv-link iv-log-toggle"
        aria-expanded={showLog.value ? "true" : "false"}
        aria-controls="iv-session-log"
        onClick={() => {
          showLog.value = !showLog.value;
        }}
      >
        Intervention log ({n})
      </button>
      {showLog.value && (
        <section id="iv-session-log" class="iv-log-panel" aria-label="Intervention log of this session">
          <InterventionLog
            entries={entries.value}
            showSession={false}
            agents={panel.agents.value}
            label={`Interventions in ${sessionId ?? "this session"}`}
          />
        </section>
      )}
    </div>
  );
}

/** Every intervention the panel knows of, newest first; a session id opens that conversation. */
export function GlobalInterventionLog({ model: panel }: { model: PanelModel }) {
  const entries = useComputed(() => mergeInterventions([interventionsFromActivity(panel.activity.value)]));
  return (
    <section class="iv-log-panel iv-log-global" aria-label="Intervention log">
      <InterventionLog
        entries={entries.value}
        showSession
        agents={panel.agents.value}
        onOpenSession={(id) => panel.open(id)}
        label="All interventions"
      />
    </section>
  );
}
