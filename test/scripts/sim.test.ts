import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect } from "chai";
import { parseSimArgs } from "../../scripts/lib/sim/args.js";
import { runSim } from "../../scripts/lib/sim/runSim.js";
import { scenarioParams } from "../../scripts/lib/sim/scenarios.js";
import { interval } from "../../scripts/lib/sim/stats.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** `npm run sim` as a user runs it (without the build step, which the test run has done). */
function sim(args: string[]) {
  const out = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "scripts", "sim.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "--disable-warning=ExperimentalWarning" },
  });
  const last = out.stdout.trim().split("\n").at(-1) ?? "";
  return { status: out.status, stderr: out.stderr, json: out.status === 0 ? JSON.parse(last) : null };
}

describe("flow simulation", function () {
  this.timeout(300_000);

  it("replays the same seed to the same figures, run after run", async () => {
    const params = scenarioParams("sybil", { requests: 24 });
    const a = await runSim({ seed: 7, params, variant: "router" });
    const b = await runSim({ seed: 7, params, variant: "router" });
    expect(a).to.deep.equal(b);
    expect(a.fills + a.declines + a.skipped + a.passed).to.equal(24);
    expect(a.bestExViolations).to.equal(0);
    expect(a.limitBreaches).to.equal(0);
  });

  it("splits the solver's PnL into the spread the flow paid and the book's PnL, to the cent", async () => {
    const r = await runSim({ seed: 3, params: scenarioParams("calm", { requests: 30 }), variant: "router" });
    expect(r.spreadPnl).to.not.equal(0);
    expect(Math.abs(r.spreadPnl + r.bookPnl - r.solverPnl)).to.be.at.most(0.011);
    // The markout-adjusted PnL is the same spread plus the markouts.
    expect(Math.abs(r.spreadPnl + r.markoutPnl - r.markoutAdjustedPnl)).to.be.at.most(0.011);
  });

  it("smoke: a short stress run over two seeds prints each figure's mean and 95% interval for every policy", () => {
    const { status, stderr, json } = sim(["--scenario", "stress", "--seeds", "1..2", "--requests", "30"]);
    expect(status, stderr).to.equal(0);
    expect(json.scenario).to.equal("stress");
    expect(json.seeds).to.deep.equal({ from: 1, to: 2, n: 2 });
    expect(Object.keys(json.variants)).to.have.members([
      "router",
      "routerNoHedge",
      "routerNoFlow",
      "alwaysAmm",
      "alwaysInternal",
    ]);
    for (const key of ["internalizedShare", "solverPnl", "pnlStdev", "hedgeCost", "informedInternalizedShare"]) {
      expect(json[key]).to.have.keys(["mean", "lo", "hi", "stdev", "n"]);
      expect(json[key].lo).to.be.at.most(json[key].hi);
    }
    for (const v of Object.values(json.variants) as Array<Record<string, { mean: number }>>) {
      expect(v.bestExViolations!.mean).to.equal(0);
      expect(v.limitBreaches!.mean).to.equal(0);
    }
    expect(json.baselines.alwaysAmm.internalizedShare.mean).to.equal(0);
    expect(json.userCost.mean).to.be.at.most(json.userCostAtAmm.mean);
  });

  it("smoke: one seed and no scenario keeps the single-run keys of earlier versions", () => {
    const { status, stderr, json } = sim(["--seed", "3", "--requests", "20"]);
    expect(status, stderr).to.equal(0);
    for (const key of [
      "internalizedShare",
      "avgPriceImprovementBps",
      "bestExViolations",
      "solverPnl",
      "markoutPnl",
      "markoutAdjustedPnl",
      "limitBreaches",
      "pnlStdev",
      "hedgeCost",
      "informedInternalizedShare",
      "noiseInternalizedShare",
    ]) {
      expect(json[key], key).to.be.a("number");
    }
    expect(json.baselines.alwaysAmm.internalizedShare).to.equal(0);
    expect(json.baselines.alwaysInternalize).to.have.property("markoutAdjustedPnl");
  });

  it("refuses bad arguments with every problem named, before running anything", () => {
    expect(() => parseSimArgs(["--seeds", "5..2"])).to.throw(RangeError, /run forward/);
    expect(() => parseSimArgs(["--scenario", "bull"])).to.throw(RangeError, /scenario/);
    expect(() => parseSimArgs(["--informed", "1.5"])).to.throw(RangeError, /informed/);
    expect(() => parseSimArgs(["--seed", "1", "--seeds", "1..3"])).to.throw(RangeError, /not both/);
    expect(() => parseSimArgs(["--bogus"])).to.throw(/bogus/);
    expect(() => parseSimArgs(["--seed", "abc"])).to.throw(RangeError, /expected a number, got "abc"[\s\S]*at seed/);
    expect(() => parseSimArgs(["--requests", "1.5"])).to.throw(RangeError, /expected int[\s\S]*at requests/);
    const { status, stderr } = sim(["--sizes", "huge"]);
    expect(status).to.equal(2);
    expect(stderr).to.match(/invalid arguments[\s\S]*sizes/);
  });

  it("reads a named scenario with flags on top, and a seed range", () => {
    const a = parseSimArgs([
      "--scenario",
      "oracle-lag",
      "--seeds",
      "3..5",
      "--sybil",
      "--informed-mimic",
      "--vol",
      "1.1",
    ]);
    expect(a.seeds).to.deep.equal([3, 4, 5]);
    expect(a.params).to.include({ informedType: "oracle-lag", sybil: true, informedMimic: true, vol: 1.1 });
    expect(a.legacy).to.equal(false);
    expect(parseSimArgs([]).legacy).to.equal(true);
  });

  it("gives a t-based 95% interval of the mean", () => {
    const i = interval([1, 2, 3, 4]);
    expect(i.mean).to.equal(2.5);
    // t(3) = 3.182, sd = 1.291, half-width = 3.182 x 1.291 / 2 = 2.054.
    expect(Math.abs(i.hi - i.mean - 2.054)).to.be.lessThan(0.001);
    expect(interval([5])).to.include({ mean: 5, lo: 5, hi: 5, n: 1 });
  });
});
