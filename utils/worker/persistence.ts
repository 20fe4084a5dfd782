/**
 * Survives Chrome stopping the worker: the stream cursor together with the
 * state it describes (sessions, agents, metrics, user, recent activity) is
 * written to `storage.session` at most once per `intervalMs` while it
 * changes, and once more on demand. A restarted worker restores it and
 * resumes from the cursor; the gateway replays what happened in between (or
 * sends a snapshot). Cursor and state are always written together, so they
 * always agree. The token is never part of it.
 */
import * as v from "valibot";
import { Agent, Id, Metrics, Session, User } from "../protocol";
import type { KeyValueStorage } from "./kv-storage";

export const STATE_KEY = "lc_state";

const Persisted = v.object({
  v: v.literal(1),
  gatewayUrl: v.string(),
  epoch: Id,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  sessions: v.array(Session),
  agents: v.array(Agent),
  metrics: Metrics,
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

  async function saveNow(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const state = capture();
    if (!state) return;
    writes++;
    await storage.set(STATE_KEY, state).catch(() => undefined);
  }

  return {
    touch() {
      if (timer === undefined) timer = setTimeout(() => void saveNow(), intervalMs);
    },
    saveNow,
    async load(gatewayUrl) {
      const parsed = v.safeParse(Persisted, await storage.get(STATE_KEY).catch(() => undefined));
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
