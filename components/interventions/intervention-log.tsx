import { describeAgentFailure, interventionLabel, localTime, payloadSummary } from "@/utils/interventions";
import type { Agent, Intervention, InterventionResult } from "@/utils/protocol";

/**
 * The audit trail: intervention_id, session, admin, type, reason and time
 * (local time shown, ISO 8601 in the datetime and title attributes), newest
 * first; on sessions an agent runtime owns, whether the runtime applied it
 * (when the panel saw its answer). All text is rendered as text.
 */
export function InterventionLog({
  entries,
  showSession,
  agents = [],
  onOpenSession,
  label,
  results,
}: {
  entries: readonly Intervention[];
  /** What the agent runtimes answered, by intervention_id. */
  results?: ReadonlyMap<string, InterventionResult>;
  showSession: boolean;
  agents?: readonly Agent[];
  onOpenSession?: (sessionId: string) => void;
  label: string;
}) {
  if (entries.length === 0)
    return (
      <p class="iv-log-empty">
        {showSession ? "No interventions yet." : "No interventions in this session yet."}
      </p>
    );
  const agentName = (id: string) => agents.find((a) => a.id === id)?.name;
  return (
    <ol class="iv-log" aria-label={label}>
      {entries.map((i) => {
        const detail = payloadSummary(i, agentName);
        return (
          <li key={i.intervention_id} class="iv-log-item" data-intervention-id={i.intervention_id}>
            <div class="iv-log-head">
              <span class="iv-log-type" data-type={i.type}>
                {interventionLabel(i)}
              </span>
              <time class="iv-log-time" dateTime={i.timestamp} title={i.timestamp}>
                {localTime(i.timestamp)}
              </time>
            </div>
            <p class="iv-log-reason">
              <span class="iv-log-label">Reason: </span>
              {i.reason}
            </p>
            {detail && <p class="iv-log-detail">{detail}</p>}
            <Outcome result={results?.get(i.intervention_id)} />
            <p class="iv-log-meta">
              <span class="iv-log-id">{i.intervention_id}</span>
              {" · by "}
              <span class="iv-log-admin">{i.admin_id}</span>
              {showSession &&
                (onOpenSession ? (
                  <>
                    {" · "}
                    <button
                      type="button"
                      class="iv-link iv-log-session"
                      onClick={() => onOpenSession(i.session_id)}
                    >
                      {i.session_id}
                    </button>
                  </>
                ) : (
                  <>
                    {" · "}
                    <span class="iv-log-session">{i.session_id}</span>
                  </>
                ))}
            </p>
          </li>
        );
      })}
    </ol>
  );
}

function Outcome({ result }: { result: InterventionResult | undefined }) {
  if (!result) return null;
  return (
    <p class="iv-log-outcome" data-outcome={result.outcome}>
      {result.outcome === "applied"
        ? "✓ Applied by the agent"
        : `✕ Not applied: ${describeAgentFailure(result)}`}
    </p>
  );
}
