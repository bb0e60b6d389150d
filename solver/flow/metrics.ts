/** How good a probability forecast of a yes/no label is: ranking (AUC) and calibration (Brier, ECE). */

/**
 * Area under the ROC curve: the chance that a random positive scores above a random negative, ties
 * counting one half (the Mann-Whitney U over average ranks). NaN without both a positive and a negative.
 */
export function auc(scores: readonly number[], labels: readonly boolean[]): number {
  if (scores.length !== labels.length) throw new RangeError("scores and labels differ in length");
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    // Ranks i+1..j+1 are tied: each gets their average.
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!]) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared error of the probabilities against the 0/1 labels (0 is perfect, 0.25 a coin). */
export function brier(probs: readonly number[], labels: readonly boolean[]): number {
  if (probs.length !== labels.length) throw new RangeError("probs and labels differ in length");
  if (probs.length === 0) return Number.NaN;
  return probs.reduce((sum, p, i) => sum + (p - (labels[i] ? 1 : 0)) ** 2, 0) / probs.length;
}

/** One reliability bin: forecasts in [lo, hi), the last bin closed at 1. */
export interface ReliabilityBin {
  lo: number;
  hi: number;
  n: number;
  /** Mean forecast in the bin (NaN when empty). */
  predicted: number;
  /** Share of positives in the bin (NaN when empty). */
  observed: number;
}

/** Forecasts grouped into `bins` equal-width bins of probability, with their mean forecast and hit rate. */
export function reliability(probs: readonly number[], labels: readonly boolean[], bins = 10): ReliabilityBin[] {
  if (probs.length !== labels.length) throw new RangeError("probs and labels differ in length");
  const sums = Array.from({ length: bins }, () => ({ n: 0, p: 0, y: 0 }));
  probs.forEach((p, i) => {
    const b = sums[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))]!;
    b.n++;
    b.p += p;
    b.y += labels[i] ? 1 : 0;
  });
  return sums.map((s, k) => ({
    lo: k / bins,
    hi: (k + 1) / bins,
    n: s.n,
    predicted: s.n > 0 ? s.p / s.n : Number.NaN,
    observed: s.n > 0 ? s.y / s.n : Number.NaN,
  }));
}

/** Expected calibration error: the bins' |mean forecast − hit rate|, weighted by their share of forecasts. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number {
  const total = bins.reduce((sum, b) => sum + b.n, 0);
  if (total === 0) return Number.NaN;
  return bins.reduce((sum, b) => (b.n > 0 ? sum + (b.n / total) * Math.abs(b.predicted - b.observed) : sum), 0);
}
