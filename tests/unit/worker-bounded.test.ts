/**
 * A day's worth of churn through the same path the socket uses (decode-free):
 * sessions start, talk and end; the worker's memory follows the live set,
 * not the history.
 */
import { describe, expect, it } from "vitest";
import { ACTIVITY_LIMIT } from "../../utils/activity/kinds";
import type { EventFrame } from "../../utils/protocol";
import { createChangeSet } from "../../utils/store/change-set";
import { createCounters } from "../../utils/store/counters";
import { createStreamSync } from "../../utils/worker/stream-sync";
import { EPOCH, makeEvent, makeMessage, makeSession, TS } from "../fixtures/frames";

describe("bounded memory over a long run", () => {
  it("200,000 events with 20,000 sessions coming and going leave only the live ones", () => {
    const changes = createChangeSet();
    const counters = createCounters();
    const sync = createStreamSync({
      changes,
      counters,
      link: { requestSnapshot() {}, requestReplay() {}, fetchSession: async () => ({ messages: [] }) },
    });
    sync.sequencer.reset({ epoch: EPOCH, seq: 0 });
    sync.setWatch(["ses_w"]);
    let seq = 0;
    const ev = (kind: Parameters<typeof makeEvent>[0], data: unknown, sid: string) =>
      makeEvent(kind, data, ++seq, { session_id: sid }) as EventFrame;
    sync.frame(ev("session_started", makeSession({ id: "ses_w" }), "ses_w"));
    for (let n = 0; n < 20_000; n++) {
      const sid = `ses_${n}`;
      sync.frame(ev("session_started", makeSession({ id: sid }), sid));
      for (let k = 0; k < 8; k++) sync.frame(ev("message_received", makeMessage({ id: `m${seq}` }), sid));
      sync.frame(ev("message_sent", makeMessage({ id: `w${seq}`, role: "agent" }), "ses_w"));
      if (n >= 50) sync.frame(ev("session_ended", { reason: "done", ended_at: TS }, `ses_${n - 50}`));
      if (n % 100 === 0) changes.take(); // the panel hub drains this every 50 ms
    }
    expect(counters.events_applied).toBe(seq);
    expect(seq).toBeGreaterThan(200_000);
    expect(sync.sessions.sessions.size).toBe(51); // 50 live + the watched one
    expect(sync.activity.entries().length).toBeLessThanOrEqual(ACTIVITY_LIMIT);
    expect(sync.transcript("ses_w")?.messages.length).toBeLessThanOrEqual(500);
  });
});
