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
import { ToggleGroup, type ToggleGroupProps } from "./toggle-group";

/** The on/off dimensions, in the bar's order: channel, priority, status. */
function toggleGroups(filters: FilterModel): ToggleGroupProps<string>[] {
  const spec = filters.spec.value;
  return [
    {
      label: "Channel",
      options: CHANNELS,
      names: CHANNEL_NAMES,
      selected: spec.channels,
      onToggle: filters.toggleChannel,
    },
    {
      label: "Priority",
      options: PRIORITIES,
      names: PRIORITY_NAMES,
      selected: spec.priorities,
      onToggle: filters.togglePriority,
    },
    {
      label: "Status",
      options: FILTER_STATUSES,
      names: STATUS_NAMES,
      selected: spec.statuses,
      onToggle: filters.toggleStatus,
    },
  ];
}

export function FilterBar({ filters }: { filters: FilterModel }) {
  return (
    <search class="flt-bar" aria-label="Filter sessions">
      <KeywordInput filters={filters} />
      <AgentPicker filters={filters} />
      {toggleGroups(filters).map((g) => (
        <ToggleGroup key={g.label} {...g} />
      ))}
      <DurationInput filters={filters} />
    </search>
  );
}
