import { memo } from "preact/compat";
import { useState } from "preact/hooks";
import { formatDuration } from "@/utils/format";
import type { AgentStep, StepKind } from "@/utils/protocol";
import { DisclosureButton } from "../disclosure";

const KIND_LABEL: Record<StepKind, string> = {
  tool_call: "Tool",
  retrieval: "Search",
  reasoning: "Reasoning",
};

/** Untrusted JSON as readable text: pretty-printed, never markup. */
export function jsonText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function summary(steps: readonly AgentStep[]): string {
  const failed = steps.filter((s) => s.status === "error").length;
  const running = steps.filter((s) => s.status === "running").length;
  const parts = [`${steps.length} step${steps.length === 1 ? "" : "s"}`];
  if (failed > 0) parts.push(`${failed} failed`);
  if (running > 0) parts.push(`${running} running`);
  return parts.join(" · ");
}

/**
 * What the agent did for one reply (tool calls, look-ups, reasoning), under
 * that reply: collapsed to one line by default (its failures and running
 * steps counted there), expanded by a button. Inputs and outputs are shown
 * as text in <pre>, so nothing in them is ever markup. Memoised: while a
 * reply streams the conversation re-renders often; unchanged steps (the same
 * array) need not.
 */
export const AgentSteps = memo(AgentStepsBody);

function AgentStepsBody({
  messageId,
  steps,
  open: openProp,
  onToggle,
}: {
  messageId: string;
  steps: readonly AgentStep[];
  /** Controlled: whether expanded (kept by the conversation, so a reply's steps stay open once it is final). */
  open?: boolean;
  onToggle?: (messageId: string, open: boolean) => void;
}) {
  const [openState, setOpenState] = useState(false);
  const open = openProp ?? openState;
  const setOpen = (next: boolean) => {
    setOpenState(next);
    onToggle?.(messageId, next);
  };
  if (steps.length === 0) return null;
  const failed = steps.some((s) => s.status === "error");
  const running = steps.some((s) => s.status === "running");
  const listId = `steps-${messageId}`;
  return (
    <div
      class={`agent-steps${failed ? " has-error" : ""}`}
      data-steps-for={messageId}
      data-open={open ? "true" : "false"}
    >
      <DisclosureButton class="steps-toggle" open={open} controls={listId} onToggle={setOpen}>
        <span class="steps-chevron" aria-hidden="true">
          {open ? "▾" : "▸"}
        </span>
        <span class="steps-summary">{summary(steps)}</span>
        <span class="step-state" aria-hidden="true">
          {running ? <span class="step-spinner" /> : failed ? <span class="step-error-mark">!</span> : null}
        </span>
      </DisclosureButton>
      {open && (
        <ol class="steps-list" id={listId} aria-label="Agent steps">
          {steps.map((s) => (
            <StepItem key={s.step_id} step={s} />
          ))}
        </ol>
      )}
    </div>
  );
}

const STATUS_TEXT = { running: "Running", ok: "OK", error: "Failed" } as const;

function StepItem({ step: s }: { step: AgentStep }) {
  return (
    <li class={`step step-${s.status}`} data-step-id={s.step_id} data-status={s.status}>
      <div class="step-head">
        <span class="step-kind">{KIND_LABEL[s.kind]}</span>
        <code class="step-name">{s.name}</code>
        <span class={`step-status step-status-${s.status}`}>
          {s.status === "running" && <span class="step-spinner" aria-hidden="true" />}
          {STATUS_TEXT[s.status]}
        </span>
        <span class="step-duration">{s.duration_ms !== undefined ? formatDuration(s.duration_ms) : ""}</span>
      </div>
      {s.error && (
        <p class="step-error-text" role="note">
          {s.error}
        </p>
      )}
      {s.input !== undefined && <StepData label="Input" value={s.input} />}
      {s.output !== undefined && <StepData label="Output" value={s.output} />}
    </li>
  );
}

function StepData({ label, value }: { label: string; value: unknown }) {
  return (
    <div class="step-data">
      <span class="step-data-label">{label}</span>
      <pre class="step-json">{jsonText(value)}</pre>
    </div>
  );
}
