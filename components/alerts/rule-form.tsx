/**
 * `<RuleForm initial={rule | null} onSave onCancel />`: add or edit one alert
 * rule. Fields follow the condition type; every field is validated with the
 * rule schema and its error shown inline (aria-invalid + aria-describedby)
 * once the user tried to save. Escape cancels.
 */
import { useEffect, useId, useRef, useState } from "preact/hooks";
import {
  ACTION_LABEL,
  ALERT_ACTIONS,
  type AlertAction,
  CONDITION_LABEL,
  CONDITION_TYPES,
  type ConditionType,
  PHRASE_MAX,
  RULE_NAME_MAX,
  type Rule,
  ruleErrors,
} from "@/utils/alerts/rule-schema";

interface Draft {
  id: string;
  name: string;
  enabled: boolean;
  type: ConditionType;
  phrases: string;
  threshold: string;
  ms: string;
  usd: string;
  actions: AlertAction[];
  repeat: boolean;
}

const DEFAULT_THRESHOLD: Partial<Record<ConditionType, string>> = {
  sentiment_below: "-0.5",
  risk_above: "70",
};

/** Risk is typed and read in percent (stored as the protocol's 0…1 score). */
const riskPercent = (score: number) => String(Number((score * 100).toFixed(1)));

function draftOf(rule: Rule | null, newId: () => string): Draft {
  const c = rule?.condition;
  return {
    id: rule?.id ?? newId(),
    name: rule?.name ?? "",
    enabled: rule?.enabled ?? true,
    type: c?.type ?? "keyword",
    phrases: c?.type === "keyword" ? c.phrases.join("\n") : "",
    threshold:
      c?.type === "sentiment_below"
        ? String(c.threshold)
        : c?.type === "risk_above"
          ? riskPercent(c.threshold)
          : "",
    ms: c?.type === "latency_above" ? String(c.ms) : "5000",
    usd: c?.type === "cost_above" ? String(c.usd) : "1",
    actions: rule ? [...rule.actions] : ["toast", "highlight"],
    repeat: rule?.repeat_until_ack ?? false,
  };
}

const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

/** The draft as a rule-shaped value, for the schema to judge. */
function candidate(d: Draft): unknown {
  const condition =
    d.type === "keyword"
      ? { type: d.type, phrases: d.phrases.split(/[\n,]/).filter((p) => p.trim() !== "") }
      : d.type === "sentiment_below" || d.type === "risk_above"
        ? {
            type: d.type,
            threshold:
              num(d.threshold || (DEFAULT_THRESHOLD[d.type] ?? "")) / (d.type === "risk_above" ? 100 : 1),
          }
        : d.type === "latency_above"
          ? { type: d.type, ms: num(d.ms) }
          : d.type === "cost_above"
            ? { type: d.type, usd: num(d.usd) }
            : { type: d.type };
  const repeat = d.repeat && d.actions.includes("sound");
  return {
    id: d.id,
    name: d.name,
    enabled: d.enabled,
    condition,
    actions: d.actions,
    ...(repeat ? { repeat_until_ack: true } : {}),
  };
}

export interface RuleFormProps {
  initial: Rule | null;
  onSave(rule: Rule): Promise<boolean>;
  onCancel(): void;
  newId?: () => string;
}

export function RuleForm({
  initial,
  onSave,
  onCancel,
  newId = () => `rule_${crypto.randomUUID()}`,
}: RuleFormProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial, newId));
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const errors = tried ? ruleErrors(candidate(draft)) : {};
  const conditionError =
    errors["condition.phrases"] ??
    errors["condition.threshold"] ??
    errors["condition.ms"] ??
    errors["condition.usd"] ??
    errors.condition;
  const errId = (k: string) => `${uid}-${k}-error`;
  const threshold = draft.threshold || (DEFAULT_THRESHOLD[draft.type] ?? "");

  const field = (key: "threshold" | "ms" | "usd", label: string, step: string, value: string) => (
    <label class="al-field">
      <span>{label}</span>
      <input
        type="number"
        step={step}
        inputMode="decimal"
        value={value}
        aria-invalid={conditionError ? true : undefined}
        aria-describedby={conditionError ? errId("condition") : undefined}
        onInput={(e) => set({ [key]: e.currentTarget.value } as Partial<Draft>)}
      />
    </label>
  );

  return (
    <form
      class="al-form"
      aria-label={initial ? `Edit rule ${initial.name}` : "New alert rule"}
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setTried(true);
        const value = candidate(draft);
        if (Object.keys(ruleErrors(value)).length > 0) return;
        setBusy(true);
        const ok = await onSave(value as Rule);
        setBusy(false);
        if (ok) onCancel();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <label class="al-field">
        <span>Name</span>
        <input
          ref={nameRef}
          class="al-name"
          value={draft.name}
          maxLength={RULE_NAME_MAX}
          placeholder="e.g. Lawyer"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={errors.name ? errId("name") : undefined}
          onInput={(e) => set({ name: e.currentTarget.value })}
        />
      </label>
      {errors.name && (
        <p class="al-error" id={errId("name")}>
          {errors.name}
        </p>
      )}
      <label class="al-field">
        <span>When</span>
        <select
          class="al-type"
          value={draft.type}
          onChange={(e) => set({ type: e.currentTarget.value as ConditionType, threshold: "" })}
        >
          {CONDITION_TYPES.map((t) => (
            <option key={t} value={t}>
              {CONDITION_LABEL[t]}
            </option>
          ))}
        </select>
      </label>
      {draft.type === "keyword" && (
        <label class="al-field al-field-wide">
          <span>Words or phrases (one per line or comma-separated)</span>
          <textarea
            class="al-phrases"
            rows={3}
            value={draft.phrases}
            placeholder={"lawyer\ncancel my account"}
            maxLength={PHRASE_MAX * 50}
            aria-invalid={conditionError ? true : undefined}
            aria-describedby={conditionError ? errId("condition") : undefined}
            onInput={(e) => set({ phrases: e.currentTarget.value })}
          />
        </label>
      )}
      {draft.type === "sentiment_below" && field("threshold", "Sentiment (−1 … 1)", "0.05", threshold)}
      {draft.type === "risk_above" && field("threshold", "Risk above (%, 0 … 100)", "1", threshold)}
      {draft.type === "latency_above" && field("ms", "Milliseconds", "100", draft.ms)}
      {draft.type === "cost_above" && field("usd", "Dollars", "0.01", draft.usd)}
      {conditionError && (
        <p class="al-error" id={errId("condition")}>
          {conditionError}
        </p>
      )}
      <fieldset
        class="al-actions"
        aria-invalid={errors.actions ? true : undefined}
        aria-describedby={errors.actions ? errId("actions") : undefined}
      >
        <legend>Then</legend>
        {ALERT_ACTIONS.map((a) => (
          <label key={a} class="al-check">
            <input
              type="checkbox"
              name={`action-${a}`}
              checked={draft.actions.includes(a)}
              onChange={(e) =>
                set({
                  actions: e.currentTarget.checked
                    ? ALERT_ACTIONS.filter((x) => x === a || draft.actions.includes(x))
                    : draft.actions.filter((x) => x !== a),
                })
              }
            />
            {ACTION_LABEL[a]}
          </label>
        ))}
        <label class="al-check">
          <input
            type="checkbox"
            name="repeat"
            checked={draft.repeat && draft.actions.includes("sound")}
            disabled={!draft.actions.includes("sound")}
            onChange={(e) => set({ repeat: e.currentTarget.checked })}
          />
          Repeat the sound until acknowledged
        </label>
      </fieldset>
      {errors.actions && (
        <p class="al-error" id={errId("actions")}>
          {errors.actions}
        </p>
      )}
      <div class="al-row">
        <button type="submit" class="al-button al-primary" disabled={busy}>
          {initial ? "Save rule" : "Add rule"}
        </button>
        <button type="button" class="al-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
