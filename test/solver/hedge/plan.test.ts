import { expect } from "chai";
import {
  amountInFor,
  costBand,
  exposureOf,
  hedgeCost,
  hedgeSize,
  minOutFor,
  spendable,
  withinRoom,
} from "../../../solver/engine/hedge/plan.js";
import { expectClose } from "../../support/approx.js";

const ETH = 10n ** 18n;
const params = { bandUsd: 10_000, hedgeRatio: 1, maxTradeUsd: 1_000_000, costMultiple: 4, horizonSeconds: 3600 };

describe("hedge plan", () => {
  it("counts options delta plus the WETH held beyond the starting capital", () => {
    const e = exposureOf(-30_000, 305n * ETH, 300n * ETH, 3000);
    expectClose(e.optionsDeltaEth, -10, 1e-12, "options");
    expectClose(e.spotEth, 5, 1e-12, "spot");
    expectClose(e.netDeltaUsd, -15_000, 1e-9, "net");
  });

  it("hedges the hedge ratio of the net delta beyond the band, capped, buying WETH against short delta", () => {
    expect(hedgeSize(exposureOf(9_000, 0n, 0n, 3000), params)).to.equal(null);
    expect(hedgeSize(exposureOf(-30_000, 0n, 0n, 3000), params)).to.deep.equal({ sell: "usdc", eth: 10 });
    expect(hedgeSize(exposureOf(30_000, 0n, 0n, 3000), { ...params, hedgeRatio: 0.5 })).to.deep.equal({
      sell: "weth",
      eth: 5,
    });
    expect(hedgeSize(exposureOf(30_000, 0n, 0n, 3000), { ...params, maxTradeUsd: 6_000 })).to.deep.equal({
      sell: "weth",
      eth: 2,
    });
    expect(hedgeSize(exposureOf(30_000, 0n, 0n, 3000), { ...params, hedgeRatio: 0 })).to.equal(null);
  });

  it("measures a swap's cost against the reference and widens the band with gas and impact", () => {
    // 10 WETH sold at 3000 for 29,950 USDC: 50 USD of impact and fee, plus 1 USD of gas.
    const cost = hedgeCost({ sell: "weth", amountIn: 10n * ETH, amountOut: 29_950n * 10n ** 6n }, 3000, 1);
    expectClose(cost.impactUsd, 50, 1e-9, "impact");
    expectClose(cost.totalUsd, 51, 1e-9, "total");
    expectClose(cost.impactPerUsd, 50 / 30_000, 1e-12, "per usd");
    const cheap = costBand({ impactUsd: 0, gasUsd: 1, totalUsd: 1, impactPerUsd: 0 }, 0.8, params);
    const dear = costBand({ impactUsd: 0, gasUsd: 200, totalUsd: 200, impactPerUsd: 0 }, 0.8, params);
    expect(cheap).to.equal(params.bandUsd);
    expect(dear).to.be.greaterThan(cheap);
    // Impact above the expected carry loss: never worth hedging.
    expect(costBand({ impactUsd: 0, gasUsd: 1, totalUsd: 1, impactPerUsd: 0.01 }, 0.8, params)).to.equal(
      Number.POSITIVE_INFINITY,
    );
  });

  it("rounds the minimum output down and never below the slippage bound", () => {
    expect(minOutFor(1_000_000n, 30)).to.equal(997_000n);
    expect(minOutFor(999n, 30)).to.equal(996n);
    expect(minOutFor(1_000n, 0)).to.equal(1_000n);
    expect(amountInFor({ sell: "weth", eth: 1.5 }, 3000)).to.equal(15n * 10n ** 17n);
    expect(amountInFor({ sell: "usdc", eth: 2 }, 3000.5)).to.equal(6_001_000_000n);
  });

  it("never spends the cash that keeps collateral utilisation within the limit", () => {
    // 80 locked: cash must stay at 20 for 80% utilisation.
    expect(spendable(100n, 80n, 0.8)).to.equal(80n);
    expect(spendable(20n, 80n, 0.8)).to.equal(0n);
    expect(spendable(100n, 0n, 0.8)).to.equal(100n);
    expect(spendable(100n, 80n, 0)).to.equal(0n);
    expect(withinRoom({ sell: "weth", eth: 5 }, 2n * ETH, 3000)).to.deep.equal({ sell: "weth", eth: 2 * 0.999 });
    expect(withinRoom({ sell: "usdc", eth: 5 }, 0n, 3000)).to.equal(null);
  });
});
