import { expect } from "chai";
import { type AmmQuote, RouteReason } from "../../../solver/domain/route.js";
import { ErrorCode, QuoteDeclined } from "../../../solver/errors.js";
import { type RouteInput, routeQuote, toUnits } from "../../../solver/router/router.js";
import { alwaysAmm, alwaysInternalize, internalizeFirst } from "../../../solver/router/strategies.js";

const ETH = 10n ** 18n;

/** An AMM that prices `perOption` (6-decimal asset units) per option and refuses above `maxAmount`. */
function amm(perOption: bigint, maxAmount = 1000n * ETH) {
  return async (amount: bigint): Promise<AmmQuote> => ({
    premium: (perOption * amount) / ETH,
    refused: amount > maxAmount,
  });
}

function input(fields: Partial<RouteInput> = {}): RouteInput {
  return {
    userBuys: true,
    amount: 10n * ETH,
    capacity: { amount: 10n * ETH, limitedBy: null, mint: 0n },
    solverPerOption: 95, // USDC per option
    reservationPerOption: 94,
    decimals: 6,
    toxic: false,
    gas: { internal: 100_000n, amm: 300_000n, split: 400_000n },
    params: { improvementShare: 0.5, safetyBps: 5, slippageBps: 50 },
    strategy: internalizeFirst,
    ...fields,
  };
}

describe("routeQuote", () => {
  it("internalizes when the solver beats the AMM, and shares the gap by the rule", async () => {
    const d = await routeQuote(input(), amm(100_000_000n));
    expect(d.route).to.equal("internal");
    expect(d.reason).to.equal(RouteReason.InternalBetter);
    // AMM 1000 USDC, solver 950: the user gets half the 50 gap.
    expect(d.internalPremium).to.equal(975_000_000n);
    expect(d.premium).to.equal(d.internalPremium);
    expect(d.limitPremium).to.equal(d.premium);
    expect(d.internalReference).to.equal(1_000_000_000n);
    expect(d.ammReferencePremium).to.equal(1_000_000_000n);
  });

  it("never offers an internal price worse than the AMM's less the safety margin", async () => {
    // The solver is only 1 bp cheaper than the AMM: below the 5 bp margin it is not competitive.
    const d = await routeQuote(input({ solverPerOption: 99.99 }), amm(100_000_000n));
    expect(d.route).to.equal("amm");
    expect(d.reason).to.equal(RouteReason.AmmBetter);
    const close = await routeQuote(input({ solverPerOption: 99.9 }), amm(100_000_000n));
    expect(close.route).to.equal("internal");
    expect(close.internalPremium).to.be.lessThanOrEqual((1_000_000_000n * 9995n) / 10_000n);
  });

  it("gives sellers more than the AMM's bid, by the same rule", async () => {
    const d = await routeQuote(
      input({ userBuys: false, solverPerOption: 105, reservationPerOption: 106 }),
      amm(100_000_000n),
    );
    expect(d.route).to.equal("internal");
    expect(d.internalPremium).to.equal(1_025_000_000n);
  });

  it("never offers a buy below what the AMM would pay for the same options (no buy-here, sell-there)", async () => {
    // AMM ask 100, bid 80 per option; the solver's ask 50: sharing the gap would offer 750 for 10, under the
    // AMM's bid of 800 for them. The offer moves up to the bid, still below the AMM's ask.
    const d = await routeQuote(
      input({ solverPerOption: 50, reservationPerOption: 49 }),
      amm(100_000_000n),
      amm(80_000_000n),
    );
    expect(d.route).to.equal("internal");
    expect(d.internalPremium).to.equal(800_000_000n);
    // Without the other side (refused, or its quote failing) the shared offer stands.
    const refused = await routeQuote(
      input({ solverPerOption: 50, reservationPerOption: 49 }),
      amm(100_000_000n),
      amm(80_000_000n, 0n),
    );
    expect(refused.internalPremium).to.equal(750_000_000n);
    const failing = await routeQuote(input({ solverPerOption: 50, reservationPerOption: 49 }), amm(100_000_000n), () =>
      Promise.reject(new Error("vault quote failed")),
    );
    expect(failing.internalPremium).to.equal(750_000_000n);
  });

  it("never pays a seller more than the AMM would charge for the same options, and keeps the safety bound", async () => {
    // AMM bid 100, ask 120 per option; the solver's bid 150: sharing would pay 1250 for 10, over the 1200
    // the AMM charges for them.
    const d = await routeQuote(
      input({ userBuys: false, solverPerOption: 150, reservationPerOption: 151 }),
      amm(100_000_000n),
      amm(120_000_000n),
    );
    expect(d.internalPremium).to.equal(1_200_000_000n);
    // An AMM bid inside the safety margin of its ask: the offer stops at the margin (best execution first).
    const tight = await routeQuote(
      input({ solverPerOption: 50, reservationPerOption: 49 }),
      amm(100_000_000n),
      amm(99_990_000n),
    );
    expect(tight.internalPremium).to.equal((1_000_000_000n * 9995n) / 10_000n);
  });

  it("splits when limits cap the internal part, and bounds the AMM leg by the slippage", async () => {
    const d = await routeQuote(
      input({ capacity: { amount: 4n * ETH, limitedBy: ErrorCode.LimitDelta, mint: ETH } }),
      amm(100_000_000n),
    );
    expect(d.route).to.equal("split");
    expect(d.reason).to.equal(RouteReason.CapacitySplit);
    expect(d.internalAmount).to.equal(4n * ETH);
    expect(d.mintAmount).to.equal(ETH);
    expect(d.ammAmount).to.equal(6n * ETH);
    expect(d.ammPremium).to.equal(600_000_000n);
    expect(d.ammBound).to.equal(603_000_000n);
    expect(d.limitPremium).to.equal(d.internalPremium + 603_000_000n);
  });

  it("routes to the AMM when limits allow nothing, and declines with the limit when the AMM refuses too", async () => {
    const none = { amount: 0n, limitedBy: ErrorCode.LimitVega, mint: 0n };
    const d = await routeQuote(input({ capacity: none }), amm(100_000_000n));
    expect(d.route).to.equal("amm");
    expect(d.reason).to.equal(RouteReason.CapacityAmm);
    try {
      await routeQuote(input({ capacity: none }), amm(100_000_000n, ETH));
      expect.fail("expected a decline");
    } catch (error) {
      expect(error).to.be.instanceOf(QuoteDeclined);
      expect((error as QuoteDeclined).code).to.equal(ErrorCode.LimitVega);
    }
  });

  it("sends a toxic counterparty to the AMM", async () => {
    const d = await routeQuote(input({ toxic: true }), amm(100_000_000n));
    expect(d.route).to.equal("amm");
    expect(d.reason).to.equal(RouteReason.ToxicCounterparty);
  });

  it("prefers the AMM when a split would not pay its gas", async () => {
    const tiny = { amount: ETH / 100n, limitedBy: ErrorCode.LimitPosition, mint: 0n };
    const d = await routeQuote(
      input({ capacity: tiny, gas: { internal: 0n, amm: 1n, split: 10_000_000n } }),
      amm(100_000_000n),
    );
    expect(d.route).to.equal("amm");
    expect(d.reason).to.equal(RouteReason.SplitNotWorthGas);
  });

  it("implements the two baselines", async () => {
    const always = await routeQuote(input({ strategy: alwaysAmm }), amm(100_000_000n));
    expect(always.route).to.equal("amm");
    expect(always.reason).to.equal(RouteReason.StrategyAmm);
    // Always-internalize takes even an uncompetitive order, at the AMM's price less the margin.
    const internal = await routeQuote(
      input({ strategy: alwaysInternalize, solverPerOption: 120, toxic: true }),
      amm(100_000_000n),
    );
    expect(internal.route).to.equal("internal");
    expect(internal.internalPremium).to.equal((1_000_000_000n * 9995n) / 10_000n);
  });

  it("toUnits rounds up for what users pay and down for what they receive", () => {
    expect(toUnits(1.0000001, ETH, 6, true)).to.equal(1_000_001n);
    expect(toUnits(1.0000009, ETH, 6, false)).to.equal(1_000_000n);
    expect(toUnits(0, ETH, 6, true)).to.equal(0n);
  });
});
