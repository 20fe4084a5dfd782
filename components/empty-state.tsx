import type { ComponentChildren } from "preact";

/** A calm full-width message saying what is going on and what to do. */
export function EmptyState({
  title,
  children,
  action,
  busy = false,
}: {
  title: string;
  children?: ComponentChildren;
  action?: { label: string; onClick: () => void };
  busy?: boolean;
}) {
  return (
    <div class="empty-state" role="status" aria-busy={busy}>
      {busy && <span class="spinner" aria-hidden="true" />}
      <p class="empty-title">{title}</p>
      {children && <p class="empty-body">{children}</p>}
      {action && (
        <button type="button" class="primary-button" onClick={action.onClick}>
          {action.label}
        </button>
      )}
    </div>
  );
}
