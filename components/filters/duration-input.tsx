/**
 * Duration filter: "Any duration" / "Longer than" / "Shorter than" + minutes.
 * The minutes field keeps what is typed; only a whole number in range becomes
 * the filter (an invalid entry is marked and leaves the filter as it was).
 */
import { useEffect, useId, useState } from "preact/hooks";
import type { FilterModel } from "@/utils/filters";
import { DURATION_MAX_MINUTES, type DurationOp } from "@/utils/filters";

const DEFAULT_MINUTES = 10;

function parseMinutes(text: string): number | null {
  if (!/^\d{1,6}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n <= DURATION_MAX_MINUTES ? n : null;
}

export function DurationInput({ filters }: { filters: FilterModel }) {
  const id = useId();
  const duration = filters.spec.value.duration;
  const [draft, setDraft] = useState(String(duration?.minutes ?? DEFAULT_MINUTES));
  useEffect(() => {
    if (duration && parseMinutes(draft) !== duration.minutes) setDraft(String(duration.minutes));
    // Follow outside changes (a saved view applied), not our own keystrokes.
  }, [duration?.minutes]);
  const valid = parseMinutes(draft) !== null;

  return (
    <fieldset class="flt-group flt-duration">
      <legend class="flt-legend">Duration</legend>
      <select
        aria-label="Duration"
        value={duration?.op ?? "any"}
        onChange={(e) => {
          const op = e.currentTarget.value;
          if (op === "any") filters.setDuration(null);
          else filters.setDuration({ op: op as DurationOp, minutes: parseMinutes(draft) ?? DEFAULT_MINUTES });
        }}
      >
        <option value="any">Any duration</option>
        <option value="longer">Longer than</option>
        <option value="shorter">Shorter than</option>
      </select>
      <input
        id={`${id}-min`}
        class="flt-minutes"
        type="number"
        inputMode="numeric"
        min={0}
        max={DURATION_MAX_MINUTES}
        step={1}
        aria-label="Minutes"
        aria-invalid={!valid}
        disabled={!duration}
        value={draft}
        onInput={(e) => {
          const text = e.currentTarget.value;
          setDraft(text);
          const n = parseMinutes(text);
          if (n !== null && duration) filters.setDuration({ op: duration.op, minutes: n });
        }}
      />
      <label class="flt-unit" for={`${id}-min`}>
        min
      </label>
    </fieldset>
  );
}
