/**
 * The alerts of one session, above its transcript: each names the rule and
 * why, with Acknowledge (which clears the card's highlight and badge count,
 * and stops a repeating sound once none is owed).
 */
import "./alerts.css";
import type { Panel } from "@/utils/panel";
import { Icon } from "../icons";
import { AckAlertButton } from "./alert-actions";

export function SessionAlerts({ panel, sessionId }: { panel: Pick<Panel, "alerts">; sessionId: string }) {
  const mine = panel.alerts.alerts.value.filter((a) => a.session_id === sessionId);
  if (mine.length === 0) return null;
  return (
    <ul class="session-alerts" aria-label="Alerts for this session">
      {mine.map((a) => (
        <li key={a.id} class="session-alert" data-alert-id={a.id}>
          <span class="session-alert-text">
            <Icon name="flag" size={12} /> Rule ‘{a.rule_name}’ — {a.why}
          </span>
          <AckAlertButton panel={panel} alert={a} />
        </li>
      ))}
    </ul>
  );
}
