import type { ReadonlySignal } from "@preact/signals";
import { useSignal } from "@preact/signals";
import type { InterventionModel } from "@/utils/interventions";
import type { DraftReady } from "@/utils/protocol";
import { Elapsed } from "../elapsed";

/**
 * Review mode (issue 12) in the transcript: each draft the agent wrote and the
 * user has not seen, marked "Awaiting approval" with how long it has waited,
 * and — for supervisors — Approve, Edit (a textarea prefilled with the draft, and
 * the reason for the edit, audited as "Edit draft") and Reject (with the reason
 * the agent is told). Text is rendered as plain text.
 */
export function DraftList({
  drafts,
  model,
  now,
}: {
  drafts: readonly DraftReady[];
  model: InterventionModel;
  now: ReadonlySignal<number>;
}) {
  if (drafts.length === 0) return null;
  return (
    <ul class="drafts" aria-label="Drafts awaiting approval">
      {drafts.map((d) => (
        <DraftItem key={d.draft_id} draft={d} model={model} now={now} />
      ))}
    </ul>
  );
}

type Mode = "view" | "edit" | "reject";

function DraftItem({
  draft,
  model,
  now,
}: {
  draft: DraftReady;
  model: InterventionModel;
  now: ReadonlySignal<number>;
}) {
  const mode = useSignal<Mode>("view");
  const text = useSignal(draft.text);
  const reason = useSignal("");
  const error = useSignal<string | null>(null);
  const allowed = model.permission.value === "allowed";
  const labelId = `draft-label-${draft.draft_id}`;
  const send = (action: "approve_draft" | "reject_draft", opts: { reason?: string; text?: string }) => {
    const used = model.resolveDraft(action, draft.draft_id, opts);
    if (used === null)
      error.value =
        action === "reject_draft"
          ? "Give the reason (3–500 characters)."
          : opts.text?.trim() === ""
            ? "The edited reply must not be empty."
            : "Give the reason for the edit (3–500 characters).";
    else error.value = null;
  };
  return (
    <li class="draft" data-draft-id={draft.draft_id} aria-labelledby={labelId}>
      <p class="draft-head">
        <span id={labelId} class="draft-label">
          Awaiting approval
        </span>{" "}
        <span class="draft-wait">
          waiting <Elapsed since={draft.created_at} now={now} />
        </span>
      </p>
      {mode.value === "edit" ? (
        <textarea
          class="draft-edit"
          aria-label="Edited reply"
          rows={3}
          value={text.value}
          onInput={(e) => {
            text.value = e.currentTarget.value;
          }}
          onKeyDown={(e) => e.stopPropagation()}
        />
      ) : (
        <p class="draft-text">{draft.text}</p>
      )}
      {mode.value !== "view" && (
        <input
          class="draft-reason"
          type="text"
          aria-label={mode.value === "edit" ? "Why edit it (audited)" : "Why reject it (the agent is told)"}
          placeholder={mode.value === "edit" ? "Why edit it (audited)" : "Why reject it (the agent is told)"}
          value={reason.value}
          onInput={(e) => {
            reason.value = e.currentTarget.value;
          }}
          onKeyDown={(e) => e.stopPropagation()}
        />
      )}
      {error.value && (
        <p class="iv-field-error" role="alert">
          {error.value}
        </p>
      )}
      {allowed && (
        <div class="draft-actions">
          {mode.value === "view" && (
            <>
              <button
                type="button"
                class="iv-button iv-button-primary"
                onClick={() => send("approve_draft", {})}
              >
                Approve
              </button>
              <button type="button" class="iv-button" onClick={() => (mode.value = "edit")}>
                Edit
              </button>
              <button type="button" class="iv-button" onClick={() => (mode.value = "reject")}>
                Reject
              </button>
            </>
          )}
          {mode.value === "edit" && (
            <button
              type="button"
              class="iv-button iv-button-primary"
              onClick={() => send("approve_draft", { text: text.value, reason: reason.value })}
            >
              Send edited reply
            </button>
          )}
          {mode.value === "reject" && (
            <button
              type="button"
              class="iv-button iv-button-primary"
              onClick={() => send("reject_draft", { reason: reason.value })}
            >
              Reject draft
            </button>
          )}
          {mode.value !== "view" && (
            <button
              type="button"
              class="iv-button"
              onClick={() => {
                mode.value = "view";
                error.value = null;
              }}
            >
              Cancel
            </button>
          )}
        </div>
      )}
    </li>
  );
}
