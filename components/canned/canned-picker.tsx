import { useEffect, useRef, useState } from "preact/hooks";
import { type CannedReply, filterReplies } from "@/utils/canned-replies";

/**
 * The canned-reply picker: a filter box (combobox) over a listbox of the
 * replies allowed for the field. Typing filters; ArrowUp/ArrowDown, Home and
 * End move; Enter inserts the active reply; Escape closes. Keys never reach
 * the dialog around it, so Enter here never sends the intervention.
 */
export function CannedPicker({
  replies,
  label,
  onInsert,
  onClose,
  onManage,
}: {
  replies: readonly CannedReply[];
  /** What the list is for, e.g. "Canned replies for Override". */
  label: string;
  onInsert(reply: CannedReply): void;
  onClose(): void;
  /** Opens the canned-replies screen ("Manage…"). */
  onManage?: () => void;
}) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const shown = filterReplies(replies, query);
  const at = Math.min(active, Math.max(shown.length - 1, 0));
  const current = shown[at];

  useEffect(() => {
    if (current)
      document.getElementById(optionId("cr-list", current))?.scrollIntoView?.({ block: "nearest" });
  }, [current?.id]);

  const onKeyDown = (e: KeyboardEvent) => {
    const n = shown.length;
    if (e.key === "Escape") {
      e.preventDefault();
      onClose();
    } else if (e.key === "ArrowDown" && n > 0) {
      e.preventDefault();
      setActive((at + 1) % n);
    } else if (e.key === "ArrowUp" && n > 0) {
      e.preventDefault();
      setActive((at - 1 + n) % n);
    } else if (e.key === "Home" && n > 0 && !e.shiftKey) {
      e.preventDefault();
      setActive(0);
    } else if (e.key === "End" && n > 0 && !e.shiftKey) {
      e.preventDefault();
      setActive(n - 1);
    } else if (e.key === "Enter" && !e.isComposing) {
      e.preventDefault();
      if (current) onInsert(current);
    } else if (e.key === "Tab") {
      return; // the dialog keeps the focus inside it
    }
    e.stopPropagation();
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere in the picker closes only the picker
    <div
      class="cr-picker"
      onKeyDown={(e) => {
        if (e.key !== "Escape") return;
        e.preventDefault();
        e.stopPropagation();
        onClose();
      }}
    >
      <label class="cr-picker-label" for="cr-filter">
        {label}
      </label>
      <input
        ref={input}
        id="cr-filter"
        class="cr-filter"
        type="text"
        role="combobox"
        autocomplete="off"
        placeholder="Type to filter…"
        aria-expanded="true"
        aria-controls="cr-list"
        aria-autocomplete="list"
        aria-activedescendant={current ? optionId("cr-list", current) : undefined}
        value={query}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <CannedOptions id="cr-list" label={label} replies={shown} active={at} onPick={onInsert} />
      {shown.length === 0 && (
        <p class="cr-empty" role="status">
          {replies.length === 0
            ? "No canned reply is allowed here yet; add one under “Manage canned replies…” or the Canned replies button in the panel header."
            : "No canned reply matches."}
        </p>
      )}
      {onManage && (
        <button type="button" class="iv-link cr-manage" onClick={onManage}>
          Manage canned replies…
        </button>
      )}
    </div>
  );
}

export const optionId = (list: string, r: CannedReply) => `${list}-${r.id.replace(/[^a-zA-Z0-9_-]/g, "_")}`;

/** The listbox of replies; the keyboard stays in the field that owns it (aria-activedescendant). */
export function CannedOptions({
  id,
  label,
  replies,
  active,
  onPick,
}: {
  id: string;
  label: string;
  replies: readonly CannedReply[];
  active: number;
  onPick(reply: CannedReply): void;
}) {
  return (
    <div id={id} class="cr-list" role="listbox" aria-label={label}>
      {replies.map((r, i) => (
        // biome-ignore lint/a11y/useKeyWithClickEvents: the owning field handles the keyboard (aria-activedescendant)
        <div
          key={r.id}
          tabIndex={-1}
          id={optionId(id, r)}
          role="option"
          class="cr-option"
          aria-selected={i === active ? "true" : "false"}
          data-reply-id={r.id}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(r)}
        >
          <span class="cr-option-title">{r.title}</span>
          {r.shortcut && <span class="cr-option-shortcut">{r.shortcut}</span>}
          <span class="cr-option-text">{r.text}</span>
        </div>
      ))}
    </div>
  );
}
