/**
 * The worker's state save stringifies its sessions a slice at a time, yielding between slices (so tokens
 * streaming to a panel are never held behind one 100–300 ms `JSON.stringify` of 10,000 sessions), and
 * what it writes is still the state at the cursor it captured: the session store copies on write, so
 * events applied between two slices do not leak into the save.
 */
import { describe, expect, it } from "vitest";
import { createMemoryStorage } from "../../utils/platform/kv-storage";
import type { EventFrame, Session } from "../../utils/protocol";
import { createChangeSet } from "../../utils/store/change-set";
import { createPersistence, type PersistedState, SLICE, STATE_KEY } from "../../utils/store/persistence";
import { createSessionStore } from "../../utils/store/session-store";
import { EPOCH, METRICS, makeEvent, makeMessage, makeSession } from "../fixtures/frames";

const N = SLICE * 2 + 137;

function setup() {
  const store = createSessionStore(createChangeSet());
  for (let i = 0; i < N; i++)
    store.apply(
      makeEvent("session_started", makeSession({ id: `ses_${i}`, message_count: 0 }), i + 1, {
        session_id: `ses_${i}`,
      }) as EventFrame,
    );
  let seq = N;
  const capture = (): PersistedState => ({
    v: 1,
    gatewayUrl: "http://gw",
    epoch: EPOCH,
    seq,
    sessions: store.list(),
    agents: [],
    metrics: METRICS,
    user: null,
    activity: [],
    savedAt: 1,
  });
  const message = (sid: string) => {
    seq++;
    store.apply({
      ...(makeEvent(
        "message_received",
        makeMessage({ id: `m_${seq}`, text: `late ${seq}` }),
        seq,
      ) as EventFrame),
      session_id: sid,
    } as EventFrame);
  };
  return { store, capture, message };
}

describe("worker state save in slices", () => {
  it("yields between slices, and events applied meanwhile do not leak into what it writes", async () => {
    const { store, capture, message } = setup();
    const storage = createMemoryStorage();
    let yields = 0;
    const expected = JSON.parse(JSON.stringify(capture())) as PersistedState;
    const p = createPersistence(storage, capture, 1000, async () => {
      yields++;
      // Another task runs: events change sessions already written and sessions not yet written.
      message("ses_0");
      message(`ses_${N - 1}`);
    });
    await p.saveNow();
    expect(yields).toBe(Math.ceil(N / SLICE) - 1);
    const saved = JSON.parse(storage.data.get(STATE_KEY) as string) as PersistedState;
    expect(saved).toEqual(expected);
    // The store itself moved on.
    expect(store.sessions.get("ses_0")?.message_count).toBe(yields);
    expect((saved.sessions[0] as Session).message_count).toBe(0);
    // And it still loads.
    expect((await p.load("http://gw"))?.sessions).toHaveLength(N);
  });

  it("saves one at a time, in order; a save after dispose writes nothing more", async () => {
    const { capture, message } = setup();
    const storage = createMemoryStorage();
    const order: number[] = [];
    const set = storage.set;
    storage.set = async (k, v) => {
      order.push((JSON.parse(v as string) as PersistedState).seq);
      await set(k, v);
    };
    const p = createPersistence(storage, capture, 1000, async () => {});
    const a = p.saveNow();
    message("ses_1");
    const b = p.saveNow();
    await Promise.all([a, b]);
    expect(order).toEqual([N, N + 1]);
    expect(p.writes).toBe(2);
    p.dispose();
    const gated = createPersistence(storage, capture, 1000, async () => {
      gated.dispose();
    });
    await gated.saveNow();
    expect(gated.writes).toBe(0);
  });

  it("restores the activity log entry by entry: a bad entry is dropped, the rest of the state kept", async () => {
    const { capture } = setup();
    const storage = createMemoryStorage();
    const good = {
      kind: "status",
      at: "2026-06-24T16:30:00.123Z",
      session_id: "ses_1",
      from: "active",
      to: "waiting",
    };
    const activity = [good, { kind: "status", at: 7, session_id: "ses_1" }, { kind: "nonsense" }];
    await storage.set(STATE_KEY, JSON.stringify({ ...capture(), activity }));
    const loaded = await createPersistence(storage, capture).load("http://gw");
    expect(loaded?.sessions).toHaveLength(N);
    expect(loaded?.activity).toEqual([good]);
  });

  it("stringifies only the sessions that changed since the last write, a snapshot's unchanged ones included", async () => {
    const { store, capture, message } = setup();
    const storage = createMemoryStorage();
    const p = createPersistence(storage, capture, 1000, async () => {});
    await p.saveNow();
    expect(p.sessionsStringified).toBe(N);
    message("ses_3");
    await p.saveNow();
    expect(p.sessionsStringified).toBe(N + 1);
    // A snapshot that changes one session and drops another.
    const next = JSON.parse(JSON.stringify(store.list())) as Session[];
    next[5] = { ...(next[5] as Session), preview: "changed in the gap" };
    next.pop();
    store.reset({ epoch: EPOCH, seq: N + 10, sessions: next, agents: [], metrics: METRICS });
    await p.saveNow();
    expect(p.sessionsStringified).toBe(N + 2);
    const saved = JSON.parse(storage.data.get(STATE_KEY) as string) as PersistedState;
    expect(saved.sessions).toEqual(JSON.parse(JSON.stringify(store.list())));
    expect(saved.sessions).toHaveLength(N - 1);
  });
});
