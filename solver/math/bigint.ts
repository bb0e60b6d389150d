/** The smaller of two bigints (Math.min does not take bigints). */
export function minBigInt(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** The larger of two bigints. */
export function maxBigInt(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
