/** Alert centre (ack, bounds, derived sets), the sound decisions, the WebAudio chime, and message validation. */
import { describe, expect, it, vi } from "vitest";
import { createAlertCenter } from "../../utils/alerts/alert-center";
import { createAlertSound, type SoundApi } from "../../utils/alerts/alert-sound";
import { createBeeper } from "../../utils/alerts/beeper";
import type { Firing } from "../../utils/alerts/evaluator";
import { decodeFromPlayer, decodeToPlayer } from "../../utils/alerts/sound-messages";
import { decodePanelMessage } from "../../utils/panel-messages";

const firing = (n: number, o: Partial<Firing> = {}): Firing => ({
  key: `r|m${n}`,
  rule_id: "r",
  rule_name: "R",
  session_id: `s${n % 3}`,
  why: "user said “x”",
  actions: ["badge", "toast"],
  repeat_until_ack: false,
  ...o,
});

describe("alert centre", () => {
  it("keeps active alerts oldest first, acks by id, session or all", () => {
    const c = createAlertCenter();
    let changes = 0;
    c.onChange(() => changes++);
    for (let i = 0; i < 6; i++) c.add(firing(i), i);
    expect(c.list().map((a) => a.id)).toEqual(["r|m0", "r|m1", "r|m2", "r|m3", "r|m4", "r|m5"]);
    expect([...c.sessionsWith("badge")].sort()).toEqual(["s0", "s1", "s2"]);
    expect(c.ack({ alert_ids: ["r|m0", "nope"] }).map((a) => a.id)).toEqual(["r|m0"]);
    expect(c.ack({ session_id: "s1" }).map((a) => a.id)).toEqual(["r|m1", "r|m4"]);
    expect([...c.sessionsWith("badge")].sort()).toEqual(["s0", "s2"]);
    expect(c.sessionsWith("sound").size).toBe(0);
    expect(c.ack({ alert_ids: [] })).toEqual([]);
    const before = changes;
    c.ack({ all: true });
    expect(c.size).toBe(0);
    expect(changes).toBe(before + 1);
  });

  it("is bounded: the oldest alert goes first", () => {
    const c = createAlertCenter(3);
    for (let i = 0; i < 5; i++) c.add(firing(i), i);
    expect(c.list().map((a) => a.id)).toEqual(["r|m2", "r|m3", "r|m4"]);
  });

  it("says when a repeating sound is owed", () => {
    const c = createAlertCenter();
    c.add(firing(1, { actions: ["sound"], repeat_until_ack: false }), 1);
    expect(c.repeatingSound()).toBe(false);
    c.add(firing(2, { actions: ["sound"], repeat_until_ack: true }), 2);
    expect(c.repeatingSound()).toBe(true);
    c.ack({ alert_ids: ["r|m2"] });
    expect(c.repeatingSound()).toBe(false);
  });
});

describe("alert sound decisions", () => {
  function setup(now = 1000) {
    const calls: string[] = [];
    const api: SoundApi = {
      play: (r) => void calls.push(r ? "repeat" : "once"),
      stop: () => void calls.push("stop"),
    };
    let t = now;
    const sound = createAlertSound({ api, clock: () => t });
    return { calls, sound, setNow: (x: number) => (t = x) };
  }

  it("plays nothing until enabled", () => {
    const { calls, sound } = setup();
    sound.alert(false);
    expect(calls).toEqual([]);
    sound.setPrefs({ enabled: true, muted_until: null });
    sound.alert(false);
    expect(calls).toEqual(["once"]);
  });

  it("a mute lasts until its time, then sound plays again", () => {
    const { calls, sound, setNow } = setup(1000);
    sound.setPrefs({ enabled: true, muted_until: 5000 });
    expect(calls).toEqual(["stop"]);
    sound.alert(true);
    expect(sound.state()).toMatchObject({ muted_until: 5000 });
    setNow(5000);
    expect(sound.state().muted_until).toBeNull();
    sound.alert(false);
    expect(calls).toEqual(["stop", "once"]);
  });

  it("repeats until nothing owes it, and is not restarted while repeating", () => {
    const { calls, sound } = setup();
    sound.setPrefs({ enabled: true, muted_until: null });
    sound.alert(true);
    sound.alert(true);
    sound.alert(false);
    expect(calls).toEqual(["repeat"]);
    sound.settle(true);
    expect(calls).toEqual(["repeat"]);
    sound.settle(false);
    expect(calls).toEqual(["repeat", "stop"]);
    sound.report(true);
    expect(sound.state().playing).toBe(true);
  });

  it("without a player it says so", () => {
    const sound = createAlertSound({ api: null });
    sound.setPrefs({ enabled: true, muted_until: null });
    sound.alert(true);
    expect(sound.state()).toMatchObject({
      enabled: true,
      playing: false,
      detail: "This browser cannot play alert sounds.",
    });
  });
});

describe("WebAudio chime", () => {
  function fakeContext() {
    const started: number[] = [];
    const param = {
      value: 0,
      setValueAtTime() {},
      linearRampToValueAtTime() {},
      exponentialRampToValueAtTime() {},
    };
    const node = () => ({ connect: (n: unknown) => n ?? node() });
    const ctx = {
      state: "suspended",
      currentTime: 0,
      destination: {},
      resumed: 0,
      async resume() {
        this.resumed++;
        this.state = "running";
      },
      createOscillator: () => ({
        ...node(),
        type: "",
        frequency: { value: 0 },
        start: (t: number) => started.push(t),
        stop() {},
      }),
      createGain: () => ({ ...node(), gain: param }),
    };
    return { ctx, started };
  }

  it("plays a chime, reports playing, repeats until stopped", async () => {
    const { ctx, started } = fakeContext();
    const states: boolean[] = [];
    const beeper = createBeeper({
      createContext: () => ctx as unknown as AudioContext,
      onState: (p) => states.push(p),
      intervalMs: 5,
    });
    vi.useFakeTimers();
    try {
      await beeper.play(true);
      expect(ctx.resumed).toBe(1);
      expect(states).toEqual([true]);
      vi.advanceTimersByTime(30);
      expect(started.length).toBeGreaterThanOrEqual(4); // two notes per chime, repeated
      beeper.stop();
      expect(states).toEqual([true, false]);
      const after = started.length;
      vi.advanceTimersByTime(20);
      expect(started.length).toBe(after);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("reports why it cannot play", async () => {
    const states: [boolean, string | undefined][] = [];
    const beeper = createBeeper({
      createContext: () => {
        throw new Error("no audio device");
      },
      onState: (p, d) => states.push([p, d]),
    });
    await beeper.play(false);
    expect(states).toEqual([[false, "The alert sound could not play: no audio device"]]);
  });
});

describe("message validation", () => {
  it("sound messages", () => {
    expect(decodeToPlayer({ target: "lc-offscreen", type: "play", repeat: true })).toEqual({
      target: "lc-offscreen",
      type: "play",
      repeat: true,
    });
    expect(decodeToPlayer({ target: "lc-offscreen", type: "play" })).toBeNull();
    expect(decodeToPlayer({ target: "elsewhere", type: "stop" })).toBeNull();
    expect(decodeFromPlayer({ target: "lc-worker", type: "sound_state", playing: false })).not.toBeNull();
    expect(decodeFromPlayer({ target: "lc-worker", type: "sound_state", playing: "yes" })).toBeNull();
  });

  it("panel alert messages", () => {
    expect(decodePanelMessage({ type: "alert_ack", all: true }).ok).toBe(true);
    expect(decodePanelMessage({ type: "sound_prefs", enabled: true, muted_until: null }).ok).toBe(true);
    expect(decodePanelMessage({ type: "sound_prefs", enabled: true, muted_until: -5 }).ok).toBe(false);
    const bad = decodePanelMessage({
      type: "alert_rules",
      user_id: "u",
      rules: [
        {
          id: "r",
          name: "n",
          enabled: true,
          condition: { type: "latency_above", ms: -1 },
          actions: ["toast"],
        },
      ],
    });
    expect(bad).toMatchObject({ ok: false, error: { path: "rules.0.condition.ms" } });
  });
});
