import { expect } from "chai";
import { aggregate, cells, type ReportRow } from "../../../solver/report/aggregate.js";
import { bucketOf, routeOfFill } from "../../../solver/report/buckets.js";
import { improvementOf, MARK_SCALE, markoutOf } from "../../../solver/report/fillFigures.js";
import { median, p95 } from "../../../solver/report/quantiles.js";
import { optionsUsd, premiumUsd, ratio, usdUnit } from "../../../solver/report/usd.js";
import { ETH, SCALE, scenario, USDC, usd } from "../../support/reportScenario.js";

const options = (formatted: string, raw: string) => ({ raw, decimals: 18, symbol: "options", formatted });

/** The figures of a row with no fills and no orders. */
const EMPTY = {
  orders: 0,
  filledOrders: 0,
  fillRate: null,
  fills: 0,
  options: options("0", "0"),
  notionalUsd: 0,
  internalShare: null,
  internalFills: 0,
  improvedFills: 0,
  improvedShare: null,
  avgImprovementBps: null,
  avgImprovementUsd: null,
  totalImprovementUsd: 0,
  timedFills: 0,
  medianQuoteToFillSeconds: null,
  p95QuoteToFillSeconds: null,
  markedFills: 0,
  pendingMarkouts: 0,
  avgMarkoutBps: null,
  avgMarkoutUsd: null,
  totalMarkoutUsd: 0,
};

describe("execution report: aggregation (exact figures, worked by hand)", () => {
  const { facts, tape, window } = scenario();
  const rows = aggregate(facts, tape, window, SCALE);
  const row = (bucket: string, route: string) => rows.find((r) => r.bucket === bucket && r.route === route)!;

  it("has the 20 rows of every bucket × route with their 'all' margins, in a fixed order", () => {
    expect(rows.map((r) => `${r.bucket}/${r.route}`)).to.deep.equal(cells().map((c) => `${c.bucket}/${c.route}`));
    expect(rows.slice(0, 4).map((r) => r.route)).to.deep.equal(["internal", "amm", "split", "all"]);
    expect(rows.map((r) => r.bucket).filter((b, i, a) => a.indexOf(b) === i)).to.deep.equal([
      "<1",
      "1-5",
      "5-25",
      ">=25",
      "all",
    ]);
    expect(row("<1", "amm")).to.deep.equal({ bucket: "<1", route: "amm", ...EMPTY });
  });

  it("buckets sizes in options on half-open intervals, and routes fills by their internal and AMM parts", () => {
    expect(
      [ETH - 1n, ETH, 5n * ETH - 1n, 5n * ETH, 25n * ETH - 1n, 25n * ETH, 1000n * ETH].map(bucketOf),
    ).to.deep.equal(["<1", "1-5", "1-5", "5-25", "5-25", ">=25", ">=25"]);
    expect([routeOfFill(ETH, 0n), routeOfFill(0n, ETH), routeOfFill(ETH, ETH)]).to.deep.equal([
      "internal",
      "amm",
      "split",
    ]);
  });

  it("1-5 internal: two calls, a buy improved by $25 on $275 and a sell to open at the AMM's price", () => {
    expect(row("1-5", "internal")).to.deep.equal({
      bucket: "1-5",
      route: "internal",
      orders: 2,
      filledOrders: 2,
      fillRate: 1,
      fills: 2,
      options: options("3", (3n * ETH).toString()),
      notionalUsd: 7400, // 2 × 2,500 + 1 × 2,400
      internalShare: 1,
      internalFills: 2,
      improvedFills: 1, // the sell at the AMM's own price is not an improvement
      improvedShare: 0.5,
      avgImprovementBps: 665.25, // (25 + 0) / (275 + 100.8) = 665.2474… bps
      avgImprovementUsd: 12.5,
      totalImprovementUsd: 25,
      timedFills: 2,
      medianQuoteToFillSeconds: 5, // 3 and 7
      p95QuoteToFillSeconds: 7,
      markedFills: 2,
      pendingMarkouts: 0,
      // A sold 2 for 0.1 WETH, worth 2 × 0.045 then: +0.01 WETH = $25 at the fill's 2,500; E bought 1 for 0.042,
      // worth 0.048: +0.006 WETH = $14.40 at 2,400. (25 + 14.4) / (250 + 100.8) = 1,123.147… bps.
      avgMarkoutBps: 1123.15,
      avgMarkoutUsd: 19.7,
      totalMarkoutUsd: 39.4,
    });
  });

  it("a put sold to close: improvement and markout from the seller's side, in USDC at par (no spot)", () => {
    expect(row("<1", "internal")).to.deep.include({
      orders: 1,
      filledOrders: 1,
      fills: 1,
      options: options("0.5", (ETH / 2n).toString()),
      notionalUsd: 1300, // 0.5 × 2,600
      improvedFills: 1,
      avgImprovementBps: 526.32, // received 40 against 38: 2 / 38
      avgImprovementUsd: 2,
      medianQuoteToFillSeconds: 10,
      avgMarkoutBps: 1000, // bought 0.5 for 40 USDC, worth 0.5 × 88 = 44: +4 on 40
      avgMarkoutUsd: 4,
      totalMarkoutUsd: 4,
    });
  });

  it("an AMM fill quoted before the window: timed from the tape, not an order of the window; its horizon ahead", () => {
    expect(row(">=25", "amm")).to.deep.equal({
      bucket: ">=25",
      route: "amm",
      ...EMPTY,
      fills: 1,
      options: options("30", (30n * ETH).toString()),
      notionalUsd: 75000,
      internalShare: 0,
      improvedShare: 0,
      timedFills: 1,
      medianQuoteToFillSeconds: 15,
      p95QuoteToFillSeconds: 15,
      pendingMarkouts: 1,
    });
  });

  it("a split without a tape entry whose mark the vault refused: improvement on its internal part only, no time, no markout", () => {
    expect(row("5-25", "split")).to.deep.equal({
      bucket: "5-25",
      route: "split",
      ...EMPTY,
      fills: 1,
      options: options("6", (6n * ETH).toString()),
      notionalUsd: 15000,
      internalShare: 0.666667, // 4 of 6 options at the same spot
      internalFills: 1,
      improvedFills: 1,
      improvedShare: 1,
      avgImprovementBps: 243.9, // paid 400 against 410: 10 / 410 = 243.902… bps
      avgImprovementUsd: 10,
      totalImprovementUsd: 10,
    });
  });

  it("orders that did not fill count against the fill rate of their quote's bucket and route", () => {
    expect(row("1-5", "amm")).to.deep.equal({ bucket: "1-5", route: "amm", ...EMPTY, orders: 1, fillRate: 0 });
    expect(row("1-5", "all")).to.deep.include({ orders: 3, filledOrders: 2, fillRate: 0.666667, fills: 2 });
  });

  it("the total row: every fill, the window's orders, notional-weighted internalization, reference-weighted improvement", () => {
    expect(row("all", "all")).to.deep.equal({
      bucket: "all",
      route: "all",
      orders: 4, // A, B, E, F: C's quote is before the window, G has no order
      filledOrders: 3,
      fillRate: 0.75,
      fills: 5,
      options: options("39.5", ((395n * ETH) / 10n).toString()),
      notionalUsd: 98700,
      internalShare: 0.189463, // 18,700 / 98,700
      internalFills: 4,
      improvedFills: 3,
      improvedShare: 0.6,
      avgImprovementBps: 449.14, // (25 + 2 + 10 + 0) / (275 + 38 + 410 + 100.8) = 449.138… bps
      avgImprovementUsd: 9.25,
      totalImprovementUsd: 37,
      timedFills: 4,
      medianQuoteToFillSeconds: 8.5, // 3, 7, 10, 15
      p95QuoteToFillSeconds: 15,
      markedFills: 3,
      pendingMarkouts: 1,
      avgMarkoutBps: 1110.54, // 43.4 / 390.8
      avgMarkoutUsd: 14.466667,
      totalMarkoutUsd: 43.4,
    } satisfies ReportRow);
  });

  it("signs: a buyer is improved by paying less, a seller by receiving more; the liquidity side earns the reverse", () => {
    expect(improvementOf(0, 95n, 100n)).to.equal(5n);
    expect(improvementOf(1, 105n, 100n)).to.equal(5n);
    expect(improvementOf(2, 95n, 100n)).to.equal(-5n);
    const mark = { status: "marked" as const, block: 1n, ask: 11n * ETH, bid: 9n * ETH }; // mid 10 per option
    // Sold 2 options for 25: worth 20 at the mark, the liquidity side is up 5; bought them for 25: down 5.
    expect(markoutOf(0, 25n * ETH, 2n * ETH, mark)).to.equal(5n * ETH * MARK_SCALE);
    expect(markoutOf(1, 25n * ETH, 2n * ETH, mark)).to.equal(-5n * ETH * MARK_SCALE);
    expect(markoutOf(0, 1n, ETH, { status: "pending" })).to.equal("pending");
    expect(markoutOf(0, 1n, ETH, { status: "unavailable", block: 1n })).to.equal(null);
  });

  it("converts calls' WETH at the fill's spot and puts' USDC at par, exactly", () => {
    const unit = usdUnit(SCALE);
    expect(unit).to.equal(10n ** 26n);
    expect(ratio(premiumUsd(ETH / 10n, true, usd(2500), SCALE), unit, 6)).to.equal(250);
    expect(ratio(premiumUsd(40n * USDC, false, usd(2500), SCALE), unit, 6)).to.equal(40);
    expect(premiumUsd(1n, true, 1n, SCALE)).to.equal(1n); // one wei at one oracle unit: the smallest USD unit
    expect(ratio(optionsUsd(ETH / 2n, usd(2600), SCALE), unit, 6)).to.equal(1300);
  });

  it("rounds once, half away from zero", () => {
    expect([ratio(5n, 1000n, 2), ratio(-5n, 1000n, 2), ratio(4n, 1000n, 2), ratio(-4n, 1000n, 2)]).to.deep.equal([
      0.01, -0.01, 0, 0,
    ]);
    expect([ratio(1n, 3n, 6), ratio(2n, 3n, 6), ratio(7n, 2n, 0), ratio(-7n, 2n, 0)]).to.deep.equal([
      0.333333, 0.666667, 4, -4,
    ]);
    expect(Object.is(ratio(-4n, 1000n, 2), 0)).to.equal(true);
  });

  it("medians of odd and even counts, p95 by nearest rank", () => {
    expect([median([]), median([4]), median([9, 1, 5]), median([4, 1, 3, 2])]).to.deep.equal([null, 4, 5, 2.5]);
    const oneTo = (n: number) => Array.from({ length: n }, (_, i) => n - i);
    expect([p95([]), p95([7]), p95(oneTo(2)), p95(oneTo(20)), p95(oneTo(21)), p95(oneTo(100))]).to.deep.equal([
      null,
      7,
      2,
      19,
      20,
      95,
    ]);
  });
});
