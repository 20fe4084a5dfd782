/**
 * vitest globalSetup: clears the fault figures before the run and prints
 * them as a table after it (also written to `faults/results.json` under
 * `npm run test:faults`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { FIGURES_FILE, type Figure } from "./figures.ts";

export function setup(): void {
  rmSync(FIGURES_FILE, { force: true });
}

export function teardown(): void {
  if (!existsSync(FIGURES_FILE)) return;
  const rows = readFileSync(FIGURES_FILE, "utf8")
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
