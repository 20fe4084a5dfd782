/**
 * `<FilterChips filters={filterModel} />`: the matching count ("12 of 340
 * sessions", announced politely), one removable chip per active filter,
 * "Clear all", and the reason when stored filters could not be restored.
 * Chips are buttons: Enter, Space, Delete or Backspace removes one, and focus
 * moves to the next chip (or the count when none is left).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { FilterModel } from "@/utils/filters";

export function FilterChips({ filters }: { filters: FilterModel }) {
  const chips = filters.chips.value;
  const count = filters.count.value;
  const total = filters.total.value;
  const problem = filters.problem.value;
  const row = useRef<HTMLDivElement>(null);
  const [focusAt, setFocusAt] = useState<number | null>(null);

  useEffect(() => {
    if (focusAt === null) return;
    const buttons = row.current?.querySelectorAll<HTMLButtonElement>(".flt-chip-remove");
    const target = buttons && buttons.length > 0 ? buttons[Math.min(focusAt, buttons.length - 1)] : null;
    (target ?? row.current?.querySelector<HTMLElement>(".flt-count"))?.focus();
    setFocusAt(null);
  }, [focusAt]);

  const remove = (i: number, id: (typeof chips)[number]["id"]) => {
    filters.removeChip(id);
    setFocusAt(i);
  };

  return (
    <div class="flt-chips" ref={row}>
      <span class="flt-count" tabIndex={-1} role="status" aria-live="polite">
        {filters.active.value ? `${count} of ${total} sessions` : `${total} sessions`}
      </span>
      {chips.length > 0 && (
        <ul class="flt-chip-list" aria-label="Active filters">
          {chips.map((c, i) => (
            <li key={c.id} class="flt-chip" data-chip={c.id}>
              <span class="flt-chip-label">{c.label}</span>
              <button
                type="button"
                class="flt-chip-remove"
                aria-label={`Remove filter ${c.label}`}
                onClick={() => remove(i, c.id)}
                onKeyDown={(e) => {
                  if (e.key === "Delete" || e.key === "Backspace") {
                    e.preventDefault();
                    remove(i, c.id);
                  }
                }}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {chips.length > 1 && (
        <button
          type="button"
          class="flt-clear"
          onClick={() => {
            filters.clear();
            setFocusAt(0);
          }}
        >
          Clear all
        </button>
      )}
      {problem && (
        <p class="flt-problem" role="alert">
          {problem}{" "}
          <button type="button" class="flt-link" onClick={filters.dismissProblem}>
            Dismiss
          </button>
        </p>
      )}
    </div>
  );
}
