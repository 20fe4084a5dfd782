/**
 * Keyboard shortcuts of the conversation view: Alt+letter, never while the
 * user types in a field (Alt+letter there produces characters on some layouts).
 */
import { type ControlKind, controlFor } from "./action-catalog";

export interface KeyLike {
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  repeat?: boolean;
  defaultPrevented?: boolean;
  target: EventTarget | null;
}

/** True for text inputs, text areas, selects and editable content. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof Element === "undefined" || !(target instanceof Element)) return false;
  if (target.closest("[contenteditable=''], [contenteditable='true']")) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target.getAttribute("type") ?? "text").toLowerCase();
  return !["button", "submit", "reset", "checkbox", "radio", "range", "color", "file", "image"].includes(
    type,
  );
}

/** The control a key press asks for, or null. */
export function shortcutFor(e: KeyLike): ControlKind | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.repeat || e.defaultPrevented) return null;
  if (isTypingTarget(e.target)) return null;
  return controlFor(e.code)?.kind ?? null;
}
