/** One options field: its label, the input bound to a signal, an optional hint and the error shown after a save. */
import type { Signal } from "@preact/signals";
import type { FieldErrors } from "./options-model";

export function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} class="field-error" role="alert">
      {text}
    </p>
  ) : null;
}

export interface FieldProps {
  id: string;
  label: string;
  value: Signal<string>;
  error: string | undefined;
  input: InputKind;
  hint?: string;
}

/** The input's kind and its own attributes: spread onto the element as one of Preact's typed input variants. */
export type InputKind =
  | { type: "url" }
  | { type: "password"; autocomplete: "off" }
  | { type: "number"; min: number; max: number; step?: number };

export function Field({ id, label, value, error, input, hint }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        {...input}
        value={value.value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onInput={(e) => {
          value.value = e.currentTarget.value;
        }}
      />
      {hint ? (
        <p id={hintId} class="field-hint">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} text={error} />
    </>
  );
}

/** A field as a row of a table: its props but the error, and which of the model's errors is its own. */
export type FieldRow = Omit<FieldProps, "error"> & { errorKey: keyof FieldErrors };
