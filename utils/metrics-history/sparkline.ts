/**
 * What a sparkline draws and says: an SVG path through the values (at most one
 * point per pixel column, each the mean of its column's values, scaled to the
 * series' own min..max; a flat series runs through the middle) and its text
 * alternative ("Active sessions, last hour: 12 → 18, rising").
 */

export interface SparklineGeometry {
  /** The `d` of an SVG path; "" without values. */
  path: string;
  /** The last point (where the dot goes), or null without values. */
  end: { x: number; y: number } | null;
}

/** Rounded to 0.1 px: short paths, no visible difference. */
const r = (n: number) => Math.round(n * 10) / 10;

/** Means of consecutive slices so that at most `columns` values remain (the order kept). */
export function downsample(values: readonly number[], columns: number): number[] {
  const n = values.length;
  const cols = Math.max(1, Math.floor(columns));
  if (n <= cols) return values.slice();
  const out: number[] = [];
  for (let c = 0; c < cols; c++) {
    const from = Math.floor((c * n) / cols);
    const to = Math.floor(((c + 1) * n) / cols);
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i] as number;
    out.push(sum / (to - from));
  }
  return out;
}

/** The path for `values` in a `width` × `height` box, with `pad` px kept free top and bottom for the stroke. */
export function sparklinePath(
  values: readonly number[],
  width: number,
  height: number,
  pad = 1.5,
): SparklineGeometry {
  const finite = values.filter((x) => Number.isFinite(x));
  const pts = downsample(finite, width);
  if (pts.length === 0) return { path: "", end: null };
  const min = Math.min(...pts);
  const max = Math.max(...pts);
  const span = max - min;
  const inner = height - 2 * pad;
  const y = (val: number) => r(span === 0 ? height / 2 : pad + inner - ((val - min) / span) * inner);
  const x = (i: number) => r(pts.length === 1 ? width : (i / (pts.length - 1)) * width);
  // A single point is drawn as a short flat stroke ending at the right edge.
  const coords = pts.length === 1 ? [{ x: 0, y: y(pts[0] as number) }] : [];
  pts.forEach((val, i) => {
    coords.push({ x: x(i), y: y(val) });
  });
  const path = coords.map((p, i) => `${i === 0 ? "M" : "L"}${p.x},${p.y}`).join("");
  return { path, end: coords[coords.length - 1] ?? null };
}

export type Trend = "rising" | "falling" | "steady";

/** Rising or falling when the first and last figures differ as shown; steady when they read the same. */
export function trendOf(values: readonly number[], format: (n: number) => string): Trend | null {
  if (values.length < 2) return null;
  const first = values[0] as number;
  const last = values[values.length - 1] as number;
  if (format(first) === format(last)) return "steady";
  return last > first ? "rising" : "falling";
}

/** "Active sessions, last hour: 12 → 18, rising"; "…: 12 so far" with one sample; "…: no data yet". */
export function sparklineSummary(
  name: string,
  values: readonly number[],
  format: (n: number) => string,
): string {
  const head = `${name}, last hour:`;
  if (values.length === 0) return `${head} no data yet`;
  const first = format(values[0] as number);
  if (values.length === 1) return `${head} ${first} so far`;
  const last = format(values[values.length - 1] as number);
  return `${head} ${first} → ${last}, ${trendOf(values, format)}`;
}
