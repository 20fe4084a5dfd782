/**
 * The polling fallback: GET /v1/events after the cursor every interval (at
 * once again while pages come back full), GET /v1/snapshot when there is no
 * cursor, when the server answers 409 SNAPSHOT_REQUIRED or when the stream
 * asks for one. Everything it fetches is handed on as ordinary server frames,
 * so it goes through the same sequencer and dedup path as the socket.
 */
import { type DecodeError, decodeServerFrames, type SingleServerFrame } from "../protocol";
import type { Cursor } from "../store/sequencer";
import { type GatewayHttp, GatewayHttpError } from "./http-client";

export const POLL_LIMIT = 500;

export interface PollerOptions {
  http: GatewayHttp;
  intervalMs: number;
  cursor(): Cursor | null;
  needsSnapshot(): boolean;
  frame(frame: SingleServerFrame): void;
  rejected(error: DecodeError): void;
  /** Each poll's outcome: null when it worked. */
  outcome(error: GatewayHttpError | null): void;
}

export interface Poller {
  start(): void;
  /** Poll as soon as possible (a replay or snapshot is wanted). */
  kick(): void;
  stop(): void;
  readonly running: boolean;
}

export function createPoller(opts: PollerOptions): Poller {
  let running = false;
  /** Generation of the poll in flight, -1 when none. */
  let busy = -1;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  async function snapshot(gen: number): Promise<void> {
    const snap = await opts.http.snapshot();
    if (gen !== generation) return;
    opts.frame({ ...snap, type: "snapshot" });
  }

  async function tick(): Promise<boolean> {
    const gen = generation;
    const cursor = opts.cursor();
    if (!cursor || opts.needsSnapshot()) {
      await snapshot(gen);
      return false;
    }
    try {
      const page = await opts.http.events(cursor.epoch, cursor.seq, POLL_LIMIT);
      if (gen !== generation) return false;
      for (const raw of page.events) {
        for (const d of decodeServerFrames(raw)) {
          if (d.ok) opts.frame(d.value);
          else opts.rejected(d.error);
        }
      }
      return page.events.length >= POLL_LIMIT;
    } catch (e) {
      if (e instanceof GatewayHttpError && e.status === 409) {
        await snapshot(gen);
        return false;
      }
      throw e;
    }
  }

  async function run(): Promise<void> {
    const gen = generation;
    if (busy === gen) {
      again = true;
      return;
    }
    busy = gen;
    let more = false;
    try {
      more = await tick();
      if (gen === generation) opts.outcome(null);
    } catch (e) {
      if (gen === generation)
        opts.outcome(e instanceof GatewayHttpError ? e : new GatewayHttpError("unreachable", String(e)));
    } finally {
      if (busy === gen) busy = -1;
    }
    if (!running || gen !== generation) return;
    if (more || again) {
      again = false;
      void run();
    } else {
      timer = setTimeout(() => void run(), opts.intervalMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      generation++;
      void run();
    },
    kick() {
      if (!running) return;
      clearTimeout(timer);
      void run();
    },
    stop() {
      running = false;
      generation++;
      again = false;
      clearTimeout(timer);
    },
    get running() {
      return running;
    },
  };
}
