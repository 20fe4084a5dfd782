import "./canned.css";
import type { Signal } from "@preact/signals";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import {
  CANNED_KIND_LABELS,
  type CannedKind,
  type CannedReply,
  filterReplies,
  insertText,
  matchShortcut,
  shortcutToken,
} from "@/utils/canned-replies";
import { CannedContext, CannedManageContext } from "./canned-context";
import { CannedOptions, CannedPicker, optionId } from "./canned-picker";

const SUGGEST_ID = "cr-suggest";

/**
 * Canned replies for one compose field (the text area `inputId`, whose text is
 * `field`):
 * - a "Canned replies" button (Alt+R in the field) opening the picker;
 * - a `/word` at the start of the field lists the matching replies under it
 *   (the field stays focused: ArrowUp/ArrowDown move, Tab or Enter insert,
 *   Escape closes the list);
 * - `/shortcut` + Tab or Enter anywhere replaces the shortcut with the text.
 * Inserting never sends: the keys it uses are stopped (in the capture phase,
 * on the field's parent) before the field, dialog or compose box sees them.
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
  const manage = useContext(CannedManageContext);
  const [open, setOpen] = useState(false);
  /** The `/word` typed at the start of the field, while its suggestions are shown. */
  const [slash, setSlash] = useState<{ query: string; to: number } | null>(null);
  const [active, setActive] = useState(0);
  const replies = canned ? canned.forKind(kind) : [];
  const suggestions = slash ? filterReplies(replies, slash.query) : [];
  const at = Math.min(active, Math.max(suggestions.length - 1, 0));
  const state = useRef({ replies, suggestions, at, slash });
  state.current = { replies, suggestions, at, slash };

  const textarea = () => {
    const el = document.getElementById(inputId);
    return el instanceof HTMLTextAreaElement ? el : null;
  };
  const put = (from: number, to: number, text: string) => {
    const el = textarea();
    const next = insertText(field.peek(), from, to, text);
    field.value = next.value;
    setSlash(null);
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
    const stop = (e: Event) => {
      e.preventDefault();
      e.stopPropagation();
    };
    // Capture on the field's parent: runs before the field's own handlers (Enter sends there).
    const onKey = (e: KeyboardEvent) => {
      if (e.target !== el || e.isComposing) return;
      const { replies, suggestions, at, slash } = state.current;
      const plain = !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey;
      if (e.code === "KeyR" && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
        stop(e);
        setSlash(null);
        setOpen(true);
        return;
      }
      if (slash && suggestions.length > 0 && plain) {
        if (e.key === "ArrowDown" || e.key === "ArrowUp") {
          stop(e);
          const n = suggestions.length;
          setActive((at + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
          return;
        }
        if (e.key === "Escape") {
          stop(e);
          setSlash(null);
          return;
        }
      }
      if ((e.key === "Tab" || e.key === "Enter") && plain) {
        const f = { value: el.value, start: el.selectionStart, end: el.selectionEnd };
        const m = matchShortcut(f, replies, kind);
        if (m) {
          stop(e);
          put(m.from, el.selectionStart, m.reply.text);
          return;
        }
        const pick = slash ? suggestions[at] : undefined;
        if (slash && pick) {
          stop(e);
          put(0, slash.to, pick.text);
        }
      }
    };
    const onInput = (e: Event) => {
      if (e.target !== el) return;
      const t = shortcutToken({ value: el.value, start: el.selectionStart, end: el.selectionEnd });
      setSlash(t && t.from === 0 ? { query: t.token, to: el.selectionStart } : null);
      setActive(0);
    };
    host.addEventListener("keydown", onKey, true);
    host.addEventListener("input", onInput, true);
    return () => {
      host.removeEventListener("keydown", onKey, true);
      host.removeEventListener("input", onInput, true);
    };
  }, [canned, inputId, kind]);

  // The field owns the suggestion list while it is shown (combobox semantics on the text area).
  const current = slash ? suggestions[at] : undefined;
  const showing = slash !== null && suggestions.length > 0;
  useEffect(() => {
    const el = textarea();
    if (!el) return;
    if (showing) {
      el.setAttribute("aria-controls", SUGGEST_ID);
      el.setAttribute("aria-expanded", "true");
      if (current) el.setAttribute("aria-activedescendant", optionId(SUGGEST_ID, current));
    } else {
      el.removeAttribute("aria-controls");
      el.removeAttribute("aria-expanded");
      el.removeAttribute("aria-activedescendant");
    }
  }, [showing, current?.id, inputId]);

  if (!canned) return null;
  const label = `Canned replies for ${CANNED_KIND_LABELS[kind]}`;
  const close = () => {
    setOpen(false);
    setTimeout(() => textarea()?.focus());
  };
  const insert = (r: CannedReply) => {
    const el = textarea();
    const from = el?.selectionStart ?? field.peek().length;
    const to = el?.selectionEnd ?? from;
    setOpen(false);
    put(from, to, r.text);
  };
  return (
    <div class="cr-assist">
      {showing && slash && (
        <div class="cr-picker cr-suggest">
          <p class="cr-picker-label">{label} — ↑↓ to choose, Tab or Enter to insert, Escape to close</p>
          <CannedOptions
            id={SUGGEST_ID}
            label={label}
            replies={suggestions}
            active={at}
            onPick={(r) => put(0, slash.to, r.text)}
          />
        </div>
      )}
      <button
        type="button"
        class="iv-link cr-open"
        aria-expanded={open ? "true" : "false"}
        aria-keyshortcuts="Alt+R"
        title="Insert a canned reply (Alt+R, or type / at the start of the field)"
        onClick={() => {
          setSlash(null);
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
          label={label}
          onInsert={insert}
          onClose={close}
          {...(manage ? { onManage: manage } : {})}
        />
      )}
    </div>
  );
}
