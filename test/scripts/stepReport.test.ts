import { expect } from "chai";
import { diffSteps, parseSteps, stepTable } from "../../scripts/lib/stepReport.js";
import { QUOTE_STEPS, StepClock } from "../../solver/engine/stepClock.js";

/** A /metrics page with the step histogram: `price` observed `n` times, `slow` of them over 10 ms. */
function page(n: number, slow: number, sum: number): string {
  const les = ["0.001", "0.01", "0.1", "+Inf"];
  const counts = [n - slow, n - slow, n, n];
  return [
    "# HELP internalizer_quote_step_seconds Time a quote request spends in each step",
    ...les.map((le, i) => `internalizer_quote_step_seconds_bucket{le="${le}",step="price"} ${counts[i]}`),
    `internalizer_quote_step_seconds_sum{step="price"} ${sum}`,
    `internalizer_quote_step_seconds_count{step="price"} ${n}`,
    "nodejs_eventloop_lag_p99_seconds 0.002",
  ].join("\n");
}

describe("the bench's per-step report", () => {
  it("reads the step histogram from /metrics and subtracts the warm-up", () => {
    const run = diffSteps(parseSteps(page(1_100, 10, 1.5)), parseSteps(page(100, 0, 0.05)));
    const price = run.get("price")!;
    expect(price.count).to.equal(1_000);
    expect(Math.abs(price.sum - 1.45)).to.be.lessThan(1e-9);
    expect(price.buckets.get(0.01)).to.equal(990);
  });

  it("prints each step's count, mean, p50 and p99 bounds, requests over 10 ms and share of the time", () => {
    const table = stepTable(diffSteps(parseSteps(page(1_100, 20, 1.5)), new Map()), QUOTE_STEPS);
    const row = table.split("\n").find((l) => l.startsWith("price"))!;
    expect(row.split(/\s+/)).to.deep.equal(["price", "1100", "1.364", "≤1", "≤100", "20", "100.0%"]);
    // 10 slow of 1,100 is under 1%: the p99 bound stays at the fast bucket.
    const fewSlow = stepTable(diffSteps(parseSteps(page(1_100, 10, 1.5)), new Map()), QUOTE_STEPS);
    expect(fewSlow.split("\n")[1]!.split(/\s+/)[4]).to.equal("≤1");
  });

  it("charges the time between laps to each step, and a repeated step adds up", async () => {
    const clock = new StepClock(performance.now() - 5);
    clock.lap("queue");
    clock.lap("price");
    await new Promise((r) => setTimeout(r, 15));
    clock.lap("route");
    clock.lap("price");
    expect(clock.laps.get("queue")).to.be.at.least(5);
    expect(clock.laps.get("route")).to.be.at.least(14);
    expect([...clock.laps.keys()]).to.deep.equal(["queue", "price", "route"]);
  });
});
