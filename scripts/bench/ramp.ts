/**
 * The throughput ramp of the raw limit and of sustained ingest: raise the rate
 * until the receiver falls behind, then hold the best rate. A receiver that
 * fell behind is drained before the next step; one that stops draining (the
 * gateway closed it as a slow consumer, or it is hopelessly behind) is started
 * afresh. The result is the best rate actually held, never 0: when the first
 * step is not held the ramp steps down until one is, and when no long hold
 * succeeds it reports the best short step and says so.
 */
import type { LoadGenerator } from "../../gateway/load/load.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`  · ${msg}\n`);

export interface RampStep {
  rate: number;
  seconds: number;
  /** Events/s the generator actually emitted. */
  emitted: number;
  /** Events/s the receiver applied. */
  received: number;
  lagStart: number;
  lagEnd: number;
  ok: boolean;
}

export interface RampResult {
  /** Best rate held (events/s actually emitted and received, no growing backlog); NaN when no step held at all. */
  sustained: number;
  /** The hold that gave `sustained`, or null when only a ramp step did (see `note`). */
  held: RampStep | null;
  steps: RampStep[];
  /** Times the receiver was started afresh because it stopped draining. */
  resets: number;
  /** What happened, in words (printed, and kept in results.json). */
  note: string;
}

export interface RampOptions {
  load: LoadGenerator;
  emittedSeq: () => number;
  /** The receiver's applied count (seq). */
  received: () => Promise<number>;
  /** Any further backlog (the panel's, for the pipeline). */
  extraLag?: () => Promise<number>;
  /** Starts the receiver afresh (a new connection: it resumes at the gateway's newest seq). */
  reset?: () => Promise<void>;
  /** False once the receiver's connection is closed (the gateway drops a slow consumer): then `reset`. */
  alive?: () => Promise<boolean>;
  startRate: number;
  factor: number;
  maxRate: number;
  stepSec: number;
  holdSec: number;
  label: string;
  /** Lowest rate tried when stepping down (default 500/s). */
  minRate?: number;
  /** With `reset`: a backlog that has not shrunk for this long is stuck, the receiver is started afresh (default 5 s). */
  stallMs?: number;
}

/** Not held: the receiver keeps within half a second of the emitter, its backlog does not grow, and the generator kept up. */
const held = (s: Omit<RampStep, "ok">) =>
  s.lagEnd <= s.rate * 0.5 + 1000 &&
  s.lagEnd - s.lagStart <= s.rate * 0.25 + 500 &&
  s.emitted >= s.rate * 0.9;

const rateOf = (s: RampStep) => Math.min(s.emitted, s.received);
/** A backlog this small that stays put counts as drained. */
const SETTLED_LAG = 1000;

export async function ramp(opts: RampOptions): Promise<RampResult> {
  const steps: RampStep[] = [];
  const minRate = opts.minRate ?? 500;
  const stallMs = opts.stallMs ?? 5000;
  let resets = 0;
  const lag = async () => {
    const r = await opts.received();
    const extra = opts.extraLag ? await opts.extraLag() : 0;
    return Math.max(opts.emittedSeq() - r, extra);
  };

  /**
   * Load off until the backlog is gone. A receiver that is closed, or (with `reset`) stuck for `stallMs`, is
   * started afresh (3 times at most). A small backlog that stays put for 2 s counts as drained (the panel's
   * newest mark can belong to a session off screen); one that makes no progress for 30 s, or is not drained
   * in 120 s, is left as it is.
   */
  async function drain(): Promise<void> {
    opts.load.setRate(0);
    const deadline = Date.now() + 120_000;
    let low = Number.POSITIVE_INFINITY;
    let lowAt = Date.now();
    let tries = 0;
    const afresh = async (why: string) => {
      log(`${opts.label}: ${why}: starting it afresh`);
      tries++;
      resets++;
      await opts.reset?.();
      low = Number.POSITIVE_INFINITY;
      lowAt = Date.now();
    };
    for (;;) {
      if (opts.reset && opts.alive && tries < 3 && !(await opts.alive())) {
        await afresh("closed by the gateway");
        continue;
      }
      const l = await lag();
      if (l <= 0) return;
      if (l < low) {
        low = l;
        lowAt = Date.now();
      }
      const still = Date.now() - lowAt;
      if (l <= SETTLED_LAG && still > 2000) return;
      if (opts.reset && tries < 3 && still > stallMs) {
        await afresh(`stuck ${l} behind for ${stallMs / 1000} s`);
        continue;
      }
      if (Date.now() > deadline || still > 30_000) {
        log(`${opts.label}: still ${l} behind, not draining; going on`);
        return;
      }
      await sleep(100);
    }
  }

  async function step(rate: number, seconds: number): Promise<RampStep> {
    await drain();
    opts.load.setRate(rate);
    await sleep(Math.min(2000, (seconds * 1000) / 5));
    const t0 = Date.now();
    const e0 = opts.emittedSeq();
    const r0 = await opts.received();
    const lagStart = await lag();
    await sleep(seconds * 1000);
    const dt = (Date.now() - t0) / 1000;
    const e1 = opts.emittedSeq();
    const r1 = await opts.received();
    const lagEnd = await lag();
    const m = { rate, seconds, emitted: (e1 - e0) / dt, received: (r1 - r0) / dt, lagStart, lagEnd };
    const s: RampStep = { ...m, ok: held(m) };
    log(
      `${opts.label}: ${rate}/s for ${seconds} s → emitted ${s.emitted.toFixed(0)}/s, applied ${s.received.toFixed(0)}/s, backlog ${lagStart}→${lagEnd} ${s.ok ? "ok" : "behind"}`,
    );
    steps.push(s);
    return s;
  }

  const notes: string[] = [];
  // Up until a step is not held.
  let best: RampStep | null = null;
  for (let rate = opts.startRate; rate <= opts.maxRate; rate = Math.round(rate * opts.factor)) {
    const s = await step(rate, opts.stepSec);
    if (!s.ok) {
      if (best) notes.push(`held up to ${best.rate}/s in ${opts.stepSec} s steps, behind at ${rate}/s`);
      break;
    }
    best = s;
  }
  // The first step was not held: down until one is.
  if (!best) {
    for (let rate = Math.round(opts.startRate * 0.7); rate >= minRate; rate = Math.round(rate * 0.7)) {
      const s = await step(rate, opts.stepSec);
      if (s.ok) {
        best = s;
        notes.push(`behind at the first step (${opts.startRate}/s); stepped down to ${rate}/s, held`);
        break;
      }
    }
  }
  // Hold the best rate; down by 15 % per try while it is not held.
  let hold: RampStep | null = null;
  if (best) {
    for (
      let rate = best.rate, tries = 0;
      tries < 4 && rate >= minRate;
      tries++, rate = Math.round(rate * 0.85)
    ) {
      const s = await step(rate, opts.holdSec);
      if (s.ok) {
        hold = s;
        break;
      }
    }
  }
  await drain();
  let sustained = Number.NaN;
  if (hold) {
    sustained = rateOf(hold);
    notes.push(`held ${hold.rate}/s for ${opts.holdSec} s`);
  } else if (best) {
    sustained = rateOf(best);
    notes.push(
      `no ${opts.holdSec} s hold succeeded: reporting the best ${opts.stepSec} s step (${best.rate}/s)`,
    );
  } else notes.push(`no rate held, down to ${minRate}/s`);
  if (resets > 0) notes.push(`the receiver was started afresh ${resets}×`);
  const note = notes.join("; ");
  log(`${opts.label}: ${Number.isFinite(sustained) ? `${sustained.toFixed(0)}/s` : "n/a"} (${note})`);
  return { sustained, held: hold, steps, resets, note };
}
