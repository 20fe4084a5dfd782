/**
 * Geometry of the virtual session list: row offsets (prefix sums of fixed row
 * heights), a key → index map for scroll anchoring and keyboard focus, and
 * the binary search that finds the row at a scroll position.
 */
import type { ListRow } from "@/utils/panel";

export const CARD_ROW_HEIGHT = 96;
export const GROUP_ROW_HEIGHT = 36;

export interface VirtualLayout {
  rows: ListRow[];
  /** offsets[i] = top of row i; offsets[n] = total height. */
  offsets: Float64Array;
  indexOf: Map<string, number>;
}

export function rowKey(row: ListRow): string {
  return typeof row === "string" ? row : `group:${row.agent_id}`;
}

export function computeLayout(rows: ListRow[]): VirtualLayout {
  const offsets = new Float64Array(rows.length + 1);
  const indexOf = new Map<string, number>();
  let y = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as ListRow;
    offsets[i] = y;
    indexOf.set(rowKey(row), i);
    y += typeof row === "string" ? CARD_ROW_HEIGHT : GROUP_ROW_HEIGHT;
  }
  offsets[rows.length] = y;
  return { rows, offsets, indexOf };
}

/** Index of the row covering `y` (clamped to the rows that exist; 0 when empty). */
export function rowAt(layout: VirtualLayout, y: number): number {
  const n = layout.rows.length;
  if (n === 0) return 0;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((layout.offsets[mid] as number) <= y) lo = mid;
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
