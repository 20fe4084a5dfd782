import { useEffect, useRef, useState } from "preact/hooks";
import type { CannedResult } from "@/utils/canned-replies";
import {
  CANNED_KIND_LABELS,
  CANNED_KINDS,
  CANNED_TEXT_MAX,
  type CannedDraft,
  type CannedFieldErrors,
  type CannedReply,
} from "@/utils/canned-replies";
import { Markdown } from "../markdown";

/**
 * Add or edit one canned reply: title, text, the actions it is for and an
 * optional /shortcut. Each wrong field says why inline (aria-invalid,
 * aria-describedby) and the first wrong one takes the focus.
 */
export function CannedForm({
  initial,
  onSave,
  onCancel,
}: {
  initial: CannedReply | null;
  onSave(draft: CannedDraft): Promise<CannedResult>;
  onCancel(): void;
}) {
  const [title, setTitle] = useState(initial?.title ?? "");
  const [text, setText] = useState(initial?.text ?? "");
  const [kinds, setKinds] = useState<string[]>(initial ? [...initial.kinds] : ["system_message", "override"]);
  const [shortcut, setShortcut] = useState(initial?.shortcut ?? "");
  const [errors, setErrors] = useState<CannedFieldErrors>({});
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector<HTMLElement>("#cr-title")?.focus(), []);
  const p = initial ? `Edit “${initial.title}”` : "New canned reply";

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await onSave({ ...(initial ? { id: initial.id } : {}), title, text, kinds, shortcut });
    setBusy(false);
    if (r.ok) {
      onCancel();
      return;
    }
    setErrors(r.errors);
    const first = (["title", "text", "kinds", "shortcut"] as const).find((f) => r.errors[f]);
    setTimeout(() =>
      form.current
        ?.querySelector<HTMLElement>(first === "kinds" ? "input[name=cr-kind]" : `#cr-${first}`)
        ?.focus(),
    );
  };
  const field = (f: keyof CannedFieldErrors) => ({
    "aria-invalid": errors[f] ? ("true" as const) : undefined,
    "aria-describedby": errors[f] ? `cr-${f}-error` : undefined,
  });
  const err = (f: keyof CannedFieldErrors) =>
    errors[f] ? (
      <p id={`cr-${f}-error`} class="cr-error">
        {errors[f]}
      </p>
    ) : null;

  return (
    <form ref={form} class="cr-form" aria-label={p} onSubmit={submit} noValidate>
      <h3 class="cr-form-title">{p}</h3>
      <label for="cr-title">Title</label>
      <input
        id="cr-title"
        type="text"
        value={title}
        onInput={(e) => setTitle(e.currentTarget.value)}
        {...field("title")}
      />
      {err("title")}
      <label for="cr-text">Text</label>
      <textarea
        id="cr-text"
        rows={4}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        {...field("text")}
      />
      {err("text") ?? (
        <p class="cr-hint">
          {text.length} / {CANNED_TEXT_MAX} characters
        </p>
      )}
      {text.trim() !== "" && (
        <div class="cr-preview">
          <span class="cr-preview-label">Preview</span>
          <Markdown class="cr-preview-body" text={text} mode="markdown" />
        </div>
      )}
      <fieldset class="cr-kinds" {...field("kinds")}>
        <legend>Offered for</legend>
        {CANNED_KINDS.map((k) => (
          <label key={k} class="cr-kind">
            <input
              type="checkbox"
              name="cr-kind"
              value={k}
              checked={kinds.includes(k)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setKinds((ks) => (on ? [...ks, k] : ks.filter((x) => x !== k)));
              }}
            />{" "}
            {CANNED_KIND_LABELS[k]}
          </label>
        ))}
      </fieldset>
      {err("kinds")}
      <label for="cr-shortcut">Shortcut (optional, e.g. /refund)</label>
      <input
        id="cr-shortcut"
        type="text"
        autocomplete="off"
        value={shortcut}
        onInput={(e) => setShortcut(e.currentTarget.value)}
        {...field("shortcut")}
      />
      {err("shortcut")}
      <div class="cr-form-buttons">
        <button type="button" class="al-button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="al-button al-primary cr-save" disabled={busy}>
          Save reply
        </button>
      </div>
    </form>
  );
}
