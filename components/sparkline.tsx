import { useMemo } from "preact/hooks";
import { sparklinePath, sparklineSummary } from "@/utils/metrics-history/sparkline";

/** The drawing box: one point per column at most (the path is downsampled to it), stretched to the CSS size. */
const WIDTH = 48;
const HEIGHT = 14;

/**
 * A trend line for one metric, with its text alternative as the image's name
 * ("Active sessions, last hour: 12 → 18, rising"). Plain SVG, no library; the
 * path is recomputed only when the values change (a new sample), not on every render.
 */
export function Sparkline({
  name,
  values,
  format,
}: {
  name: string;
  values: readonly number[];
  format: (n: number) => string;
}) {
  const { path, end, summary } = useMemo(
    () => ({ ...sparklinePath(values, WIDTH, HEIGHT), summary: sparklineSummary(name, values, format) }),
    [values, name, format],
  );
  return (
    <svg
      class="sparkline"
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      data-points={values.length}
    >
      {path ? <path d={path} /> : null}
      {end ? <circle cx={end.x} cy={end.y} r="1.6" /> : null}
    </svg>
  );
}
