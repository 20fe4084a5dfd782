/**
 * Survives Chrome stopping the worker: the stream cursor together with the
 * state it describes (sessions, agents, metrics and their last hour, user, recent activity) is
 * written to `storage.session` at most once per `intervalMs` while it
 * changes, and once more on demand. A write of a large state is not cheap
 * (10,000 sessions are several MB to clone and store), so the next write
 * waits at least `COST_FACTOR` times as long as the last one took: writing
 * never takes more than ~5 % of the worker's time, and a restart replays the
 * few seconds more from the gateway's history. A restarted worker restores it and
 * resumes from the cursor; the gateway replays what happened in between (or
 * sends a snapshot). Cursor and state are always written together, so they
 * always agree. The token is never part of it.
 */
import * as v from "valibot";
import { MetricsSampleSchema } from "../metrics-history/sample-ring";
import { Agent, Id, Metrics, Session, User } from "../protocol";
import type { KeyValueStorage } from "./kv-storage";

export const STATE_KEY = "lc_state";
/** The pause after a write is at least this many times what the write took. */
const COST_FACTOR = 20;
/** …but never more than this. */
const MAX_INTERVAL_MS = 30_000;

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
  activity: v.array(v.unknown()),
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
  dispose(): void;
}

export function createPersistence(
  storage: KeyValueStorage,
  capture: () => PersistedState | null,
  intervalMs = 1000,
): Persistence {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writes = 0;
  let lastCostMs = 0;

  async function saveNow(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const started = Date.now();
    const state = capture();
    if (!state) return;
    writes++;
    // One JSON string: storing a deep object of 10,000 sessions costs Chrome ~1 s, a string a few ms.
    await storage.set(STATE_KEY, JSON.stringify(state)).catch(() => undefined);
    lastCostMs = Date.now() - started;
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
    dispose() {
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
