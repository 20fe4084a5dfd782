import type { ReadonlySignal } from "@preact/signals";
import { elapsedSince } from "@/utils/format";

/**
 * A live elapsed time. It alone reads the shared ticker, so each tick
 * re-renders these few text nodes and nothing else.
 */
export function Elapsed({ since, now }: { since: string; now: ReadonlySignal<number> }) {
  return (
    <time class="elapsed" dateTime={since}>
      {elapsedSince(since, now.value)}
    </time>
  );
}
