/**
 * A row of on/off buttons (`aria-pressed`) for one filter dimension, inside a
 * labelled group. Nothing pressed = no constraint on that dimension.
 */
export interface ToggleGroupProps<T extends string> {
  label: string;
  options: readonly T[];
  names: Record<T, string>;
  selected: readonly T[];
  onToggle(value: T): void;
}

export function ToggleGroup<T extends string>({
  label,
  options,
  names,
  selected,
  onToggle,
}: ToggleGroupProps<T>) {
  return (
    <fieldset class="flt-group">
      <legend class="flt-legend">{label}</legend>
      <div class="flt-toggles">
        {options.map((o) => (
          <button
            key={o}
            type="button"
            class="flt-toggle"
            data-value={o}
            aria-pressed={selected.includes(o)}
            onClick={() => onToggle(o)}
          >
            {names[o]}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
