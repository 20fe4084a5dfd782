import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Panel, WindowRow } from "@/utils/panel";
import { AgentBadge } from "./agent-badge";
import { useHeldOrder } from "./hold-order";
import { domIdFor, SessionRow } from "./session-row";
import {
  CARD_ROW_HEIGHT,
  computeLayout,
  GROUP_ROW_HEIGHT,
  rowAt,
  rowKey,
  type VirtualLayout,
  visibleRange,
} from "./virtual-layout";

export interface SessionListProps {
  panel: SessionListPanel;
  /** Where to start scrolled to (kept by the parent across conversation views). */
  initialScrollTop?: number;
  onScrollTopChange?: (top: number) => void;
  initialActiveId?: string | null;
  autoFocus?: boolean;
}

/** The slices the list reads. */
export type SessionListPanel = Pick<
  Panel,
  "list" | "conversation" | "alerts" | "status" | "now" | "handoffThresholds"
>;

const FALLBACK_HEIGHT = 600;

const isHeader = (row: WindowRow | undefined) => row !== null && row !== undefined && typeof row !== "string";

/**
 * The virtualised session list: only the rows in (and near) the viewport are
 * rendered. Rows have fixed heights, and while the order changes the scroll
 * position stays anchored to the top visible row, so updates never make it
 * jump (at the very top, new activity shows up at the top). A listbox with
 * aria-activedescendant: arrows, Page Up/Down, Home/End move, Enter opens.
 */
export function SessionList({
  panel,
  initialScrollTop = 0,
  onScrollTopChange,
  initialActiveId = null,
  autoFocus = false,
}: SessionListProps) {
  // The order holds still while the pointer is busy on the list (hold-order.ts): a click lands on the
  // card that was aimed at, even while activity re-sorts the sessions.
  const order = useHeldOrder(panel.list.rows.value);
  const rows = order.value;
  const layout = useMemo(() => computeLayout(rows), [rows]);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(initialScrollTop);
  /** The list's scroll position as last seen or set: reading `el.scrollTop` after the rows changed would force a layout every update. */
  const topRef = useRef(initialScrollTop);
  const [height, setHeight] = useState(FALLBACK_HEIGHT);
  const [activeId, setActiveId] = useState<string | null>(initialActiveId);
  // The worker keeps the active row's session and says where it is, wherever the list is scrolled.
  useEffect(() => panel.list.setActive(activeId), [panel, activeId]);
  const anchor = useRef<{ key: string; delta: number } | null>(null);
  /** A row moved to by the keyboard before its session arrived: it becomes active when it does. */
  const pendingActive = useRef<number | null>(null);
  /** The active row the list came back with (from a conversation): shown once its place is known. */
  const revealActive = useRef<string | null>(autoFocus ? initialActiveId : null);
  const prevLayout = useRef<VirtualLayout | null>(null);

  const remember = (l: VirtualLayout, top: number) => {
    if (l.rows.length === 0) {
      anchor.current = null;
      return;
    }
    const i = rowAt(l, top);
    const key = rowKey(l.rows[i] as WindowRow);
    anchor.current = key === "" ? null : { key, delta: top - l.top(i) };
    // The worker keeps the top row and says where it went, even when more sessions move above it in one
    // answer than the rows kept around the screen: the list can hold it still.
    // At the very top nothing is held still (new activity shows up at the top), so nothing is kept.
    if (top > 0 && key !== "" && !key.startsWith("group:")) panel.list.setAnchor(key, i);
    else panel.list.setAnchor(null);
  };

  // Size, restored position and focus on mount.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight || FALLBACK_HEIGHT);
    if (initialScrollTop > 0) el.scrollTop = initialScrollTop;
    if (autoFocus) el.focus({ preventScroll: true });
    if (typeof ResizeObserver !== "function") return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || FALLBACK_HEIGHT));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep the top visible row in place when rows are added, removed or re-ordered.
  useLayoutEffect(() => {
    const el = scroller.current;
    const before = prevLayout.current;
    prevLayout.current = layout;
    if (!el || !before || before === layout) return;
    const a = anchor.current;
    if (a && topRef.current > 0) {
      const i = layout.indexOf(a.key);
      if (i >= 0) {
        const target = Math.max(0, layout.top(i) + a.delta);
        if (Math.abs(target - topRef.current) >= 1) {
          el.scrollTop = target;
          topRef.current = target;
          setScrollTop(target);
        }
      }
    }
    remember(layout, topRef.current);
    const back = revealActive.current;
    if (back !== null) {
      const i = layout.indexOf(back);
      if (i >= 0) {
        revealActive.current = null;
        reveal(i);
      }
    }
    const p = pendingActive.current;
    if (p !== null) {
      const row = layout.rows[p];
      if (typeof row === "string") {
        pendingActive.current = null;
        setActiveId(row);
      } else if (row !== null) pendingActive.current = null;
    }
  }, [layout]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    topRef.current = el.scrollTop;
    // What is under the pointer moves with the scroll anyway: the list follows the live order again.
    order.release();
    setScrollTop(topRef.current);
    remember(layout, topRef.current);
    onScrollTopChange?.(topRef.current);
  };

  const reveal = (i: number) => {
    const el = scroller.current;
    if (!el) return;
    const top = layout.top(i);
    const bottom = layout.top(i + 1);
    const viewTop = el.scrollTop;
    const viewHeight = el.clientHeight || height;
    let next = viewTop;
    if (top < viewTop)
      next = Math.max(0, top - (i > 0 && isHeader(layout.rows[i - 1]) ? GROUP_ROW_HEIGHT : 0));
    else if (bottom > viewTop + viewHeight) next = bottom - viewHeight;
    if (next !== viewTop) {
      el.scrollTop = next;
      topRef.current = next;
      setScrollTop(next);
      remember(layout, next);
    }
  };

  const sessionIndexFrom = (from: number, step: number): number => {
    const n = layout.rows.length;
    let i = from;
    for (let guard = 0; guard <= n; guard++) {
      i += step;
      if (i < 0 || i >= n) return -1;
      if (!isHeader(layout.rows[i])) return i;
    }
    return -1;
  };

  const moveTo = (i: number) => {
    const row = layout.rows[i];
    if (row === null) {
      // Not here yet: show the place; it becomes active when its session arrives.
      pendingActive.current = i;
      reveal(i);
      return;
    }
    if (typeof row !== "string") return;
    pendingActive.current = null;
    setActiveId(row);
    reveal(i);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const n = layout.rows.length;
    if (n === 0) return;
    // A row moved to before its session arrived is where the next move starts.
    const current = pendingActive.current ?? (activeId !== null ? layout.indexOf(activeId) : -1);
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight || height) / CARD_ROW_HEIGHT) - 1);
    let target = -1;
    switch (e.key) {
      case "ArrowDown":
        target =
          current < 0 ? sessionIndexFrom(rowAt(layout, scrollTop) - 1, 1) : sessionIndexFrom(current, 1);
        break;
      case "ArrowUp":
        target =
          current < 0 ? sessionIndexFrom(rowAt(layout, scrollTop) - 1, 1) : sessionIndexFrom(current, -1);
        break;
      case "Home":
        target = sessionIndexFrom(-1, 1);
        break;
      case "End":
        target = sessionIndexFrom(n, -1);
        break;
      case "PageDown": {
        target = current;
        for (let k = 0; k < page; k++) {
          const next = sessionIndexFrom(target, 1);
          if (next < 0) break;
          target = next;
        }
        break;
      }
      case "PageUp": {
        target = current;
        for (let k = 0; k < page; k++) {
          const next = sessionIndexFrom(target, -1);
          if (next < 0) break;
          target = next;
        }
        break;
      }
      case "Enter":
      case " ":
        if (activeId !== null && current >= 0) {
          e.preventDefault();
          panel.conversation.open(activeId);
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    if (target >= 0) moveTo(target);
  };

  const onFocus = () => {
    // An active row the panel still holds stays active, wherever it is (its place may still be on its way).
    if (activeId !== null && (layout.indexOf(activeId) >= 0 || panel.list.session(activeId))) return;
    const first = sessionIndexFrom(rowAt(layout, scrollTop) - 1, 1);
    const row = first >= 0 ? layout.rows[first] : undefined;
    if (typeof row === "string") setActiveId(row);
  };

  const open = (id: string) => {
    setActiveId(id);
    panel.conversation.open(id);
  };

  const { start, end } = visibleRange(layout, scrollTop, height);
  // The worker answers with the rows on screen and a screenful either side (so a scroll finds them there).
  // The range moves only once the screen comes within half a screenful of its edge: small moves (a scroll
  // step, the anchoring that keeps the top row still while sessions move) ask for nothing new.
  const span = end - start;
  useEffect(() => {
    const asked = panel.list.range.peek();
    const margin = Math.floor(span / 2);
    const covered =
      start >= asked.start + (asked.start > 0 ? margin : 0) &&
      end <= asked.end - margin &&
      asked.end - asked.start <= 4 * span;
    if (!covered) panel.list.setRange(Math.max(0, start - span), end + span);
  }, [panel, start, end, span]);
  const items = [];
  const sessionTotal = panel.list.sessionCount.value;
  const unified = panel.list.view.value === "unified";
  for (let i = start; i < end; i++) {
    const row = layout.rows[i] as WindowRow;
    const top = layout.top(i);
    if (row === null) {
      items.push(
        <div
          key={`pending-${i}`}
          class="session-card session-pending"
          aria-hidden="true"
          style={{ top: `${top}px`, height: `${CARD_ROW_HEIGHT}px` }}
        />,
      );
    } else if (typeof row === "string") {
      items.push(
        <SessionRow
          key={row}
          id={row}
          panel={panel}
          top={top}
          active={row === activeId}
          onOpen={open}
          posinset={unified ? i + 1 : undefined}
          setsize={unified ? sessionTotal : undefined}
        />,
      );
    } else {
      items.push(
        <div
          key={rowKey(row)}
          role="presentation"
          class="group-header"
          style={{ top: `${top}px`, height: `${GROUP_ROW_HEIGHT}px` }}
        >
          <AgentBadge name={row.name} color={row.color} />
          <span class="group-count">{row.count}</span>
        </div>,
      );
    }
  }

  const activeVisible = activeId !== null && layout.indexOf(activeId) >= 0;
  return (
    <div
      ref={scroller}
      class="session-list"
      role="listbox"
      tabIndex={0}
      aria-label={`Active sessions (${sessionTotal})`}
      aria-activedescendant={activeVisible && activeId ? domIdFor(activeId) : undefined}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      {...order.handlers}
      data-rendered-rows={end - start}
      data-order-held={order.held ? "true" : undefined}
    >
      <div class="vlist-spacer" role="presentation" style={{ height: `${layout.top(layout.rows.length)}px` }}>
        {items}
      </div>
    </div>
  );
}
