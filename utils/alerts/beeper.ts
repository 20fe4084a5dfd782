/**
 * The alert sound, made with WebAudio (no audio files): a short two-tone
 * chime, played once or every `intervalMs` until stopped. Runs wherever an
 * AudioContext exists — Chrome's offscreen document, Firefox's background
 * page. Reports whether it is playing through `onState`.
 */

export interface Beeper {
  play(repeat: boolean): Promise<void>;
  stop(): void;
  readonly playing: boolean;
}

export interface BeeperOptions {
  createContext?: () => AudioContext;
  onState?: (playing: boolean, detail?: string) => void;
  intervalMs?: number;
  volume?: number;
}

/** The chime: two notes, falling, ~0.45 s in all. */
const NOTES = [
  { hz: 880, at: 0, len: 0.18 },
  { hz: 660, at: 0.22, len: 0.22 },
];
const CHIME_MS = 500;

export function createBeeper(opts: BeeperOptions = {}): Beeper {
  const intervalMs = opts.intervalMs ?? 2000;
  const volume = opts.volume ?? 0.25;
  let ctx: AudioContext | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let playing = false;

  function chime(c: AudioContext): void {
    const t0 = c.currentTime + 0.02;
    for (const n of NOTES) {
      const osc = c.createOscillator();
      const gain = c.createGain();
      osc.type = "sine";
      osc.frequency.value = n.hz;
      // A soft attack and decay: no clicks.
      gain.gain.setValueAtTime(0, t0 + n.at);
      gain.gain.linearRampToValueAtTime(volume, t0 + n.at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n.at + n.len);
      osc.connect(gain).connect(c.destination);
      osc.start(t0 + n.at);
      osc.stop(t0 + n.at + n.len + 0.02);
    }
  }

  function setPlaying(next: boolean, detail?: string): void {
    playing = next;
    opts.onState?.(next, detail);
  }

  function stop(): void {
    clearTimeout(timer);
    timer = undefined;
    if (playing) setPlaying(false);
  }

  return {
    async play(repeat) {
      clearTimeout(timer);
      timer = undefined;
      try {
        ctx ??= (opts.createContext ?? (() => new AudioContext()))();
        if (ctx.state === "suspended") await ctx.resume();
      } catch (e) {
        setPlaying(false, `The alert sound could not play: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      const c = ctx;
      const loop = () => {
        chime(c);
        timer = setTimeout(repeat ? loop : stop, repeat ? intervalMs : CHIME_MS);
      };
      setPlaying(true);
      loop();
    },
    stop,
    get playing() {
      return playing;
    },
  };
}
