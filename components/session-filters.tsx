/**
 * The filter area above the session list: a "Filters" toggle that shows the
 * filter bar, the saved-views menu, and the chips row (always shown while a
 * filter is active, with the count of matching sessions).
 */
import { useState } from "preact/hooks";
import "./filters/filters.css";
import type { FilterLayer } from "@/utils/panel";
import { DisclosureButton } from "./disclosure";
import { FilterBar, FilterChips, SavedViewsMenu } from "./filters";

export function SessionFilters({ layer }: { layer: FilterLayer }) {
  const [open, setOpen] = useState(false);
  const active = layer.filters.active.value;
  return (
    <div class="session-filters">
      <div class="session-filters-row">
        <DisclosureButton
          class="flt-select-button filters-toggle"
          open={open}
          controls="filter-bar"
          onToggle={setOpen}
        >
          Filters{active ? ` (${layer.filters.chips.value.length})` : ""}
        </DisclosureButton>
        <SavedViewsMenu views={layer.views} />
      </div>
      {open && (
        <div id="filter-bar">
          <FilterBar filters={layer.filters} />
        </div>
      )}
      {(active || layer.filters.problem.value) && <FilterChips filters={layer.filters} />}
    </div>
  );
}
