/** One step's histogram as Prometheus exposes it: cumulative bucket counts by upper bound, sum and count. */
interface StepHistogram {
  buckets: Map<number, number>;
  sum: number;
  count: number;
}

const METRIC = "internalizer_quote_step_seconds";

/** Reads the per-step quote histogram out of a /metrics page. */
export function parseSteps(text: string): Map<string, StepHistogram> {
  const out = new Map<string, StepHistogram>();
  const of = (step: string) => {
    const h = out.get(step) ?? { buckets: new Map(), sum: 0, count: 0 };
    out.set(step, h);
    return h;
  };
  for (const line of text.split("\n")) {
    const m = new RegExp(`^${METRIC}_(bucket|sum|count)\\{([^}]*)\\} (\\S+)$`).exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const h = of(labels.step ?? "?");
    const value = Number(m[3]);
    if (m[1] === "bucket") h.buckets.set(labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(labels.le), value);
    else if (m[1] === "sum") h.sum = value;
    else h.count = value;
  }
  return out;
}

/** `after − before`: the requests of one run, without the warm-up's. */
export function diffSteps(after: Map<string, StepHistogram>, before: Map<string, StepHistogram>) {
  const out = new Map<string, StepHistogram>();
  for (const [step, a] of after) {
    const b = before.get(step);
    const buckets = new Map([...a.buckets].map(([le, n]) => [le, n - (b?.buckets.get(le) ?? 0)]));
    out.set(step, { buckets, sum: a.sum - (b?.sum ?? 0), count: a.count - (b?.count ?? 0) });
  }
  return out;
}

/** The bucket bound at or under which a fraction `q` of the step's observations fall, in ms. */
function quantileMs(h: StepHistogram, q: number): number {
  const target = q * h.count;
  for (const [le, n] of [...h.buckets].sort((x, y) => x[0] - y[0])) if (n >= target) return le * 1000;
  return Number.POSITIVE_INFINITY;
}

/** One row per step: requests, mean, p50 and p99 (bucket bounds), share of all the time spent in steps. */
export function stepTable(steps: Map<string, StepHistogram>, order: readonly string[]): string {
  const total = [...steps.values()].reduce((a, h) => a + h.sum, 0) || 1;
  const rows = order
    .filter((s) => steps.get(s)?.count)
    .map((s) => {
      const h = steps.get(s)!;
      const slow = h.count - (h.buckets.get(0.01) ?? h.count);
      return [
        s.padEnd(9),
        String(h.count).padStart(7),
        ((h.sum / h.count) * 1000).toFixed(3).padStart(9),
        `≤${quantileMs(h, 0.5)}`.padStart(8),
        `≤${quantileMs(h, 0.99)}`.padStart(8),
        String(slow).padStart(7),
        `${((h.sum / total) * 100).toFixed(1)}%`.padStart(7),
      ].join(" ");
    });
  return ["step      requests   mean ms   p50 ms   p99 ms  >10 ms   share", ...rows].join("\n");
}
