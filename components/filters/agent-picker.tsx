/**
 * Agent multi-select: a button that opens a list of checkboxes, the first
 * being "Select all" (checked = every agent, also ones that appear later;
 * mixed when some are ticked). Escape or a click outside closes it and focus
 * returns to the button.
 */
import { useId } from "preact/hooks";
import type { FilterModel } from "@/utils/filters";
import { Icon } from "../icons";
import { usePopover } from "./popover";

export function AgentPicker({ filters }: { filters: FilterModel }) {
  const id = useId();
  const pop = usePopover<HTMLFieldSetElement>({
    popupId: `${id}-list`,
    focusFirst: (list) => list?.querySelector<HTMLInputElement>("input")?.focus(),
  });
  const options = filters.agentOptions.value;
  const chosen = filters.spec.value.agents;
  const isTicked = (agentId: string) => chosen === "all" || chosen.includes(agentId);
  const tickedCount = chosen === "all" ? options.length : options.filter((a) => chosen.includes(a.id)).length;
  const all = chosen === "all";
  const mixed = !all && tickedCount > 0;
  const summary = all
    ? "All agents"
    : tickedCount === 0
      ? "No agents"
      : tickedCount === 1
        ? (options.find((a) => chosen.includes(a.id))?.name ?? "1 agent")
        : `${tickedCount} agents`;

  return (
    <div class="flt-group flt-agents">
      <span class="flt-legend" id={`${id}-label`}>
        Agent
      </span>
      <button
        {...pop.buttonProps}
        aria-labelledby={`${id}-label ${id}-summary`}
        onClick={() => pop.setOpen(!pop.open)}
      >
        <span id={`${id}-summary`}>{summary}</span>
        <Icon name="chevron" size={12} class="flt-chevron" />
      </button>
      {pop.open && (
        <fieldset
          {...pop.popupProps}
          class="flt-popover"
          aria-label="Agents"
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              e.stopPropagation();
              pop.close();
            }
          }}
        >
          <label class="flt-check flt-check-all">
            <input
              type="checkbox"
              checked={all}
              ref={(el) => {
                if (el) el.indeterminate = mixed;
              }}
              onChange={() => filters.selectAllAgents(!all)}
            />
            Select all
          </label>
          {options.length === 0 && <p class="flt-empty">No agents yet</p>}
          {options.map((a) => (
            <label key={a.id} class="flt-check" data-agent-id={a.id}>
              <input type="checkbox" checked={isTicked(a.id)} onChange={() => filters.toggleAgent(a.id)} />
              {a.color && /^#[0-9a-f]{3,8}$/i.test(a.color) && (
                <span class="flt-dot" style={{ backgroundColor: a.color }} aria-hidden="true" />
              )}
              {a.name}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
