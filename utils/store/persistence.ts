/**
 * Survives Chrome stopping the worker: the stream cursor together with the
 * state it describes (sessions, agents, metrics and their last hour, user, recent activity) is
 * written to `storage.session` at most once per `intervalMs` while it
 * changes, and once more on demand. A write of a large state is not cheap
 * (10,000 sessions are ~4 MB of JSON, 100–300 ms to stringify), so the
 * sessions are stringified `SLICE` at a time with a yield between slices —
 * the event loop (tokens streaming to a panel) is never held for more than a
 * slice — from the list taken at the capture: the session store never changes
 * a stored object (copy on write), so the list keeps describing the cursor's
 * moment — and so a session's JSON is kept with its object (a WeakMap, gone with it): a write stringifies
 * only the sessions that changed since the last one (after a snapshot, only those the snapshot changed:
 * the store keeps the object of an unchanged one). The next write waits at least `COST_FACTOR` times as long as the
 * last one's busy time: writing never takes more than ~5 % of the worker's
 * time, and a restart replays the few seconds more from the gateway's history. A restarted worker restores it and
 * resumes from the cursor; the gateway replays what happened in between (or
 * sends a snapshot). Cursor and state are always written together, so they
 * always agree. The token is never part of it.
 */
import * as v from "valibot";
import { type ActivityEntry, ActivityEntrySchema } from "../activity/activity-schema";
import { MetricsSampleSchema } from "../metrics-history/sample-ring";
import type { KeyValueStorage } from "../platform/kv-storage";
import { Agent, Id, Metrics, Session, User } from "../protocol";

export const STATE_KEY = "lc_state";
/** The pause after a write is at least this many times what the write took. */
const COST_FACTOR = 20;
/** …but never more than this. */
const MAX_INTERVAL_MS = 30_000;
/** Sessions stringified per task (~5 ms each at 10,000 sessions). */
export const SLICE = 500;

/** Lets other tasks (socket frames, port messages) run between two slices. */
export type Yield = () => Promise<void>;
const yieldToTasks: Yield = () => new Promise((resolve) => setTimeout(resolve, 0));

const Persisted = v.object({
  v: v.literal(1),
  gatewayUrl: v.string(),
  epoch: Id,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  sessions: v.array(Session),
  agents: v.array(Agent),
  metrics: Metrics,
  /** The sparklines' last hour (absent in states saved before it existed). */
  metricsHistory: v.optional(v.array(MetricsSampleSchema)),
  user: v.nullable(User),
  /** Each entry judged alone: a bad one is dropped, not the whole saved state. */
  activity: v.pipe(
    v.array(v.unknown()),
    v.transform((items) =>
      items.flatMap((e): ActivityEntry[] => {
        const r = v.safeParse(ActivityEntrySchema, e);
        return r.success ? [r.output] : [];
      }),
    ),
  ),
  savedAt: v.number(),
});
export type PersistedState = v.InferOutput<typeof Persisted>;

export interface Persistence {
  /** Something changed: write within `intervalMs`. */
  touch(): void;
  /** Write now (e.g. before the settings change). */
  saveNow(): Promise<void>;
  load(gatewayUrl: string): Promise<PersistedState | null>;
  clear(): Promise<void>;
  readonly writes: number;
  /** Sessions stringified so far (the rest of each write was kept from an earlier one). */
  readonly sessionsStringified: number;
  dispose(): void;
}

export function createPersistence(
  storage: KeyValueStorage,
  capture: () => PersistedState | null,
  intervalMs = 1000,
  yieldFn: Yield = yieldToTasks,
): Persistence {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writes = 0;
  let sessionsStringified = 0;
  /** Each stored session's JSON: a stored session object never changes (copy on write). */
  const sessionJson = new WeakMap<Session, string>();
  let lastCostMs = 0;
  let disposed = false;
  /** The write under way: the next one starts after it (one at a time, in order). */
  let inflight: Promise<void> = Promise.resolve();
  let busy = false;

  /** The state as JSON; the sessions a slice at a time. Null when disposed meanwhile. */
  async function stringify(state: PersistedState): Promise<{ json: string; busyMs: number } | null> {
    let t = performance.now();
    const { sessions, ...rest } = state;
    const head = JSON.stringify(rest);
    const parts: string[] = [];
    let busyMs = 0;
    for (let i = 0; i < sessions.length; i += SLICE) {
      if (i > 0) {
        busyMs += performance.now() - t;
        await yieldFn();
        if (disposed) return null;
        t = performance.now();
      }
      for (const x of sessions.slice(i, i + SLICE)) {
        let text = sessionJson.get(x);
        if (text === undefined) {
          text = JSON.stringify(x);
          sessionJson.set(x, text);
          sessionsStringified++;
        }
        parts.push(text);
      }
    }
    const json = `${head.slice(0, -1)}${head.length > 2 ? "," : ""}"sessions":[${parts.join(",")}]}`;
    busyMs += performance.now() - t;
    return { json, busyMs };
  }

  async function write(state: PersistedState | null): Promise<void> {
    if (!state) return;
    const out = await stringify(state);
    if (!out) return;
    writes++;
    const started = performance.now();
    // One JSON string: storing a deep object of 10,000 sessions costs Chrome ~1 s, a string a few ms.
    await storage.set(STATE_KEY, out.json).catch(() => undefined);
    lastCostMs = out.busyMs + (performance.now() - started);
  }

  function saveNow(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    // Idle: the state is taken now, as the caller sees it. Busy: once the write under way is done.
    const run = busy ? inflight.catch(() => undefined).then(() => write(capture())) : write(capture());
    busy = true;
    const mine = run.finally(() => {
      if (inflight === mine) busy = false;
    });
    inflight = mine;
    return mine;
  }

  return {
    touch() {
      if (timer === undefined)
        timer = setTimeout(
          () => void saveNow(),
          Math.min(MAX_INTERVAL_MS, Math.max(intervalMs, lastCostMs * COST_FACTOR)),
        );
    },
    saveNow,
    async load(gatewayUrl) {
      const stored = await storage.get(STATE_KEY).catch(() => undefined);
      const parsed = v.safeParse(Persisted, typeof stored === "string" ? parseJson(stored) : stored);
      if (!parsed.success || parsed.output.gatewayUrl !== gatewayUrl) return null;
      return parsed.output;
    },
    clear: () => storage.remove(STATE_KEY),
    get writes() {
      return writes;
    },
    get sessionsStringified() {
      return sessionsStringified;
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
