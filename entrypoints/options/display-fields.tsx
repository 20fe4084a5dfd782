/** What the panel shows of the AI's signals: the risk and sentiment chip thresholds, low voice confidence. */
import { Field, type FieldRow } from "./field";
import type { OptionsModel } from "./options-model";

export function DisplayFields({ model }: { model: OptionsModel }) {
  const errors = model.touched.value ? model.errors.value : {};
  const fields: FieldRow[] = [
    {
      id: "risk-chip-min",
      errorKey: "riskChipMinPercent",
      label: "Show the risk chip from (percent)",
      hint: "Lower risks show no chip; sorting by risk still uses every score.",
      value: model.riskChipMin,
      input: { type: "number", min: 0, max: 100, step: 1 },
    },
    {
      id: "sentiment-chip-min",
      errorKey: "sentimentChipMin",
      label: "Show sentiment from (distance from neutral, 0–1)",
      hint: "0.4 shows −0.40 and below, +0.40 and above.",
      value: model.sentimentChipMin,
      input: { type: "number", min: 0, max: 1, step: 0.05 },
    },
    {
      id: "voice-low",
      errorKey: "voiceLowConfidencePercent",
      label: "Voice confidence stands out below (percent)",
      hint: "Every voice line shows its confidence; below this it is marked low.",
      value: model.voiceLow,
      input: { type: "number", min: 0, max: 100, step: 1 },
    },
  ];
  return (
    <fieldset>
      <legend>Signals on cards and messages</legend>
      {fields.map((f) => (
        <div key={f.id} class="display-field">
          <Field {...f} error={errors[f.errorKey]} />
        </div>
      ))}
    </fieldset>
  );
}
