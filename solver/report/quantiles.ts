/** Whole seconds of chain time, sorted ascending (a copy: the input stays as it is). */
function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The median: the middle value, or the mean of the two middle values of an even count; null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The 95th percentile by nearest rank: the smallest value with at least 95% of the values at or below it, the
 * ceil(0.95 n)-th smallest (an observed value, never an interpolation); null when empty.
 */
export function p95(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const rank = Math.floor((95 * values.length + 99) / 100);
  return sorted(values)[rank - 1]!;
}
