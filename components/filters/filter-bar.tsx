/**
 * `<FilterBar filters={filterModel} />`: every filter control. Each change
 * applies at once through the model's actions.
 */

import type { FilterModel } from "@/utils/filters";
import { CHANNEL_NAMES, FILTER_STATUSES, PRIORITY_NAMES, STATUS_NAMES } from "@/utils/filters";
import { CHANNELS, PRIORITIES } from "@/utils/protocol";
import { AgentPicker } from "./agent-picker";
import { DurationInput } from "./duration-input";
import { KeywordInput } from "./keyword-input";
import { ToggleGroup } from "./toggle-group";

export function FilterBar({ filters }: { filters: FilterModel }) {
  const spec = filters.spec.value;
  return (
    <search class="flt-bar" aria-label="Filter sessions">
      <KeywordInput filters={filters} />
      <AgentPicker filters={filters} />
      <ToggleGroup
        label="Channel"
        options={CHANNELS}
        names={CHANNEL_NAMES}
        selected={spec.channels}
        onToggle={filters.toggleChannel}
      />
      <ToggleGroup
        label="Priority"
        options={PRIORITIES}
        names={PRIORITY_NAMES}
        selected={spec.priorities}
        onToggle={filters.togglePriority}
      />
      <ToggleGroup
        label="Status"
        options={FILTER_STATUSES}
        names={STATUS_NAMES}
        selected={spec.statuses}
        onToggle={filters.toggleStatus}
      />
      <DurationInput filters={filters} />
    </search>
  );
}
