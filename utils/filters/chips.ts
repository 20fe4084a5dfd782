/**
 * Chips: one per active filter dimension, each with a label and the spec
 * that results from removing it.
 *
 *   deriveChips(spec, agentName) → [{ id: "priorities", label: "Priority: Urgent, High", … }]
 *
 * `agentName(id)` names an agent id for the agents chip (falls back to the id).
 */

import { CHANNEL_NAMES, durationLabel, PRIORITY_NAMES, STATUS_NAMES } from "./filter-labels";
import {
  clearDimension,
  FILTER_DIMENSIONS,
  type FilterDimension,
  type FilterSpec,
  isDimensionActive,
  normalizeKeyword,
} from "./filter-spec";

export interface FilterChip {
  /** The dimension this chip stands for; also its stable key. */
  id: FilterDimension;
  label: string;
  /** The spec without this filter. */
  without: FilterSpec;
}

const MAX_NAMES = 3;

function list(title: string, names: readonly string[]): string {
  if (names.length === 0) return `${title}: none`;
  const shown = names.slice(0, MAX_NAMES).join(", ");
  return names.length > MAX_NAMES ? `${title}: ${shown} +${names.length - MAX_NAMES}` : `${title}: ${shown}`;
}

export function chipLabel(spec: FilterSpec, d: FilterDimension, agentName: (id: string) => string): string {
  switch (d) {
    case "agents":
      return list(
        spec.agents.length === 1 ? "Agent" : "Agents",
        spec.agents === "all" ? ["all"] : spec.agents.map(agentName),
      );
    case "channels":
      return list(
        "Channel",
        spec.channels.map((c) => CHANNEL_NAMES[c]),
      );
    case "priorities":
      return list(
        "Priority",
        spec.priorities.map((p) => PRIORITY_NAMES[p]),
      );
    case "statuses":
      return list(
        "Status",
        spec.statuses.map((s) => STATUS_NAMES[s]),
      );
    case "duration":
      return spec.duration ? durationLabel(spec.duration) : "Any duration";
    case "keyword":
      return `Keyword: “${normalizeKeyword(spec.keyword)}”`;
  }
}

export function deriveChips(spec: FilterSpec, agentName: (id: string) => string = (id) => id): FilterChip[] {
  return FILTER_DIMENSIONS.filter((d) => isDimensionActive(spec, d)).map((d) => ({
    id: d,
    label: chipLabel(spec, d, agentName),
    without: clearDimension(spec, d),
  }));
}
