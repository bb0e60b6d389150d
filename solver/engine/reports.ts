import { decodeSeriesId, type SeriesTerms } from "../chain/seriesId.js";
import { toOptions } from "../inventory/inventory.js";
import { valueOption } from "../pricing/optionPricer.js";
import { projectedBook } from "../risk/limits.js";
import { listFills } from "../store/fills.js";
import type { Engine } from "./engine.js";
import { solverPrice } from "./pricing.js";

/** A readable series name: ETH-3000-C-2026-11-28. */
export function seriesName(t: SeriesTerms, quoteDecimals = 6): string {
  const date = new Date(t.expiry * 1000).toISOString().slice(0, 10);
  return `ETH-${Number(t.strike) / 10 ** quoteDecimals}-${t.isCall ? "C" : "P"}-${date}`;
}

/** Operator views of the engine's state, as plain JSON (amounts that settle as decimal strings). */
export async function statusReport(engine: Engine) {
  const [block, now, spot] = await Promise.all([
    engine.market.blockNumber(),
    engine.market.chainTime(),
    engine.market.spot(),
  ]);
  return {
    solver: engine.solver,
    chainId: engine.opts.clients.chain.id,
    block: Number(block),
    chainTime: now,
    spot: spot.price,
    oracleUpdatedAt: spot.updatedAt,
    strategy: engine.strategy,
    killSwitch: engine.killSwitch.state,
    openReservations: engine.reservations.active(now).length,
    pendingOrders: engine.submitter.pending,
    fills: engine.fillsSince(0),
  };
}

export async function inventoryReport(engine: Engine) {
  const now = await engine.market.chainTime();
  const spot = (await engine.market.spot()).price;
  const { units } = engine;
  const positions = engine.inventory.positions().map((p) => {
    const net = toOptions(p.longs - p.shorts);
    const live = p.terms.expiry > now;
    const v = live ? valueOption(p.terms, spot, now, engine.surface, engine.config.pricing.rate, units) : null;
    return {
      seriesId: p.seriesId.toString(),
      series: seriesName(p.terms, units.quoteDecimals),
      longs: p.longs.toString(),
      shorts: p.shorts.toString(),
      net,
      expired: !live,
      deltaUsd: v ? net * v.delta * spot : 0,
      vegaUsd: v ? (net * v.vega) / 100 : 0,
      valueUsd: v ? net * v.valueUsd : 0,
    };
  });
  const locked = engine.inventory.locked();
  return {
    spot,
    cash: { weth: engine.inventory.cash.weth.toString(), usdc: engine.inventory.cash.usdc.toString() },
    locked: { weth: locked.weth.toString(), usdc: locked.usdc.toString() },
    greeks: engine.inventory.greeks(spot, now, engine.surface, engine.config.pricing.rate),
    positions,
  };
}

export async function riskReport(engine: Engine) {
  const now = await engine.market.chainTime();
  const spot = (await engine.market.spot()).price;
  const limits = engine.config.limits;
  const book = engine.inventory.greeks(spot, now, engine.surface, engine.config.pricing.rate);
  const projected = projectedBook(engine.inventory, engine.reservations, now);
  const withReservations = projected.greeks(spot, now, engine.surface, engine.config.pricing.rate);
  const maxPosition = Math.max(0, ...engine.inventory.positions().map((p) => Math.abs(toOptions(p.longs - p.shorts))));
  const locked = engine.inventory.locked();
  const util = (l: bigint, c: bigint) => (l + c > 0n ? Number(l) / Number(l + c) : 0);
  const usage = (used: number, max: number) => ({ used, max, usage: max > 0 ? Math.abs(used) / max : 0 });
  return {
    limits,
    usage: {
      seriesPosition: usage(maxPosition, limits.maxSeriesPosition),
      netDeltaUsd: usage(book.deltaUsd, limits.maxNetDeltaUsd),
      netVegaUsd: usage(book.vegaUsd, limits.maxNetVegaUsd),
      collateralWeth: usage(util(locked.weth, engine.inventory.cash.weth), limits.maxCollateralUtilisation),
      collateralUsdc: usage(util(locked.usdc, engine.inventory.cash.usdc), limits.maxCollateralUtilisation),
    },
    withReservations: { deltaUsd: withReservations.deltaUsd, vegaUsd: withReservations.vegaUsd },
    reservations: engine.reservations.active(now).map((r) => ({
      quoteId: r.quoteId,
      seriesId: r.change.seriesId.toString(),
      longs: r.change.longs.toString(),
      shorts: r.change.shorts.toString(),
      expiresAt: r.expiresAt,
    })),
    killSwitch: engine.killSwitch.state,
    killSwitchLimits: engine.config.killSwitch,
    toxicity: engine.toxicity.snapshot(),
  };
}

export async function pnlReport(engine: Engine) {
  const now = await engine.market.chainTime();
  const spot = (await engine.market.spot()).price;
  return engine.pnl.snapshot(engine.equityUsd(spot, now), spot);
}

/**
 * The best-execution report: every fill with an internal part against the AMM's price for that part at
 * fill time (the settlement's on-chain reference), and the total improvement given to clients.
 */
export function bestExReport(engine: Engine, limit = 10_000) {
  const rows = listFills(engine.store, limit)
    .filter((f) => f.internalAmount > 0n)
    .map((f) => {
      const { isCall } = decodeSeriesId(f.seriesId);
      const toUsd = (x: bigint) => (isCall ? (Number(x) / 1e18) * f.spot : Number(x) / 1e6);
      const buy = f.side === 0;
      const improvement = buy ? f.ammReference - f.internalPremium : f.internalPremium - f.ammReference;
      return {
        orderHash: f.orderHash,
        txHash: f.txHash,
        user: f.user,
        seriesId: f.seriesId.toString(),
        side: buy ? "buy" : f.side === 1 ? "sellToClose" : "sellToOpen",
        internalAmount: f.internalAmount.toString(),
        internalPremium: f.internalPremium.toString(),
        ammReferencePremium: f.ammReference.toString(),
        improvement: improvement.toString(),
        improvementBps: f.ammReference > 0n ? (Number(improvement) / Number(f.ammReference)) * 10_000 : 0,
        improvementUsd: toUsd(improvement),
        worseThanAmm: improvement < 0n,
      };
    });
  return {
    fills: rows.length,
    violations: rows.filter((r) => r.worseThanAmm).length,
    totalImprovementUsd: rows.reduce((sum, r) => sum + r.improvementUsd, 0),
    rows,
  };
}

/**
 * Indicative two-sided prices per live series for one option: the solver's (from its surface and book,
 * before reservations) and the AMM vault's (its quote view on the latest block).
 */
export async function indicativePrices(engine: Engine) {
  const now = await engine.market.chainTime();
  const spot = (await engine.market.spot()).price;
  const series = await engine.market.listSeries();
  const book = engine.inventory.greeks(spot, now, engine.surface, engine.config.pricing.rate);
  const out = [];
  for (const [id, terms] of series) {
    if (terms.expiry <= now || terms.pairId !== engine.opts.deployment.pairId) continue;
    const v = valueOption(terms, spot, now, engine.surface, engine.config.pricing.rate, engine.units);
    const common = {
      valuation: v,
      book,
      spot,
      atmVol: engine.surface.slice(terms.expiry).atmVol,
      isCall: terms.isCall,
      toxicWidenBps: 0,
      pricing: engine.config.pricing,
      skew: engine.config.skew,
    };
    const ask = solverPrice({ ...common, userBuys: true });
    const bid = solverPrice({ ...common, userBuys: false });
    const unit = 10n ** BigInt(engine.units.underlyingDecimals);
    const [ammAsk, ammBid] = await Promise.all([
      engine.market.vaultQuote(id, unit, true).then(
        (q) => q.premium.toString(),
        () => null,
      ),
      engine.market.vaultQuote(id, unit, false).then(
        (q) => q.premium.toString(),
        () => null,
      ),
    ]);
    out.push({
      seriesId: id.toString(),
      series: seriesName(terms, engine.units.quoteDecimals),
      strike: Number(terms.strike) / 10 ** engine.units.quoteDecimals,
      expiry: terms.expiry,
      isCall: terms.isCall,
      premiumAsset: terms.isCall ? "WETH" : "USDC",
      model: v.value,
      bid: bid.quote,
      ask: ask.quote,
      vol: v.vol,
      delta: v.delta,
      ammBid,
      ammAsk,
    });
  }
  return { spot, chainTime: now, series: out };
}
