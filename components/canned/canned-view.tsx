/**
 * The canned-replies screen, opened from the Canned replies (edit icon) button in the panel header: the
 * user's replies (title, shortcut, the actions they are for) with Edit and
 * Delete (confirmed), and Add. Escape or Back returns to the list.
 */
import "./canned.css";
import { useEffect, useRef, useState } from "preact/hooks";
import { CANNED_KIND_LABELS, type CannedModel, type CannedReply } from "@/utils/canned-replies";
import { Markdown } from "../markdown";
import { CannedForm } from "./canned-form";

type Editing =
  | { kind: "none" }
  | { kind: "new" }
  | { kind: "edit"; id: string }
  | { kind: "delete"; id: string };

export function CannedView({ canned, onBack }: { canned: CannedModel; onBack(): void }) {
  const [editing, setEditing] = useState<Editing>({ kind: "none" });
  const back = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLElement>(null);
  useEffect(() => back.current?.focus(), []);
  const replies = canned.replies.value;
  const status = canned.status.value;
  const focusRow = (id?: string) =>
    setTimeout(() =>
      (id
        ? root.current?.querySelector<HTMLElement>(`[data-reply-id="${CSS.escape(id)}"] .cr-edit`)
        : root.current?.querySelector<HTMLElement>(".cr-add")
      )?.focus(),
    );
  const done = (id?: string) => {
    setEditing({ kind: "none" });
    focusRow(id);
  };

  const row = (r: CannedReply) => {
    if (editing.kind === "edit" && editing.id === r.id)
      return (
        <CannedForm initial={r} onSave={(d) => canned.edit({ ...d, id: r.id })} onCancel={() => done(r.id)} />
      );
    return (
      <>
        <div class="cr-row-main">
          <span class="cr-row-title">{r.title}</span>
          {r.shortcut && <span class="cr-option-shortcut">{r.shortcut}</span>}
          <span class="cr-row-kinds">{r.kinds.map((k) => CANNED_KIND_LABELS[k]).join(", ")}</span>
          <Markdown class="cr-row-text" text={r.text} mode="markdown" />
        </div>
        {editing.kind === "delete" && editing.id === r.id ? (
          <div class="cr-confirm">
            <span>Delete “{r.title}”?</span>
            <button
              type="button"
              class="al-button al-danger cr-confirm-delete"
              onClick={async () => {
                await canned.remove(r.id);
                done();
              }}
            >
              Delete
            </button>
            <button type="button" class="al-button" onClick={() => done(r.id)}>
              Keep
            </button>
          </div>
        ) : (
          <div class="cr-row-buttons">
            <button
              type="button"
              class="al-button cr-edit"
              aria-label={`Edit “${r.title}”`}
              onClick={() => setEditing({ kind: "edit", id: r.id })}
            >
              Edit
            </button>
            <button
              type="button"
              class="al-button cr-delete"
              aria-label={`Delete “${r.title}”`}
              onClick={() => {
                setEditing({ kind: "delete", id: r.id });
                setTimeout(() =>
                  root.current
                    ?.querySelector<HTMLElement>(`[data-reply-id="${CSS.escape(r.id)}"] .cr-confirm-delete`)
                    ?.focus(),
                );
              }}
            >
              Delete
            </button>
          </div>
        )}
      </>
    );
  };

  return (
    <section
      ref={root}
      class="alerts-view canned-view"
      aria-labelledby="cr-view-title"
      onKeyDown={(e) => {
        if (e.key !== "Escape") return;
        e.preventDefault();
        if (editing.kind !== "none") done(editing.kind === "new" ? undefined : editing.id);
        else onBack();
      }}
    >
      <div class="al-top">
        <button ref={back} type="button" class="al-button" onClick={onBack}>
          ← Back
        </button>
        <h2 id="cr-view-title" class="al-title">
          Canned replies
        </h2>
      </div>
      <div class="al-scroll">
        <p class="al-muted">
          Saved texts for system messages, overrides, whispers and take-over replies. In those fields press
          Alt+R, type / in the empty field, or type a shortcut such as /refund and press Tab or Enter. Stored
          in this browser for your user only.
        </p>
        {status === "loading" && <p class="al-muted">Loading…</p>}
        {canned.error.value && (
          <p class="al-error" role="alert">
            {canned.error.value}
          </p>
        )}
        {canned.notice.value && (
          <p class="al-error" role="alert">
            {canned.notice.value}
          </p>
        )}
        {canned.problems.value.map((p) => (
          <p key={p.id ?? p.message} class="al-error cr-problem" role="status">
            {p.message}{" "}
            {p.id && (
              <button type="button" class="al-button" onClick={() => p.id && canned.remove(p.id)}>
                Remove it
              </button>
            )}
          </p>
        ))}
        <ul class="cr-rows" aria-label="Your canned replies">
          {replies.map((r) => (
            <li key={r.id} class="cr-row" data-reply-id={r.id}>
              {row(r)}
            </li>
          ))}
        </ul>
        {status === "ready" && replies.length === 0 && <p class="al-muted">No canned replies yet.</p>}
        {editing.kind === "new" ? (
          <CannedForm initial={null} onSave={(d) => canned.add(d)} onCancel={() => done()} />
        ) : (
          <button
            type="button"
            class="al-button al-primary cr-add"
            disabled={status !== "ready"}
            onClick={() => setEditing({ kind: "new" })}
          >
            Add canned reply
          </button>
        )}
      </div>
    </section>
  );
}
