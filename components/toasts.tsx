import type { Panel } from "@/utils/panel";

/** In-app notifications, bottom of the panel; each can open its session or be dismissed. */
export function Toasts({ panel }: { panel: Pick<Panel, "toasts" | "conversation"> }) {
  const toasts = panel.toasts.visibleToasts.value;
  return (
    <div class="toasts" role="status" aria-live="polite" aria-label="Notifications">
      {toasts.map((t) => (
        <div key={t.id} class={`toast toast-${t.severity}`} data-toast-id={t.id}>
          <div class="toast-text">
            <strong class="toast-title">{t.title}</strong>
            <span class="toast-body">{t.body}</span>
          </div>
          {t.session_id && (
            <button
              type="button"
              class="toast-open"
              onClick={() => {
                if (t.session_id) panel.conversation.open(t.session_id);
                panel.toasts.dismiss(t.id);
              }}
            >
              Open
            </button>
          )}
          <button
            type="button"
            class="toast-close"
            aria-label="Dismiss"
            onClick={() => panel.toasts.dismiss(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
