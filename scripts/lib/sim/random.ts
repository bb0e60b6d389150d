/** A seeded PRNG (mulberry32): the same seed gives the same flow, run after run. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

/** A geometric Brownian motion path of `steps` prices, `dtSeconds` apart, annual vol `sigma`. */
export function pricePath(random: Random, start: number, steps: number, dtSeconds: number, sigma: number): number[] {
  const dt = dtSeconds / (365 * 86_400);
  const path = [start];
  for (let i = 0; i < steps; i++) {
    const z = random.normal();
    path.push(path[i]! * Math.exp(sigma * Math.sqrt(dt) * z - 0.5 * sigma * sigma * dt));
  }
  return path;
}

/** Exponential with rate `lambda` (mean 1/lambda), by inversion; `lambda` must be positive. */
export function exponential(random: Random, lambda: number): number {
  return -Math.log(1 - random.next()) / lambda;
}

/**
 * Poisson count with mean `mean` (Knuth's product of uniforms). Meant for the small means of jump counts per
 * step; zero mean draws nothing from `random`, so a world without jumps keeps the same stream as before.
 */
export function poisson(random: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  const limit = Math.exp(-mean);
  let k = 0;
  let product = random.next();
  while (product > limit) {
    k++;
    product *= random.next();
  }
  return k;
}
