/**
 * The buttons every place that lists an alert gives it: Acknowledge (which
 * clears the card's highlight and badge count and stops a repeating sound once
 * none is owed) and Open (its session, when the alert has one).
 */
import type { Panel } from "@/utils/panel";
import type { Alert } from "@/utils/panel-messages";

export function AckAlertButton({
  panel,
  alert,
  extraClass,
}: {
  panel: Pick<Panel, "alerts">;
  alert: Alert;
  extraClass?: string;
}) {
  return (
    <button
      type="button"
      class={extraClass ? `al-button al-primary ${extraClass}` : "al-button al-primary"}
      aria-label={`Acknowledge rule ${alert.rule_name}: ${alert.why}`}
      onClick={() => panel.alerts.ack({ alert_ids: [alert.id] })}
    >
      Acknowledge
    </button>
  );
}

export function OpenAlertSession({
  panel,
  sessionId,
  buttonClass,
  onOpened,
}: {
  panel: Pick<Panel, "conversation">;
  sessionId: string;
  buttonClass: string;
  onOpened?(): void;
}) {
  return (
    <button
      type="button"
      class={buttonClass}
      onClick={() => {
        panel.conversation.open(sessionId);
        onOpened?.();
      }}
    >
      Open
    </button>
  );
}
