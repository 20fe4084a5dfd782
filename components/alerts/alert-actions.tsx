/**
 * The buttons every place that lists an alert gives it: Acknowledge (which
 * clears the card's highlight and badge count and stops a repeating sound once
 * none is owed) and Open (its session, when the alert has one).
 */
import type { PanelModel } from "@/utils/panel";
import type { Alert } from "@/utils/panel-messages";

export function AckAlertButton({
  model,
  alert,
  extraClass,
}: {
  model: PanelModel;
  alert: Alert;
  extraClass?: string;
}) {
  return (
    <button
      type="button"
      class={extraClass ? `al-button al-primary ${extraClass}` : "al-button al-primary"}
      aria-label={`Acknowledge rule ${alert.rule_name}: ${alert.why}`}
      onClick={() => model.ackAlerts({ alert_ids: [alert.id] })}
    >
      Acknowledge
    </button>
  );
}

export function OpenAlertSession({
  model,
  sessionId,
  buttonClass,
  onOpened,
}: {
  model: PanelModel;
  sessionId: string;
  buttonClass: string;
  onOpened?(): void;
}) {
  return (
    <button
      type="button"
      class={buttonClass}
      onClick={() => {
        model.open(sessionId);
        onOpened?.();
      }}
    >
      Open
    </button>
  );
}
