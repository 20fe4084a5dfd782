/**
 * A row of less important chips that never clips: the chips that do not fit
 * in what the line's other items leave collapse into a "+N" marker, which shows them
 * on hover and while its card is the active option of the focused list
 * (keyboard: arrow to the card). It measures when its chips change and when
 * the line's width changes.
 */
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";

export interface Chip {
  key: string;
  /** What the chip says, for the "+N" marker's tooltip. */
  text: string;
  node: ComponentChildren;
}

const GAP = 6;
/** Room kept for the "+N" marker when something must collapse. */
const MORE_WIDTH = 30;

/** How many of `widths` fit in `avail` px (with gaps), keeping room for the marker if not all do. */
export function chipsThatFit(widths: readonly number[], avail: number): number {
  const total = widths.reduce((a, w) => a + w, 0) + GAP * Math.max(0, widths.length - 1);
  if (total <= avail) return widths.length;
  let used = 0;
  let n = 0;
  for (const w of widths) {
    const next = used + (n > 0 ? GAP : 0) + w;
    if (next + GAP + MORE_WIDTH > avail) break;
    used = next;
    n++;
  }
  return n;
}

export function ChipRow({ chips }: { chips: readonly Chip[] }) {
  const row = useRef<HTMLSpanElement>(null);
  const [shown, setShown] = useState(chips.length);
  const signature = chips.map((c) => `${c.key}:${c.text}`).join("|");

  useLayoutEffect(() => {
    const el = row.current;
    const line = el?.parentElement;
    if (!el || !line) return;
    /** The line's width less its other items and the gaps between them. */
    const room = () => {
      const others = [...line.children].filter((c) => c !== el);
      const taken = others.reduce((a, c) => a + c.getBoundingClientRect().width + GAP, 0);
      return line.clientWidth - taken;
    };
    const measure = () => {
      const items = [...el.querySelectorAll<HTMLElement>(":scope > .chip-item")];
      for (const item of items) item.hidden = false;
      const n = chipsThatFit(
        items.map((item) => item.getBoundingClientRect().width),
        room(),
      );
      items.forEach((item, i) => {
        item.hidden = i >= n;
      });
      setShown(n);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    let width = line.clientWidth;
    const ro = new ResizeObserver(() => {
      if (line.clientWidth !== width) {
        width = line.clientWidth;
        measure();
      }
    });
    ro.observe(line);
    return () => ro.disconnect();
  }, [signature]);

  if (chips.length === 0) return null;
  const hidden = chips.slice(shown);
  return (
    <span class="chip-row" ref={row}>
      {chips.map((c) => (
        <span key={c.key} class="chip-item" data-chip={c.key}>
          {c.node}
        </span>
      ))}
      {hidden.length > 0 && (
        <span
          class="chip-more"
          title={hidden.map((c) => c.text).join(" · ")}
          data-hidden-chips={hidden.length}
        >
          +{hidden.length}
          <span class="chip-pop">
            {hidden.map((c) => (
              <span key={c.key} class="chip-pop-item" data-chip={c.key}>
                {c.text}
              </span>
            ))}
          </span>
        </span>
      )}
    </span>
  );
}
