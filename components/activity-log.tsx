import { clockTime } from "@/utils/format";
import type { PanelModel } from "@/utils/panel";
import { endReasonText } from "@/utils/panel/end-reason";
import type { ActivityEntry } from "@/utils/panel-protocol";

const SHOWN = 300;

function describe(e: ActivityEntry): { icon: string; text: string; session: string | null; tone: string } {
  switch (e.kind) {
    case "session":
      return {
        icon: e.what === "started" ? "▶" : "■",
        text: `Session ${e.what}${e.detail ? `: ${e.what === "ended" ? endReasonText(e.detail) : e.detail}` : ""}`,
        session: e.session_id,
        tone: e.what,
      };
    case "error":
      return {
        icon: "!",
        text: `${e.severity === "critical" ? "Critical" : e.severity === "error" ? "Error" : "Warning"} ${e.code}: ${e.message}`,
        session: e.session_id,
        tone: `error-${e.severity}`,
      };
    case "intervention": {
      const i = e.intervention;
      return {
        icon: "◆",
        text: `Intervention ${i.type}: ${i.reason}`,
        session: i.session_id,
        tone: "intervention",
      };
    }
    case "intervention_result": {
      const r = e.result;
      const how =
        r.outcome === "applied"
          ? "applied by the agent"
          : r.outcome === "rejected"
            ? `rejected by the agent${r.detail ? `: ${r.detail}` : ""}`
            : `failed${r.code ? ` (${r.code})` : ""}${r.detail ? `: ${r.detail}` : ""}`;
      return {
        icon: r.outcome === "applied" ? "✓" : "✕",
        text: `Intervention ${r.action} ${how}`,
        session: e.session_id,
        tone: r.outcome === "applied" ? "intervention" : "error-error",
      };
    }
  }
}

/** Who the session is with, when the panel knows it; else its id. */
function sessionName(model: PanelModel, id: string): string {
  const s = model.session(id)?.peek();
  return s ? s.user.name?.trim() || s.user.id : id;
}

/** The system-wide feed, newest first; entries about a session open it. */
export function ActivityLog({ model }: { model: PanelModel }) {
  const entries = model.activity.value;
  if (entries.length === 0) {
    return (
      <p class="empty-note">No activity yet. Session starts, ends, errors and interventions appear here.</p>
    );
  }
  const shown = entries.slice(-SHOWN).reverse();
  return (
    <ol class="activity" aria-label="Activity">
      {shown.map((e, i) => {
        const d = describe(e);
        const body = (
          <>
            <span class={`activity-icon tone-${d.tone}`} aria-hidden="true">
              {d.icon}
            </span>
            <time class="activity-time" dateTime={e.at}>
              {clockTime(e.at, true)}
            </time>
            <span class="activity-text">{d.text}</span>
            {d.session && <span class="activity-session">{sessionName(model, d.session)}</span>}
          </>
        );
        const key = `${entries.length - i}`;
        return (
          <li key={key} class={`activity-entry tone-${d.tone}`} data-kind={e.kind}>
            {d.session ? (
              <button type="button" class="activity-open" onClick={() => d.session && model.open(d.session)}>
                {body}
              </button>
            ) : (
              <div class="activity-static">{body}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
