import type { InterventionModel } from "@/utils/interventions";

const ICONS = { pending: "…", succeeded: "✓", failed: "✕" } as const;

/** Pending → succeeded / failed for the latest commands of this session, announced politely. */
export function CommandStatusLine({ model }: { model: InterventionModel }) {
  const items = model.recent.value;
  return (
    <ul class="iv-status" aria-live="polite" aria-label="Intervention status">
      {items.map((c) => (
        <li
          key={c.cmd_id}
          class={`iv-status-item iv-${c.phase}`}
          data-phase={c.phase}
          data-action={c.action}
          data-agent={c.agent}
        >
          <span class="iv-status-icon" aria-hidden="true">
            {ICONS[c.phase]}
          </span>
          <span class="iv-status-text">{c.text}</span>
          {c.phase === "failed" && (
            <span class="iv-status-actions">
              {c.retryable !== false && (
                <button type="button" class="iv-link" onClick={() => model.retry(c.cmd_id)}>
                  Retry
                </button>
              )}
              <button type="button" class="iv-link" onClick={() => model.edit(c.cmd_id)}>
                Edit
              </button>
            </span>
          )}
          {c.phase !== "pending" && (
            <button
              type="button"
              class="iv-link iv-dismiss"
              aria-label="Dismiss"
              onClick={() => model.dismiss(c.cmd_id)}
            >
              ×
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
