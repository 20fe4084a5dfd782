/** Figures over lists of numbers, shared by the org metrics and the simulated AI's usage totals. */

/** Nearest-rank percentile of a list of numbers (0 for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? 0;
}
