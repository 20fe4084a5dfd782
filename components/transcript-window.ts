import type { RefObject } from "preact";
import { useCallback, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Message } from "@/utils/protocol";

/** How many of a transcript's newest messages exist in the DOM at first, and how many more each "Show earlier" adds. */
export const TRANSCRIPT_WINDOW = 40;

export interface TranscriptWindow {
  /** The messages to render: the newest ones, or more after "Show earlier". */
  shown: readonly Message[];
  /** How many older messages are not rendered. */
  hidden: number;
  /** Renders `size` more of the older messages, keeping what is on screen where it was. */
  showEarlier(): void;
}

/**
 * Only the newest `size` messages of a long transcript are rendered (a reply
 * streaming at 5,000 tokens/s adds ~25 table-and-code messages a second, and
 * style, layout and the diff all grow with the DOM). While the reader is at
 * the bottom the window follows the newest messages; scrolled up, its first
 * message stays put, so nothing moves under the reader. "Show earlier" pins
 * the window's start further back for this session, and puts the scroll
 * position back so the messages on screen do not move.
 */
export function useTranscriptWindow(
  sessionId: string | null,
  messages: readonly Message[],
  scroller: RefObject<HTMLElement | null>,
  atBottom: RefObject<boolean>,
  size = TRANSCRIPT_WINDOW,
): TranscriptWindow {
  const [pinned, setPinned] = useState<{ session: string | null; id: string } | null>(null);
  const first = useRef<{ session: string | null; id: string } | null>(null);
  const restore = useRef<number | null>(null);

  const len = messages.length;
  const latest = Math.max(0, len - size);
  const indexOf = (at: { session: string | null; id: string } | null) =>
    at && at.session === sessionId ? messages.findIndex((m) => m.id === at.id) : -1;
  let start = latest;
  const pinnedAt = indexOf(pinned);
  if (pinnedAt >= 0) start = Math.min(pinnedAt, latest);
  else if (!atBottom.current) {
    const kept = indexOf(first.current);
    if (kept >= 0) start = Math.min(kept, latest);
  }
  const startId = messages[start]?.id;
  first.current = startId === undefined ? null : { session: sessionId, id: startId };

  const showEarlier = useCallback(() => {
    const el = scroller.current;
    if (el) restore.current = el.scrollHeight - el.scrollTop;
    const target = messages[Math.max(0, start - size)];
    if (target) setPinned({ session: sessionId, id: target.id });
  }, [messages, start, size, sessionId, scroller]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (restore.current === null || !el) return;
    el.scrollTop = el.scrollHeight - restore.current;
    restore.current = null;
    // The button is gone once everything is shown: keep focus in the transcript.
    if (start === 0 && el.ownerDocument.activeElement === el.ownerDocument.body)
      el.focus({ preventScroll: true });
  }, [start, scroller]);

  return { shown: start === 0 ? messages : messages.slice(start), hidden: start, showEarlier };
}
