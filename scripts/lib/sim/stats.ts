/** A figure across seeds: its mean, the 95% confidence interval of the mean, and the spread of the seeds. */
export interface Interval {
  mean: number;
  lo: number;
  hi: number;
  stdev: number;
  n: number;
}

/** Two-sided 95% quantiles of Student's t by degrees of freedom (1..30); beyond 30, the normal's 1.96. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The mean of `xs` with a t-based 95% interval (the seeds are independent draws of the same regime). */
export function interval(xs: readonly number[]): Interval {
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN, stdev: Number.NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const stdev = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? (T95[n - 2] ?? 1.96) * (stdev / Math.sqrt(n)) : 0;
  return { mean: round(mean), lo: round(mean - half), hi: round(mean + half), stdev: round(stdev), n };
}

/** `mean ± half-width` for a table cell. */
export function cell(i: Interval, digits = 2): string {
  if (!Number.isFinite(i.mean)) return "–";
  const half = (i.hi - i.lo) / 2;
  return i.n > 1 ? `${i.mean.toFixed(digits)} ± ${half.toFixed(digits)}` : i.mean.toFixed(digits);
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
