/**
 * Geometry of the virtual session list. In the unified view every row is a
 * card of the same height, so positions are arithmetic and nothing of size n
 * is built per update; the grouped view adds header rows and keeps prefix
 * sums. A row whose session has not arrived yet (null: outside the range the
 * worker answered) is a card like any other. Key look-ups (scroll anchoring,
 * keyboard focus) scan on demand.
 */
import type { WindowRow } from "@/utils/panel";

export const CARD_ROW_HEIGHT = 96;
export const GROUP_ROW_HEIGHT = 36;

export interface VirtualLayout {
  rows: readonly WindowRow[];
  /** Top of row i (i = rows.length gives the total height). */
  top(i: number): number;
  /** Index of the row with this key, or -1. */
  indexOf(key: string): number;
}

/** A row's key; "" for a row still on its way (it has no identity yet). */
export function rowKey(row: WindowRow): string {
  return row === null ? "" : typeof row === "string" ? row : `group:${row.agent_id}`;
}

const isCard = (r: WindowRow) => r === null || typeof r === "string";

export function computeLayout(rows: readonly WindowRow[]): VirtualLayout {
  const uniform = rows.every(isCard);
  if (uniform) {
    return {
      rows,
      top: (i) => i * CARD_ROW_HEIGHT,
      indexOf: (key) => (key === "" ? -1 : rows.indexOf(key)),
    };
  }
  const offsets = new Float64Array(rows.length + 1);
  let y = 0;
  for (let i = 0; i < rows.length; i++) {
    offsets[i] = y;
    y += isCard(rows[i] as WindowRow) ? CARD_ROW_HEIGHT : GROUP_ROW_HEIGHT;
  }
  offsets[rows.length] = y;
  return {
    rows,
    top: (i) => offsets[Math.max(0, Math.min(i, rows.length))] as number,
    indexOf(key) {
      if (key === "") return -1;
      for (let i = 0; i < rows.length; i++) if (rowKey(rows[i] as WindowRow) === key) return i;
      return -1;
    },
  };
}

/** Index of the row covering `y` (clamped to the rows that exist; 0 when empty). */
export function rowAt(layout: VirtualLayout, y: number): number {
  const n = layout.rows.length;
  if (n === 0) return 0;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (layout.top(mid) <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The rows to render for a viewport, with some overscan on both sides. */
export function visibleRange(layout: VirtualLayout, top: number, height: number, overscan = 400) {
  const n = layout.rows.length;
  if (n === 0) return { start: 0, end: 0 };
  const start = rowAt(layout, Math.max(0, top - overscan));
  const end = Math.min(n, rowAt(layout, top + height + overscan) + 1);
  return { start, end };
}
