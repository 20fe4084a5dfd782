/**
 * Alerts whose rule chose a toast stay at the bottom of the panel until
 * acknowledged: "Rule ‘Lawyer’ — user said “lawyer”", the session, Open and
 * Acknowledge (which also stops a repeating sound).
 */
import type { Panel } from "@/utils/panel";
import { AckAlertButton, OpenAlertSession } from "./alert-actions";

const SHOWN = 3;

export function AlertToasts({ panel }: { panel: Pick<Panel, "alerts" | "list" | "conversation"> }) {
  const list = panel.alerts.alertToasts.value;
  if (list.length === 0) return null;
  const shown = list.slice(-SHOWN);
  return (
    <section class="alert-toasts" aria-label="Alerts">
      {list.length > SHOWN && (
        <div class="alert-toast-more">
          {list.length - SHOWN} more alerts
          <button type="button" class="al-button" onClick={() => panel.alerts.ack({ all: true })}>
            Acknowledge all
          </button>
        </div>
      )}
      {shown.map((a) => {
        const s = a.session_id ? panel.list.session(a.session_id)?.peek() : undefined;
        const who = s ? (s.user.name ?? s.user.id) : a.session_id;
        return (
          <div key={a.id} class="alert-toast" role="alert" data-alert-id={a.id} data-rule-id={a.rule_id}>
            <div class="toast-text">
              <strong class="toast-title">
                Rule ‘{a.rule_name}’ — {a.why}
              </strong>
              {who && <span class="toast-body">{who}</span>}
            </div>
            {a.session_id && (
              <OpenAlertSession panel={panel} sessionId={a.session_id} buttonClass="toast-open" />
            )}
            <AckAlertButton panel={panel} alert={a} extraClass="alert-ack" />
          </div>
        );
      })}
    </section>
  );
}
