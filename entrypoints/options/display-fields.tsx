/** What the panel shows of the AI's signals: the risk and sentiment chip thresholds, low voice confidence. */
import type { Signal } from "@preact/signals";
import { FieldError } from "./options-form";
import type { FieldErrors, OptionsModel } from "./options-model";

interface NumberField {
  id: string;
  key: keyof FieldErrors;
  label: string;
  hint: string;
  value: Signal<string>;
  min: number;
  max: number;
  step: number;
}

export function DisplayFields({ model }: { model: OptionsModel }) {
  const errors = model.touched.value ? model.errors.value : {};
  const fields: NumberField[] = [
    {
      id: "risk-chip-min",
      key: "riskChipMinPercent",
      label: "Show the risk chip from (percent)",
      hint: "Lower risks show no chip; sorting by risk still uses every score.",
      value: model.riskChipMin,
      min: 0,
      max: 100,
      step: 1,
    },
    {
      id: "sentiment-chip-min",
      key: "sentimentChipMin",
      label: "Show sentiment from (distance from neutral, 0–1)",
      hint: "0.4 shows −0.40 and below, +0.40 and above.",
      value: model.sentimentChipMin,
      min: 0,
      max: 1,
      step: 0.05,
    },
    {
      id: "voice-low",
      key: "voiceLowConfidencePercent",
      label: "Voice confidence stands out below (percent)",
      hint: "Every voice line shows its confidence; below this it is marked low.",
      value: model.voiceLow,
      min: 0,
      max: 100,
      step: 1,
    },
  ];
  return (
    <fieldset>
      <legend>Signals on cards and messages</legend>
      {fields.map((f) => (
        <div key={f.id} class="display-field">
          <label for={f.id}>{f.label}</label>
          <input
            id={f.id}
            type="number"
            min={f.min}
            max={f.max}
            step={f.step}
            value={f.value.value}
            aria-invalid={errors[f.key] ? true : undefined}
            aria-describedby={errors[f.key] ? `${f.id}-hint ${f.id}-error` : `${f.id}-hint`}
            onInput={(e) => {
              f.value.value = e.currentTarget.value;
            }}
          />
          <p id={`${f.id}-hint`} class="field-hint">
            {f.hint}
          </p>
          <FieldError id={`${f.id}-error`} text={errors[f.key]} />
        </div>
      ))}
    </fieldset>
  );
}
