import { useEffect, useRef, useState } from "preact/hooks";

/** How long the order stays put after the pointer last moved over the list. */
export const HOLD_MS = 1000;

export interface HeldOrder<T> {
  /** What to render: the live value, or the one on screen when the pointer got busy. */
  value: T;
  /** Whether the live value is being held back. */
  held: boolean;
  /** Follows the live value again at once (the list scrolled: what is under the pointer moved anyway). */
  release(): void;
  handlers: {
    onPointerMove(): void;
    onPointerDown(): void;
    onPointerUp(): void;
    onPointerCancel(): void;
    onPointerLeave(): void;
  };
}

/**
 * Holds a live list's order while the pointer is busy on it, so a row never
 * moves away between the moment a supervisor aims at it and the click: from a
 * press until after its click, and for `holdMs` after the pointer last moved
 * over the list. A pointer resting still, or leaving the list, lets the order
 * follow the live data again (the rows' contents stay live all along).
 */
export function useHeldOrder<T>(live: T, holdMs = HOLD_MS): HeldOrder<T> {
  const held = useRef<{ value: T } | null>(null);
  const pressed = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [, rerender] = useState(0);
  const value = held.current ? held.current.value : live;

  const release = () => {
    if (pressed.current || !held.current) return;
    held.current = null;
    rerender((n) => n + 1);
  };
  const arm = () => {
    held.current ??= { value };
    clearTimeout(timer.current);
    timer.current = setTimeout(release, holdMs);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  return {
    value,
    held: held.current !== null,
    release() {
      if (!held.current) return;
      clearTimeout(timer.current);
      pressed.current = false;
      held.current = null;
      rerender((n) => n + 1);
    },
    handlers: {
      onPointerMove: arm,
      onPointerDown: () => {
        pressed.current = true;
        arm();
      },
      // The click follows the release in the same input task; the hold outlasts it.
      onPointerUp: () => {
        pressed.current = false;
        arm();
      },
      onPointerCancel: () => {
        pressed.current = false;
        arm();
      },
      onPointerLeave: () => {
        pressed.current = false;
        clearTimeout(timer.current);
        timer.current = setTimeout(release, 0);
      },
    },
  };
}
