const INV_SQRT_2PI = 0.3989422804014327;
const RATIONAL_CUTOFF = 7.07106781186547;
const TAIL_CUTOFF = 37;

/** Standard normal density. */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * Standard normal CDF by Hart's 1968 double-precision approximation (West 2005), the same algorithm
 * as the Solidity library so that the two pricers agree to rounding. Error ~1e-15.
 */
export function normalCdf(x: number): number {
  const ax = Math.abs(x);
  let tail = 0;
  if (ax < TAIL_CUTOFF) {
    const gauss = Math.exp(-0.5 * ax * ax);
    if (ax < RATIONAL_CUTOFF) {
      let num = 0.0352624965998911 * ax + 0.700383064443688;
      num = num * ax + 6.37396220353165;
      num = num * ax + 33.912866078383;
      num = num * ax + 112.079291497871;
      num = num * ax + 221.213596169931;
      num = num * ax + 220.206867912376;
      let den = 0.0883883476483184 * ax + 1.75566716318264;
      den = den * ax + 16.064177579207;
      den = den * ax + 86.7807322029461;
      den = den * ax + 296.564248779674;
      den = den * ax + 637.333633378831;
      den = den * ax + 793.826512519948;
      den = den * ax + 440.413735824752;
      tail = (gauss * num) / den;
    } else {
      let frac = ax + 0.65;
      frac = ax + 4 / frac;
      frac = ax + 3 / frac;
      frac = ax + 2 / frac;
      frac = ax + 1 / frac;
      tail = (gauss * INV_SQRT_2PI) / frac;
    }
  }
  return x > 0 ? 1 - tail : tail;
}
