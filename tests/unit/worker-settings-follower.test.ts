/**
 * The worker's settings at start (utils/worker/settings-follower.ts): the
 * start-up read and a change written meanwhile can be answered in either
 * order; the worker must end on the newest settings, never on the read's
 * older snapshot (the e2e "panel never connected … Failed to fetch" class:
 * a worker left on the default gateway).
 */
import { describe, expect, it } from "vitest";
import { DEMO_GATEWAY_URL, type Settings } from "../../utils/settings";
import { createSettingsFollower } from "../../utils/worker/settings-follower";

const TEST = { gatewayUrl: "http://127.0.0.1:41063", token: "lc_test" };

function setUp() {
  let answer: (raw: unknown) => void = () => undefined;
  const applied: { url: string; before: string | null }[] = [];
  const follower = createSettingsFollower({
    read: () => new Promise((resolve) => (answer = resolve)),
    apply: async (next: Settings, previous: Settings | null) => {
      applied.push({ url: next.gatewayUrl, before: previous?.gatewayUrl ?? null });
    },
  });
  return { follower, applied, answer: (raw: unknown) => answer(raw) };
}

describe("worker settings at start", () => {
  it("a change delivered before the read answers wins over what the read saw", async () => {
    const { follower, applied, answer } = setUp();
    follower.changed(TEST); // the test's write, delivered first
    answer(undefined); // the read, issued before the write, saw nothing stored
    await follower.ready;
    expect(applied).toEqual([{ url: TEST.gatewayUrl, before: null }]);
    expect(follower.current?.gatewayUrl).toBe(TEST.gatewayUrl);
  });

  it("the read answering first, then the change: the defaults, then the change", async () => {
    const { follower, applied, answer } = setUp();
    answer(undefined);
    await follower.ready;
    follower.changed(TEST);
    expect(applied).toEqual([
      { url: DEMO_GATEWAY_URL, before: null },
      { url: TEST.gatewayUrl, before: DEMO_GATEWAY_URL },
    ]);
  });

  it("a change in the panel's settings only does not rebuild the worker", async () => {
    const { follower, applied, answer } = setUp();
    answer(TEST);
    await follower.ready;
    follower.changed({ ...TEST, handoffAmberSec: 30 });
    expect(applied).toHaveLength(1);
  });
});
