/**
 * Figures of the fault suite (issue #9). Each fault test records what it
 * measured; `tests/faults/report.ts` (a vitest globalSetup) prints them as one
 * table when the run ends and writes `faults/results.json`.
 *
 * `FULL` is true under `npm run test:faults`: tests then use the sizes the
 * issue names. Inside `npm test` they run scaled down (the "fast part").
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

export const FULL = process.env.LC_FAULTS === "full";

/** Pick the full size under `npm run test:faults`, the small one in `npm test`. */
export const scale = (full: number, fast: number): number => (FULL ? full : fast);

export const FIGURES_FILE = resolve(import.meta.dirname, "../../.faults/figures.jsonl");

export interface Figure {
  /** Item number in issue #9 (1–15). */
  item: number;
  /** What was measured, e.g. "lost / duplicated / reordered events". */
  what: string;
  /** The measured value, as printed. */
  value: string;
  /** The target, as printed. */
  target: string;
  ok: boolean;
}

export function recordFigure(f: Figure): void {
  mkdirSync(dirname(FIGURES_FILE), { recursive: true });
  appendFileSync(FIGURES_FILE, `${JSON.stringify({ ...f, full: FULL })}\n`);
}
