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

/** This run's figures file: set per run by `report.ts` (so runs side by side do not mix), else a shared default. */
export const figuresFile = (): string =>
  process.env.LC_FAULTS_FIGURES ?? resolve(import.meta.dirname, "../../.faults/figures.jsonl");

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
  const file = figuresFile();
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ ...f, full: FULL })}\n`);
}
