/**
 * A button that opens a popup (the agent picker, the saved views menu): the
 * open state, the button's and the popup's props (refs, ids, ARIA), and
 * closing — a pointer down outside both closes it (then `onDismiss`), `close`
 * closes it and puts focus back on the button. When it opens, `focusFirst` is
 * handed the popup to put focus in it.
 */
import { useEffect, useRef, useState } from "preact/hooks";

export function usePopover<P extends HTMLElement>({
  popupId,
  onDismiss,
  focusFirst,
}: {
  popupId: string;
  onDismiss?(): void;
  focusFirst(popup: P | null): void;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const popup = useRef<P>(null);
  const latest = useRef({ onDismiss, focusFirst });
  latest.current = { onDismiss, focusFirst };

  useEffect(() => {
    if (!open) return;
    const onDown = (e: Event) => {
      const t = e.target as Node | null;
      if (t && !popup.current?.contains(t) && !button.current?.contains(t)) {
        setOpen(false);
        latest.current.onDismiss?.();
      }
    };
    document.addEventListener("pointerdown", onDown);
    latest.current.focusFirst(popup.current);
    return () => document.removeEventListener("pointerdown", onDown);
  }, [open]);

  return {
    open,
    setOpen,
    popup,
    close(refocus = true) {
      setOpen(false);
      if (refocus) button.current?.focus();
    },
    buttonProps: {
      ref: button,
      type: "button",
      class: "flt-select-button",
      "aria-haspopup": "true",
      "aria-expanded": open,
      "aria-controls": popupId,
    } as const,
    popupProps: { ref: popup, id: popupId },
  };
}
