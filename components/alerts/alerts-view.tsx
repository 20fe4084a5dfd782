/**
 * The alerts screen, opened from the panel header: the alert sound, the
 * alerts waiting for acknowledgement, and the rules editor (list, add, edit,
 * delete with confirmation, enable switch). Escape or Back returns to the list.
 */
import "./alerts.css";
import { useEffect, useRef, useState } from "preact/hooks";
import { ACTION_LABEL, describeCondition, type Rule } from "@/utils/alerts/rule-schema";
import type { RulesModel } from "@/utils/alerts/rules-model";
import type { Panel } from "@/utils/panel";
import { AckAlertButton, OpenAlertSession } from "./alert-actions";
import { RuleForm } from "./rule-form";
import { SoundControls } from "./sound-controls";

const ACTIVE_SHOWN = 20;

type Editing =
  | { kind: "none" }
  | { kind: "new" }
  | { kind: "edit"; id: string }
  | { kind: "delete"; id: string };

export function AlertsView({
  panel,
  rules,
  onBack,
}: {
  panel: Pick<Panel, "alerts" | "list" | "conversation">;
  rules: RulesModel;
  onBack(): void;
}) {
  const [editing, setEditing] = useState<Editing>({ kind: "none" });
  const back = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLElement>(null);
  useEffect(() => back.current?.focus(), []);
  const list = rules.rules.value;
  const status = rules.status.value;
  const active = panel.alerts.alerts.value;
  const focusRule = (id?: string) =>
    setTimeout(() =>
      (id
        ? root.current?.querySelector<HTMLElement>(`[data-rule-id="${CSS.escape(id)}"] .al-edit`)
        : root.current?.querySelector<HTMLElement>(".al-add")
      )?.focus(),
    );

  const row = (r: Rule) => {
    if (editing.kind === "edit" && editing.id === r.id)
      return (
        <RuleForm
          initial={r}
          onSave={(rule) => rules.save(rule)}
          onCancel={() => {
            setEditing({ kind: "none" });
            focusRule(r.id);
          }}
        />
      );
    return (
      <>
        <label class="al-switch">
          <input
            type="checkbox"
            role="switch"
            checked={r.enabled}
            aria-checked={r.enabled}
            aria-label={`Rule ${r.name} enabled`}
            onChange={(e) => void rules.setEnabled(r.id, e.currentTarget.checked)}
          />
          <span aria-hidden="true">{r.enabled ? "On" : "Off"}</span>
        </label>
        <div class="al-rule-text">
          <strong class="al-rule-name">{r.name}</strong>
          <span class="al-rule-desc">
            {describeCondition(r.condition)} → {r.actions.map((a) => ACTION_LABEL[a]).join(", ")}
            {r.repeat_until_ack ? " (sound repeats until acknowledged)" : ""}
          </span>
        </div>
        {editing.kind === "delete" && editing.id === r.id ? (
          <span class="al-confirm">
            <button
              type="button"
              class="al-button al-danger"
              ref={(el) => el?.focus()}
              onClick={async () => {
                await rules.remove(r.id);
                setEditing({ kind: "none" });
                focusRule();
              }}
            >
              Delete
            </button>
            <button
              type="button"
              class="al-button"
              onClick={() => {
                setEditing({ kind: "none" });
                focusRule(r.id);
              }}
            >
              Keep
            </button>
          </span>
        ) : (
          <span class="al-rule-actions">
            <button
              type="button"
              class="al-button al-edit"
              aria-label={`Edit rule ${r.name}`}
              onClick={() => setEditing({ kind: "edit", id: r.id })}
            >
              Edit
            </button>
            <button
              type="button"
              class="al-button al-delete"
              aria-label={`Delete rule ${r.name}`}
              onClick={() => setEditing({ kind: "delete", id: r.id })}
            >
              Delete
            </button>
          </span>
        )}
      </>
    );
  };

  return (
    <section
      ref={root}
      class="alerts-view"
      aria-labelledby="alerts-view-title"
      onKeyDown={(e) => {
        if (e.key === "Escape" && editing.kind === "none") {
          e.preventDefault();
          onBack();
        }
      }}
    >
      <div class="al-top">
        <button
          ref={back}
          type="button"
          class="al-button al-back"
          onClick={onBack}
          aria-label="Back to sessions"
        >
          ← Back
        </button>
        <h2 id="alerts-view-title" class="al-title">
          Alert rules
        </h2>
      </div>
      <div class="al-scroll">
        <SoundControls panel={panel} />
        <section class="al-active" aria-label="Active alerts">
          <h3 class="al-h">Waiting for acknowledgement</h3>
          {active.length === 0 ? (
            <p class="al-muted">No alerts.</p>
          ) : (
            <>
              <ul class="al-active-list">
                {active
                  .slice(-ACTIVE_SHOWN)
                  .reverse()
                  .map((a) => {
                    const s = a.session_id ? panel.list.session(a.session_id)?.peek() : undefined;
                    return (
                      <li key={a.id} class="al-active-item" data-alert-id={a.id}>
                        <span class="al-rule-text">
                          <strong>Rule ‘{a.rule_name}’</strong>
                          <span class="al-rule-desc">
                            {a.why}
                            {s ? ` — ${s.user.name ?? s.user.id}` : ""}
                          </span>
                        </span>
                        {a.session_id && s && (
                          <OpenAlertSession
                            panel={panel}
                            sessionId={a.session_id}
                            buttonClass="al-button"
                            onOpened={onBack}
                          />
                        )}
                        <AckAlertButton panel={panel} alert={a} />
                      </li>
                    );
                  })}
              </ul>
              <div class="al-row">
                <span>
                  {active.length} alert{active.length === 1 ? "" : "s"}
                  {active.length > ACTIVE_SHOWN ? ` (newest ${ACTIVE_SHOWN} shown)` : ""}
                </span>
                <button
                  type="button"
                  class="al-button al-ack-all"
                  onClick={() => panel.alerts.ack({ all: true })}
                >
                  Acknowledge all
                </button>
              </div>
            </>
          )}
        </section>
        <section class="al-rules-section" aria-label="Rules">
          <h3 class="al-h">Rules</h3>
          {status === "loading" && <p class="al-muted">Loading rules…</p>}
          {status === "signed_out" && (
            <p class="al-muted">Rules appear once the gateway has signed you in.</p>
          )}
          {rules.error.value && (
            <p class="al-error" role="alert">
              {rules.error.value}
            </p>
          )}
          {rules.problems.value.map((p) => (
            <p key={p.id ?? p.message} class="al-error">
              {p.message}{" "}
              {p.id && (
                <button type="button" class="al-button" onClick={() => p.id && void rules.remove(p.id)}>
                  Delete it
                </button>
              )}
            </p>
          ))}
          {rules.notice.value && (
            <p class="al-error" role="alert">
              {rules.notice.value}
            </p>
          )}
          {status === "ready" && list.length === 0 && editing.kind !== "new" && (
            <p class="al-muted">
              No rules yet. Add one: a word a user says, low sentiment, high risk, a slow reply…
            </p>
          )}
          <ul class="al-rules">
            {list.map((r) => (
              <li key={r.id} class={`al-rule${r.enabled ? "" : " al-off"}`} data-rule-id={r.id}>
                {row(r)}
              </li>
            ))}
          </ul>
          {editing.kind === "new" ? (
            <RuleForm
              initial={null}
              onSave={(rule) => rules.save(rule)}
              onCancel={() => {
                setEditing({ kind: "none" });
                focusRule();
              }}
            />
          ) : (
            <button
              type="button"
              class="al-button al-primary al-add"
              disabled={status !== "ready"}
              onClick={() => setEditing({ kind: "new" })}
            >
              Add rule
            </button>
          )}
        </section>
      </div>
    </section>
  );
}
