import { expect } from "chai";
import { encodeSeriesId } from "../../../solver/domain/seriesId.js";
import { equityUsd, flowTotals, PnlTracker, pnlOf, startBook, type Valuation } from "../../../solver/engine/pnl.js";
import { Inventory } from "../../../solver/inventory/inventory.js";
import { VolSurface } from "../../../solver/pricing/volSurface.js";
import { Store } from "../../../solver/store/db.js";
import type { FillRecord } from "../../../solver/types.js";
import { expectClose } from "../../support/approx.js";

const units = { underlyingDecimals: 18, quoteDecimals: 6 };
const ETH = 10n ** 18n;
const USDC = 10n ** 6n;
const EXPIRY = 1_800_000_000;
const call2900 = encodeSeriesId({ pairId: 1, strike: 2900n * USDC, expiry: EXPIRY, isCall: true });
const put3000 = encodeSeriesId({ pairId: 1, strike: 3000n * USDC, expiry: EXPIRY, isCall: false });

function valuation(fields: Partial<Valuation> = {}): Valuation {
  return {
    spot: 3150,
    now: EXPIRY + 60,
    surface: new VolSurface({ atmVol: 0.8, skew: 0, curvature: 0 }),
    rate: 0.05,
    units,
    settled: new Map(),
    ...fields,
  };
}

function fill(fields: Partial<FillRecord>): FillRecord {
  return {
    orderHash: "0x01",
    txHash: "0x02",
    block: 1,
    logIndex: 0,
    user: "0x0000000000000000000000000000000000000001",
    recipient: "0x0000000000000000000000000000000000000001",
    solver: "0x0000000000000000000000000000000000000002",
    seriesId: put3000,
    side: 0,
    internalAmount: ETH,
    ammAmount: 0n,
    premium: 120n * USDC,
    internalPremium: 120n * USDC,
    ammReference: 125n * USDC,
    timestamp: 1,
    spot: 3000,
    modelValue: 100,
    gasUsed: 0n,
    fee: 0n,
    markoutDue: 1,
    markoutBps: null,
    markoutUsd: null,
    ...fields,
  } as FillRecord;
}

describe("PnL", () => {
  it("values an expired in-the-money short at what it owes the longs, not at zero", () => {
    // The solver wrote 4 calls struck at 2900 (4 WETH locked); they settled at 3150.
    const book = new Inventory(units, { weth: 0n, usdc: 0n });
    book.setPosition(call2900, 0n, 4n * ETH);
    const v = valuation({ settled: new Map([[call2900, 3150n * USDC]]) });
    // Equity: 4 WETH locked minus 4 x (3150 - 2900) / 3150 WETH owed = 4 x 2900/3150 WETH, at spot 3150.
    expectClose(equityUsd(book, v), 4 * 2900, 1e-6);
    expectClose(book.greeks(v.spot, v.now, v.surface, v.rate, v.settled).valueUsd, -4 * 250, 1e-6);
  });

  it("values an expired but unsettled position at the oracle's spot", () => {
    const book = new Inventory(units);
    book.setPosition(put3000, 2n * ETH, 0n);
    expectClose(equityUsd(book, valuation({ spot: 2800 })), 2 * 200, 1e-6);
    expectClose(equityUsd(book, valuation({ spot: 2800, settled: new Map([[put3000, 2900n * USDC]]) })), 2 * 100, 1e-6);
  });

  it("takes spread, fees and gas from the fill log and the keeper's gas", () => {
    const flows = flowTotals(
      [
        // Sold a put at 120 USDC worth 100 by model, fee 1 USDC, gas 0.001 ETH at 3000.
        fill({ fee: USDC, gasUsed: 10n ** 15n }),
        // Bought a call at 0.03 WETH worth 0.035 WETH by model at spot 3000: +15 USD of spread.
        fill({ seriesId: call2900, side: 1, internalPremium: 3n * 10n ** 16n, modelValue: 0.035, spot: 3000 }),
        // An AMM-only fill: no spread, only gas.
        fill({ internalAmount: 0n, internalPremium: 0n, ammAmount: ETH, gasUsed: 2n * 10n ** 15n }),
      ],
      [{ gasCost: 10n ** 15n, spot: 3100 } as never],
      units,
    );
    expectClose(flows.spreadUsd, 20 + 15, 1e-9);
    expectClose(flows.feesUsd, 1, 1e-9);
    expectClose(flows.gasUsd, 3 + 6 + 3.1, 1e-9);
  });

  it("splits the total into spread, fees, gas and inventory that add up to it", () => {
    const flows = { spreadUsd: 35, feesUsd: 1, gasUsd: 12.1 };
    const s = pnlOf(61_050, 61_000, flows, 0);
    expectClose(s.totalUsd, 50 - 12.1, 1e-9);
    expectClose(s.spreadUsd - s.feesUsd - s.gasUsd + s.inventoryUsd, s.totalUsd, 1e-9);
    expectClose(pnlOf(60_900, 61_000, flows, s.peakUsd).drawdownUsd, 150, 1e-9);
  });

  it("values the starting holdings at the same state as the book, so holding alone earns nothing", () => {
    const start = {
      cash: { weth: 10n * ETH, usdc: 30_000n * USDC },
      positions: [{ seriesId: put3000, longs: ETH, shorts: 0n }],
    };
    const v = valuation({ spot: 2800 });
    const book = startBook(start, units);
    expect(
      pnlOf(equityUsd(book, v), equityUsd(startBook(start, units), v), { spreadUsd: 0, feesUsd: 0, gasUsd: 0 }, 0)
        .totalUsd,
    ).to.equal(0);
  });

  it("keeps its starting holdings and its peak across restarts", () => {
    const store = new Store(":memory:");
    const first = new PnlTracker(store);
    first.start({ cash: { weth: ETH, usdc: 0n }, positions: [{ seriesId: put3000, longs: 1n, shorts: 2n }] });
    first.snapshot(100, 0, { spreadUsd: 0, feesUsd: 0, gasUsd: 0 });
    const again = new PnlTracker(store);
    again.start({ cash: { weth: 999n, usdc: 999n }, positions: [] });
    expect(again.startHoldings).to.deep.equal({
      cash: { weth: ETH, usdc: 0n },
      positions: [{ seriesId: put3000, longs: 1n, shorts: 2n }],
    });
    expect(again.snapshot(50, 0, { spreadUsd: 0, feesUsd: 0, gasUsd: 0 }).drawdownUsd).to.equal(50);
  });
});
