/**
 * vitest globalSetup: clears the fault figures before the run and prints
 * them as a table after it (also written to `faults/results.json` under
 * `npm run test:faults`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type Figure, figuresFile } from "./figures.ts";

export function setup(): void {
  // One file per run: test workers (started after this) inherit the variable.
  process.env.LC_FAULTS_FIGURES = resolve(import.meta.dirname, `../../.faults/figures-${process.pid}.jsonl`);
  rmSync(figuresFile(), { force: true });
}

export function teardown(): void {
  const file = figuresFile();
  if (!existsSync(file)) return;
  const text = readFileSync(file, "utf8");
  rmSync(file, { force: true });
  const rows = text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Figure & { full: boolean })
    .sort((a, b) => a.item - b.item);
  if (rows.length === 0) return;
  const full = rows.every((r) => r.full);
  const head = ["#", "figure", "measured", "target", ""];
  const body = rows.map((r) => [String(r.item), r.what, r.value, r.target, r.ok ? "ok" : "MISSED"]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ");
  const out = [
    "",
    `Fault suite figures (${full ? "full sizes: npm run test:faults" : "fast part, scaled down: npm test"})`,
    line(head),
    widths.map((w) => "-".repeat(w)).join("-|-"),
    ...body.map(line),
    "",
  ].join("\n");
  process.stdout.write(out);
  if (full) {
    const dir = resolve(import.meta.dirname, "../../faults");
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, "results.json"), `${JSON.stringify(rows, null, 2)}\n`);
  }
}
