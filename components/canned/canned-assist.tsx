import "./canned.css";
import type { Signal } from "@preact/signals";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import {
  CANNED_KIND_LABELS,
  type CannedKind,
  type CannedReply,
  insertText,
  matchShortcut,
} from "@/utils/canned-replies";
import { CannedContext } from "./canned-context";
import { CannedPicker } from "./canned-picker";

/**
 * Canned replies for one compose field (the text area `inputId`, whose text is
 * `field`): a "Canned replies" button (Alt+R in the field) opening the picker,
 * `/` typed into an empty field opening it too, and `/shortcut` + Tab or Enter
 * replacing the shortcut with the reply's text. Inserting never sends: the
 * keys it uses are stopped before the dialog or compose box sees them.
 * Renders nothing without a canned-replies model in context.
 */
export function CannedAssist({
  kind,
  field,
  inputId,
}: {
  kind: CannedKind;
  field: Signal<string>;
  inputId: string;
}) {
  const canned = useContext(CannedContext);
  const [open, setOpen] = useState(false);
  /** The `/` that opened the picker, replaced by the reply. */
  const slash = useRef<{ from: number; to: number } | null>(null);
  const replies = canned ? canned.forKind(kind) : [];
  const latest = useRef(replies);
  latest.current = replies;

  const textarea = () => {
    const el = document.getElementById(inputId);
    return el instanceof HTMLTextAreaElement ? el : null;
  };
  const put = (from: number, to: number, text: string) => {
    const el = textarea();
    const next = insertText(field.peek(), from, to, text);
    field.value = next.value;
    if (el) {
      el.value = next.value;
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    }
  };

  useEffect(() => {
    const el = textarea();
    const host = el?.parentElement;
    if (!el || !host || !canned) return;
    // Capture on the field's parent: runs before the field's own handlers (Enter sends there).
    const onKey = (e: KeyboardEvent) => {
      if (e.target !== el || e.isComposing) return;
      if (e.code === "KeyR" && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
        e.preventDefault();
        e.stopPropagation();
        slash.current = null;
        setOpen(true);
        return;
      }
      if ((e.key === "Tab" || e.key === "Enter") && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
        const m = matchShortcut(
          { value: el.value, start: el.selectionStart, end: el.selectionEnd },
          latest.current,
          kind,
        );
        if (!m) return;
        e.preventDefault();
        e.stopPropagation();
        put(m.from, el.selectionStart, m.reply.text);
      }
    };
    const onInput = (e: Event) => {
      if (e.target !== el) return;
      if (el.value === "/" && el.selectionStart === 1) {
        slash.current = { from: 0, to: 1 };
        setOpen(true);
      }
    };
    host.addEventListener("keydown", onKey, true);
    host.addEventListener("input", onInput, true);
    return () => {
      host.removeEventListener("keydown", onKey, true);
      host.removeEventListener("input", onInput, true);
    };
  }, [canned, inputId, kind]);

  if (!canned) return null;
  const close = () => {
    setOpen(false);
    slash.current = null;
    setTimeout(() => textarea()?.focus());
  };
  const insert = (r: CannedReply) => {
    const el = textarea();
    const s = slash.current;
    const from =
      s && field.peek().slice(s.from, s.to) === "/" ? s.from : (el?.selectionStart ?? field.peek().length);
    const to = s && from === s.from ? s.to : (el?.selectionEnd ?? from);
    setOpen(false);
    slash.current = null;
    put(from, to, r.text);
  };
  return (
    <div class="cr-assist">
      <button
        type="button"
        class="iv-link cr-open"
        aria-expanded={open ? "true" : "false"}
        aria-keyshortcuts="Alt+R"
        title="Insert a canned reply (Alt+R, or type / in the empty field)"
        onClick={() => {
          slash.current = null;
          setOpen(!open);
        }}
      >
        Canned replies{" "}
        <span class="iv-kbd" aria-hidden="true">
          Alt+R
        </span>
      </button>
      {open && (
        <CannedPicker
          replies={replies}
          label={`Canned replies for ${CANNED_KIND_LABELS[kind]}`}
          onInsert={insert}
          onClose={close}
        />
      )}
    </div>
  );
}
