import type { ComponentChildren } from "preact";

/**
 * A row of tabs (WAI-ARIA tabs pattern): one tab in the Tab order (the
 * selected one), ←/→ move to the previous/next tab (wrapping) and select it,
 * Home/End the first/last. `tabId`/`panelId` name each tab and the panel it
 * controls, so the caller's `role="tabpanel"` can point back with
 * `aria-labelledby`.
 */
export interface TabSpec<T extends string> {
  id: T;
  label: ComponentChildren;
}

export function TabList<T extends string>({
  tabs,
  current,
  onSelect,
  label,
  tabId,
  panelId,
  class: cls,
  tabClass,
}: {
  tabs: readonly TabSpec<T>[];
  current: T;
  onSelect: (id: T) => void;
  /** The tab list's accessible name. */
  label: string;
  tabId: (id: T) => string;
  panelId: (id: T) => string;
  class: string;
  tabClass: string;
}) {
  const move = (from: HTMLElement, to: T) => {
    onSelect(to);
    from.parentElement?.querySelector<HTMLElement>(`#${CSS.escape(tabId(to))}`)?.focus();
  };
  return (
    <div class={cls} role="tablist" aria-label={label}>
      {tabs.map((t, i) => {
        const selected = t.id === current;
        return (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={tabId(t.id)}
            class={tabClass}
            aria-selected={selected ? "true" : "false"}
            aria-controls={panelId(t.id)}
            tabIndex={selected ? 0 : -1}
            onClick={() => onSelect(t.id)}
            onKeyDown={(e) => {
              const n = tabs.length;
              const to =
                e.key === "ArrowRight"
                  ? tabs[(i + 1) % n]
                  : e.key === "ArrowLeft"
                    ? tabs[(i + n - 1) % n]
                    : e.key === "Home"
                      ? tabs[0]
                      : e.key === "End"
                        ? tabs[n - 1]
                        : undefined;
              if (!to) return;
              e.preventDefault();
              move(e.currentTarget, to.id);
            }}
          >
            {t.label}
          </button>
        );
      })}
    </div>
  );
}
