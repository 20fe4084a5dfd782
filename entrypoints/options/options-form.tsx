import { STEP_TITLE } from "@/utils/connection/test-connection-faults";
import type { NotificationKind } from "@/utils/settings";
import { DisplayFields } from "./display-fields";
import type { OptionsModel } from "./options-model";

const NOTIFY_LABELS: Record<NotificationKind, string> = {
  urgent: "An urgent session starts or is raised to urgent",
  errors: "An agent error (severity error or critical)",
  handoff: "A session is handed off to the human queue",
  connection: "The connection is lost for more than a minute",
  handoffRequest: "The AI asks for a human (hand-off request)",
  queueExpired: "Nobody from the human queue picks a session up in time",
};

export function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} class="field-error" role="alert">
      {text}
    </p>
  ) : null;
}

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
        <label for="gateway-url">Gateway URL</label>
        <input
          id="gateway-url"
          type="url"
          value={model.gatewayUrl.value}
          aria-invalid={errors.gatewayUrl ? true : undefined}
          aria-describedby={errors.gatewayUrl ? "gateway-url-error" : undefined}
          onInput={(e) => {
            model.gatewayUrl.value = e.currentTarget.value;
          }}
        />
        <FieldError id="gateway-url-error" text={errors.gatewayUrl} />

        <label for="token">Token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          value={model.token.value}
          aria-invalid={errors.token ? true : undefined}
          aria-describedby={errors.token ? "token-error" : undefined}
          onInput={(e) => {
            model.token.value = e.currentTarget.value;
          }}
        />
        <FieldError id="token-error" text={errors.token} />

        <label for="poll-interval">Polling interval (seconds)</label>
        <input
          id="poll-interval"
          type="number"
          min={1}
          max={60}
          value={model.pollSeconds.value}
          aria-invalid={errors.pollIntervalMs ? true : undefined}
          onInput={(e) => {
            model.pollSeconds.value = e.currentTarget.value;
          }}
        />
        <FieldError id="poll-interval-error" text={errors.pollIntervalMs} />

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
          <label for="handoff-amber">Amber after (seconds)</label>
          <input
            id="handoff-amber"
            type="number"
            min={1}
            max={3600}
            value={model.handoffAmber.value}
            aria-invalid={errors.handoffAmberSec ? true : undefined}
            aria-describedby={errors.handoffAmberSec ? "handoff-amber-error" : undefined}
            onInput={(e) => {
              model.handoffAmber.value = e.currentTarget.value;
            }}
          />
          <FieldError id="handoff-amber-error" text={errors.handoffAmberSec} />
          <label for="handoff-red">Red after (seconds)</label>
          <input
            id="handoff-red"
            type="number"
            min={1}
            max={7200}
            value={model.handoffRed.value}
            aria-invalid={errors.handoffRedSec ? true : undefined}
            aria-describedby={errors.handoffRedSec ? "handoff-red-error" : undefined}
            onInput={(e) => {
              model.handoffRed.value = e.currentTarget.value;
            }}
          />
          <FieldError id="handoff-red-error" text={errors.handoffRedSec} />
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
