import { expect } from "chai";
import { encodeSeriesId } from "../../../solver/domain/seriesId.js";
import { ErrorCode } from "../../../solver/errors.js";
import { Inventory } from "../../../solver/inventory/inventory.js";
import { valueOption } from "../../../solver/pricing/optionPricer.js";
import { VolSurface } from "../../../solver/pricing/volSurface.js";
import { headroom, internalCapacity } from "../../../solver/risk/limits.js";
import { ReservationBook } from "../../../solver/risk/reservations.js";

const ETH = 10n ** 18n;
const now = 1_800_000_000;
const units = { underlyingDecimals: 18, quoteDecimals: 6 };
const surface = new VolSurface({ atmVol: 0.8, skew: 0, curvature: 0 });
const call = encodeSeriesId({ pairId: 1, strike: 3000n * 10n ** 6n, expiry: now + 30 * 86_400, isCall: true });
const limits = {
  maxOrderSize: 50,
  maxSeriesPosition: 10,
  maxNetDeltaUsd: 1e9,
  maxNetVegaUsd: 1e9,
  maxCollateralUtilisation: 0.8,
};

function setup(longs = 0n, shorts = 0n) {
  const inventory = new Inventory(units, { weth: 100n * ETH, usdc: 0n });
  inventory.setPosition(call, longs, shorts);
  const reservations = new ReservationBook();
  const valuation = valueOption(inventory.position(call).terms, 3000, now, surface, 0.05, units);
  const base = {
    inventory,
    reservations,
    seriesId: call,
    valuation,
    premiumPerOption: 0.1,
    spot: 3000,
    now,
    surface,
    rate: 0.05,
    limits,
  };
  return { inventory, reservations, base };
}

describe("limits", () => {
  it("headroom is the distance to the bound in the trade's direction, unlimited towards zero", () => {
    expect(headroom(0, 1, 10)).to.equal(10);
    expect(headroom(4, -1, 10)).to.equal(14);
    expect(headroom(12, 1, 10)).to.equal(0);
    expect(headroom(12, -2, 10)).to.equal(11);
    expect(headroom(5, 0, 10)).to.equal(Number.POSITIVE_INFINITY);
  });

  it("caps an internal sell at the series position limit and reports the binding limit", () => {
    const { base } = setup();
    const c = internalCapacity({ ...base, userBuys: true, requested: 25n * ETH });
    expect(c.amount).to.equal(10n * ETH);
    expect(c.limitedBy).to.equal(ErrorCode.LimitPosition);
    // Holding no longs, it must write all 10.
    expect(c.mint).to.equal(10n * ETH);
  });

  it("delivers held longs before writing, and counts open reservations", () => {
    const { base, reservations } = setup(4n * ETH, 0n);
    expect(internalCapacity({ ...base, userBuys: true, requested: 6n * ETH }).mint).to.equal(2n * ETH);
    reservations.add({
      quoteId: "q",
      change: { seriesId: call, longs: -4n * ETH, shorts: 0n, wethIn: 0n, usdcIn: 0n },
      expiresAt: now + 30,
    });
    const c = internalCapacity({ ...base, userBuys: true, requested: 20n * ETH });
    // +4 held, -4 reserved: flat, so 10 more; all written, since the held longs are promised.
    expect(c.amount).to.equal(10n * ETH);
    expect(c.mint).to.equal(10n * ETH);
  });

  it("caps writing at the collateral utilisation limit", () => {
    const { base } = setup();
    const c = internalCapacity({
      ...base,
      limits: { ...limits, maxSeriesPosition: 1000 },
      userBuys: true,
      requested: 90n * ETH,
    });
    // 100 WETH of cash, 80% may be locked.
    expect(c.amount).to.equal(80n * ETH);
    expect(c.limitedBy).to.equal(ErrorCode.LimitCollateral);
  });

  it("caps buying from users at the cash that pays the premiums", () => {
    const { base } = setup();
    const c = internalCapacity({
      ...base,
      limits: { ...limits, maxSeriesPosition: 1e6 },
      userBuys: false,
      requested: 5000n * ETH,
      premiumPerOption: 0.5,
    });
    expect(c.amount).to.equal(200n * ETH);
    expect(c.limitedBy).to.equal(ErrorCode.LimitCollateral);
  });

  it("never blocks a trade that reduces a breached limit", () => {
    const { base } = setup(0n, 15n * ETH);
    // 15 short against a limit of 10: buying back is allowed (up to 25 to reach +10), selling is not.
    expect(internalCapacity({ ...base, userBuys: false, requested: 20n * ETH }).amount).to.equal(20n * ETH);
    expect(internalCapacity({ ...base, userBuys: true, requested: ETH }).amount).to.equal(0n);
  });
});
