/**
 * The activity feed, newest first: every session's lifecycle (started, user
 * messages, agent replies, status changes, interventions, transfers, ended) and
 * errors, each named by user and agent. Filter by kind and by session.
 * Virtualised (only the visible rows exist), and it holds still while the
 * supervisor reads: scrolled down or paused, new entries wait behind a
 * "N new" button instead of pushing the rows away.
 */
import { effect, useComputed, useSignal } from "@preact/signals";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { describeActivity } from "@/utils/activity/describe";
import { type ActivityFilter, activityName, filterActivity, isFiltering } from "@/utils/activity/filter";
import { FEED_KIND_LABELS, FEED_KINDS, type FeedKind, sessionOf } from "@/utils/activity/kinds";
import { clockTime } from "@/utils/format";
import type { Panel } from "@/utils/panel";
import type { ActivityEntry } from "@/utils/panel-messages";
import { ToggleGroup } from "./filters";
import { Icon, type IconName } from "./icons";

export const ACTIVITY_ROW_HEIGHT = 44;
/** While entries pour in, the live view moves at most this often (the first change of a quiet spell shows at once). */
export const ACTIVITY_REFRESH_MS = 250;
const OVERSCAN = 4;
const FALLBACK_HEIGHT = 480;

const ICON: Record<FeedKind, IconName> = {
  started: "start",
  user_message: "user",
  agent_response: "agent",
  status: "status",
  intervention: "intervention",
  transfer: "transfer",
  ended: "end",
  error: "alert",
};

/** Stable keys for entries (they have no id; the panel keeps each object once decoded). */
const keys = new WeakMap<ActivityEntry, number>();
let nextKey = 0;
const keyOf = (e: ActivityEntry) => {
  let k = keys.get(e);
  if (k === undefined) {
    k = nextKey++;
    keys.set(e, k);
  }
  return k;
};

/** How many of `live` came after the newest entry of `frozen` (all of them when it was trimmed away). */
function countNew(live: readonly ActivityEntry[], frozen: readonly ActivityEntry[]): number {
  const last = frozen.at(-1);
  if (!last) return live.length;
  const i = live.lastIndexOf(last);
  return i < 0 ? live.length : live.length - 1 - i;
}

export function ActivityLog({ panel }: { panel: Pick<Panel, "activity" | "list" | "conversation"> }) {
  const kinds = useSignal<ReadonlySet<FeedKind>>(new Set());
  const session = useSignal<string | null>(null);
  /** The entries as they were when the view stopped following (scrolled down or paused); null while live. */
  const frozen = useSignal<readonly ActivityEntry[] | null>(null);
  const paused = useSignal(false);
  const filter = useComputed<ActivityFilter>(() => ({ kinds: kinds.value, session: session.value }));
  /** The model's entries, throttled: at 1,000 events/s the rows move 4 times a second, not 60. */
  const live = useSignal(panel.activity.entries.peek());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const stop = effect(() => {
      const next = panel.activity.entries.value;
      if (timer !== undefined) return;
      const wait = last + ACTIVITY_REFRESH_MS - performance.now();
      if (wait <= 0) {
        last = performance.now();
        live.value = next;
        return;
      }
      timer = setTimeout(() => {
        timer = undefined;
        last = performance.now();
        live.value = panel.activity.entries.peek();
      }, wait);
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [panel]);
  const shown = useComputed(() => filterActivity(frozen.value ?? live.value, filter.value));
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_HEIGHT);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight || FALLBACK_HEIGHT);
    if (typeof ResizeObserver !== "function") return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || FALLBACK_HEIGHT));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const follow = () => {
    live.value = panel.activity.entries.peek();
    frozen.value = null;
    paused.value = false;
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  };
  const onScroll = () => {
    const top = scroller.current?.scrollTop ?? 0;
    setScrollTop(top);
    if (top > 0 && !frozen.value)
      frozen.value = live.peek(); // what is on screen now
    else if (top === 0 && frozen.value && !paused.value) frozen.value = null;
  };
  const togglePause = () => {
    if (paused.value) follow();
    else {
      paused.value = true;
      frozen.value ??= live.peek();
    }
  };
  const toggleKind = (k: FeedKind) => {
    const next = new Set(kinds.value);
    if (next.has(k)) next.delete(k);
    else next.add(k);
    kinds.value = next;
  };

  // The throttled entries, not the model's: this component re-renders at most every ACTIVITY_REFRESH_MS.
  const all = live.value;
  const entries = shown.value;
  const n = entries.length;
  const newCount = frozen.value ? countNew(filterActivity(all, filter.value), entries) : 0;
  const first = Math.max(0, Math.floor(scrollTop / ACTIVITY_ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(n, Math.ceil((scrollTop + height) / ACTIVITY_ROW_HEIGHT) + OVERSCAN);
  const nameOf = (id: string) => {
    const s = panel.list.session(id)?.peek();
    return s ? `${s.user.name?.trim() || s.user.id} · ${s.agent.name}` : null;
  };
  const sessionLabel = (id: string) => activityName(all, id) ?? nameOf(id) ?? "this session";

  const rows = [];
  for (let i = first; i < last; i++) {
    const e = entries[n - 1 - i] as ActivityEntry;
    rows.push(
      <ActivityRow
        key={keyOf(e)}
        entry={e}
        index={i}
        total={n}
        nameOf={nameOf}
        onOpen={(id) => panel.conversation.open(id)}
        onOnly={(id) => {
          session.value = id;
        }}
      />,
    );
  }

  return (
    <section class="activity-feed" aria-label="Activity">
      <div class="activity-controls">
        <ToggleGroup
          label="Show"
          options={FEED_KINDS}
          names={FEED_KIND_LABELS}
          selected={[...kinds.value]}
          onToggle={toggleKind}
        />
        <div class="activity-bar">
          {session.value && (
            <span class="activity-only">
              Only {sessionLabel(session.value)}
              <button
                type="button"
                class="activity-only-clear"
                aria-label="Show every session"
                onClick={() => {
                  session.value = null;
                }}
              >
                <Icon name="close" size={12} />
              </button>
            </span>
          )}
          <button type="button" class="activity-pause" aria-pressed={paused.value} onClick={togglePause}>
            {paused.value ? "Resume" : "Pause"}
          </button>
          {frozen.value && newCount > 0 && (
            <button type="button" class="activity-new" onClick={follow}>
              {newCount === 1 ? "1 new event" : `${newCount} new events`}
            </button>
          )}
        </div>
      </div>
      {n === 0 ? (
        <p class="empty-note">
          {all.length === 0 || !isFiltering(filter.value)
            ? "No activity yet. Sessions starting and ending, messages, status changes, interventions and transfers appear here."
            : "Nothing matches this filter."}
        </p>
      ) : (
        <div class="activity-scroll" ref={scroller} onScroll={onScroll}>
          <ol
            class="activity"
            aria-label="Activity entries, newest first"
            style={{ height: `${n * ACTIVITY_ROW_HEIGHT}px` }}
          >
            {rows}
          </ol>
        </div>
      )}
    </section>
  );
}

interface RowProps {
  entry: ActivityEntry;
  index: number;
  total: number;
  nameOf(id: string): string | null;
  onOpen(id: string): void;
  onOnly(id: string): void;
}

function ActivityRow({ entry, index, total, nameOf, onOpen, onOnly }: RowProps) {
  const d = describeActivity(entry, nameOf);
  const sid = sessionOf(entry);
  const body = (
    <>
      <span class={`activity-icon tone-${d.tone}`}>
        <Icon name={ICON[d.kind]} />
      </span>
      <span class="activity-lines">
        <span class="activity-text">{d.text}</span>
        <span class="activity-meta">
          <time class="activity-time" dateTime={entry.at}>
            {clockTime(entry.at, true)}
          </time>
          {d.who && <span class="activity-session">{d.who}</span>}
        </span>
      </span>
    </>
  );
  return (
    <li
      class={`activity-entry tone-${d.tone}`}
      data-kind={entry.kind}
      data-feed-kind={d.kind}
      aria-setsize={total}
      aria-posinset={index + 1}
      style={{ top: `${index * ACTIVITY_ROW_HEIGHT}px`, height: `${ACTIVITY_ROW_HEIGHT}px` }}
      title={d.who ? `${d.text} — ${d.who}` : d.text}
    >
      {sid ? (
        <>
          <button type="button" class="activity-open" onClick={() => onOpen(sid)}>
            {body}
          </button>
          <button
            type="button"
            class="activity-only-btn"
            aria-label={`Only this session${d.who ? ` (${d.who})` : ""}`}
            title="Only this session"
            onClick={() => onOnly(sid)}
          >
            Only
          </button>
        </>
      ) : (
        <div class="activity-static">{body}</div>
      )}
    </li>
  );
}
