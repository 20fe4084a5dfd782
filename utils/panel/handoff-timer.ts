/**
 * The waiting timer of a session whose AI asked for a human: how long it has
 * waited, in words, and its colour against the supervisor's thresholds
 * (settings: amber after `handoffAmberSec`, red after `handoffRedSec`). Pure:
 * the card computes it from the panel's one shared clock signal.
 */
import { formatElapsed } from "../format";

export interface HandoffThresholds {
  amberMs: number;
  redMs: number;
}

export const DEFAULT_HANDOFF_THRESHOLDS: HandoffThresholds = { amberMs: 60_000, redMs: 180_000 };

export type WaitLevel = "waiting" | "amber" | "red";

export interface WaitTimer {
  elapsedMs: number;
  level: WaitLevel;
  /** "waiting 1:23" */
  text: string;
}

export function waitTimer(requestedAt: string, now: number, th: HandoffThresholds): WaitTimer {
  const at = Date.parse(requestedAt);
  const elapsedMs = Number.isNaN(at) ? 0 : Math.max(0, now - at);
  const red = Math.max(th.redMs, th.amberMs);
  const level: WaitLevel = elapsedMs >= red ? "red" : elapsedMs >= th.amberMs ? "amber" : "waiting";
  return { elapsedMs, level, text: `waiting ${formatElapsed(elapsedMs)}` };
}

/** Thresholds from the stored settings' seconds (defaults for anything missing). */
export function thresholdsFromSettings(s: {
  handoffAmberSec?: number;
  handoffRedSec?: number;
}): HandoffThresholds {
  return {
    amberMs: (s.handoffAmberSec ?? DEFAULT_HANDOFF_THRESHOLDS.amberMs / 1000) * 1000,
    redMs: (s.handoffRedSec ?? DEFAULT_HANDOFF_THRESHOLDS.redMs / 1000) * 1000,
  };
}
