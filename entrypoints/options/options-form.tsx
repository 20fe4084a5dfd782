import { STEP_TITLE } from "@/utils/connection/test-connection-faults";
import type { NotificationKind } from "@/utils/settings";
import { DisplayFields } from "./display-fields";
import { Field, type FieldRow } from "./field";
import type { OptionsModel } from "./options-model";

const connectionFields = (model: OptionsModel): FieldRow[] => [
  {
    id: "gateway-url",
    errorKey: "gatewayUrl",
    label: "Gateway URL",
    value: model.gatewayUrl,
    input: { type: "url" },
  },
  {
    id: "token",
    errorKey: "token",
    label: "Token",
    value: model.token,
    input: { type: "password", autocomplete: "off" },
  },
  {
    id: "poll-interval",
    errorKey: "pollIntervalMs",
    label: "Polling interval (seconds)",
    value: model.pollSeconds,
    input: { type: "number", min: 1, max: 60 },
  },
];

const handoffFields = (model: OptionsModel): FieldRow[] => [
  {
    id: "handoff-amber",
    errorKey: "handoffAmberSec",
    label: "Amber after (seconds)",
    value: model.handoffAmber,
    input: { type: "number", min: 1, max: 3600 },
  },
  {
    id: "handoff-red",
    errorKey: "handoffRedSec",
    label: "Red after (seconds)",
    value: model.handoffRed,
    input: { type: "number", min: 1, max: 7200 },
  },
];

const NOTIFY_LABELS: Record<NotificationKind, string> = {
  urgent: "An urgent session starts or is raised to urgent",
  errors: "An agent error (severity error or critical)",
  handoff: "A session is handed off to the human queue",
  connection: "The connection is lost for more than a minute",
  handoffRequest: "The AI asks for a human (hand-off request)",
  queueExpired: "Nobody from the human queue picks a session up in time",
};

export function OptionsForm({ model }: { model: OptionsModel }) {
  const errors = model.touched.value ? model.errors.value : {};
  const result = model.testResult.value;
  return (
    <main aria-label="Live Conversations options">
      <h1>Live Conversations — Options</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void model.save();
        }}
        noValidate
      >
        {connectionFields(model).map((f) => (
          <Field key={f.id} {...f} error={errors[f.errorKey]} />
        ))}

        <fieldset>
          <legend>Desktop notifications</legend>
          <label>
            <input
              type="checkbox"
              checked={model.notifications.value}
              onChange={(e) => {
                model.notifications.value = e.currentTarget.checked;
              }}
            />
            Show desktop notifications
          </label>
          {(Object.keys(NOTIFY_LABELS) as NotificationKind[]).map((kind) => (
            <label key={kind}>
              <input
                type="checkbox"
                disabled={!model.notifications.value}
                checked={model.notify.value[kind]}
                onChange={(e) => {
                  model.notify.value = { ...model.notify.value, [kind]: e.currentTarget.checked };
                }}
              />
              {NOTIFY_LABELS[kind]}
            </label>
          ))}
        </fieldset>

        <fieldset>
          <legend>Waiting for a human: timer colours</legend>
          <p class="hint">
            For a hand-off request and for a transfer to the human queue. How long the queue waits before it
            gives up is the gateway's setting (<code>--human-queue-timeout-ms</code>, 5 minutes by default).
          </p>
          {handoffFields(model).map((f) => (
            <Field key={f.id} {...f} error={errors[f.errorKey]} />
          ))}
        </fieldset>

        <DisplayFields model={model} />

        <div class="actions">
          <button type="submit">Save</button>
          <button type="button" disabled={model.testing.value} onClick={() => void model.test()}>
            {model.testing.value ? "Testing…" : "Test connection"}
          </button>
        </div>
      </form>
      <p role="status" class={model.status.value?.kind ?? ""}>
        {model.status.value?.text ?? ""}
      </p>
      <p role="status" aria-label="Connection test result" class={result ? (result.ok ? "ok" : "error") : ""}>
        {result ? (
          result.ok ? (
            result.message
          ) : (
            <>
              <strong>{STEP_TITLE[result.step]}:</strong> {result.message}{" "}
              <span class="fix">Fix: {result.fix}</span>
            </>
          )
        ) : (
          ""
        )}
      </p>
    </main>
  );
}
