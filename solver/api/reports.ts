import { amountJson, OPTION_DECIMALS } from "../domain/amount.js";
import { instrumentName } from "../domain/instrument.js";
import { sideName } from "../domain/side.js";
import type { Engine } from "../engine/engine.js";
import { solverPrice } from "../engine/pricing.js";
import { expiredValueUsd, toOptions } from "../inventory/inventory.js";
import type { Spot } from "../market/marketData.js";
import { projectedBook } from "../risk/limits.js";
import { listFills } from "../store/fills.js";
import { seriesRef, unitsOf } from "./views.js";

/** Operator views of the engine's state, as plain JSON (amounts that settle as AmountJson). */
export async function statusReport(engine: Engine) {
  const [block, now, spot] = await Promise.all([
    engine.market.blockNumber(),
    engine.market.chainTime(),
    engine.market.spot(),
  ]);
  return {
    solver: engine.solver,
    chainId: engine.chainId,
    block: Number(block),
    /** Chain time of the latest block, and the solver's wall clock: on a devnet they can differ. */
    chainTime: now,
    wallTime: Math.floor(Date.now() / 1000),
    /** The oracle's price; the solver prices at `reference.price`. */
    spot: spot.price,
    oracleUpdatedAt: spot.updatedAt,
    reference: await referenceReport(engine, spot, now),
    strategy: engine.strategy.name,
    killSwitch: engine.killSwitch.state,
    openReservations: engine.reservations.active(now).length,
    pendingOrders: engine.submitter.pending,
    fills: engine.fillsSince(0),
  };
}

/** The reference price the solver prices at, its source, and how far the oracle and the pool stray from it. */
async function referenceReport(engine: Engine, oracle: Spot, now: number) {
  const { params } = engine.reference;
  const bounds = { widenAboveBps: params.widenAboveBps, declineAboveBps: params.declineAboveBps };
  try {
    const c = await engine.reference.check(oracle, now);
    return {
      source: params.source,
      price: c.reference,
      oracleGapBps: c.oracleGapBps,
      pool: c.pool,
      poolGapBps: c.poolGapBps,
      widenBps: c.widenBps,
      ...bounds,
    };
  } catch (error) {
    return {
      source: params.source,
      price: null,
      error: error instanceof Error ? error.message : String(error),
      ...bounds,
    };
  }
}

export async function inventoryReport(engine: Engine) {
  const v = await engine.valuationNow();
  const snap = v.snapshot;
  const { assets } = engine;
  const positions = engine.inventory.positions().map((p) => {
    const net = toOptions(p.longs - p.shorts);
    const live = p.terms.expiry > snap.now;
    const val = live ? snap.value(p.terms) : null;
    const option = { symbol: instrumentName(p.terms, assets.quote.decimals), decimals: OPTION_DECIMALS };
    const settled = v.settled.get(p.seriesId);
    return {
      ...seriesRef(p.seriesId, assets),
      expiry: p.terms.expiry,
      longs: amountJson(p.longs, option),
      shorts: amountJson(p.shorts, option),
      net,
      expired: !live,
      settlementPrice: settled === undefined ? null : amountJson(settled, assets.quote),
      deltaUsd: val ? net * val.delta * snap.spot.price : 0,
      vegaUsd: val ? (net * val.vega) / 100 : 0,
      valueUsd: val ? net * val.valueUsd : expiredValueUsd(p, snap.spot.price, settled, snap.units),
    };
  });
  const locked = engine.inventory.locked();
  return {
    spot: snap.spot.price,
    chainTime: snap.now,
    cash: {
      weth: amountJson(engine.inventory.cash.weth, assets.underlying),
      usdc: amountJson(engine.inventory.cash.usdc, assets.quote),
    },
    locked: { weth: amountJson(locked.weth, assets.underlying), usdc: amountJson(locked.usdc, assets.quote) },
    greeks: snap.greeks(engine.inventory, v.settled),
    positions,
  };
}

export async function riskReport(engine: Engine) {
  const snap = await engine.snapshot();
  const { now } = snap;
  const limits = engine.limits;
  const book = snap.greeks(engine.inventory);
  const projected = projectedBook(engine.inventory, engine.reservations, now);
  const withReservations = snap.greeks(projected);
  const maxPosition = Math.max(
    0,
    ...engine.inventory
      .positions()
      .filter((p) => p.terms.expiry > now)
      .map((p) => Math.abs(toOptions(p.longs - p.shorts))),
  );
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
    reservations: engine.reservations.active(now).map((r) => {
      const option = { symbol: instrumentName(projected.position(r.change.seriesId).terms), decimals: OPTION_DECIMALS };
      return {
        quoteId: r.quoteId,
        ...seriesRef(r.change.seriesId, engine.assets),
        longs: amountJson(r.change.longs, option),
        shorts: amountJson(r.change.shorts, option),
        expiresAt: r.expiresAt,
      };
    }),
    killSwitch: engine.killSwitch.state,
    killSwitchLimits: engine.config.killSwitch,
    toxicity: engine.toxicity.snapshot(),
  };
}

/** PnL of the live book, or (with `block`) as a pure function of the chain at that block and the fill log. */
export async function pnlReport(engine: Engine, block?: bigint) {
  return block === undefined ? engine.pnlNow() : engine.pnlAt(block);
}

/**
 * The best-execution report: every fill with an internal part against the AMM's price for that part at
 * fill time (the settlement's on-chain reference), and the total improvement given to clients.
 */
export function bestExReport(engine: Engine, limit = 10_000) {
  const rows = listFills(engine.store, limit)
    .filter((f) => f.internalAmount > 0n)
    .map((f) => {
      const u = unitsOf(f.seriesId, engine.assets);
      const buy = f.side === 0;
      const improvement = buy ? f.ammReference - f.internalPremium : f.internalPremium - f.ammReference;
      const toUsd = (x: bigint) =>
        u.asset === engine.assets.underlying ? (Number(x) / 1e18) * f.spot : Number(x) / 1e6;
      return {
        orderHash: f.orderHash,
        txHash: f.txHash,
        user: f.user,
        ...seriesRef(f.seriesId, engine.assets),
        side: sideName(f.side),
        internalAmount: u.options(f.internalAmount),
        internalPremium: u.premium(f.internalPremium),
        ammReferencePremium: u.premium(f.ammReference),
        improvement: u.premium(improvement),
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
 * before reservations; its bid rounded down and ask up to base units) and the AMM vault's (its quote view
 * on the latest block), with the model value, vol and delta.
 */
export async function indicativePrices(engine: Engine) {
  const snap = await engine.snapshot();
  const { now } = snap;
  const spot = snap.spot.price;
  const series = await engine.market.listSeries();
  const book = snap.greeks(engine.inventory);
  const out = [];
  for (const [id, terms] of [...series].sort(([, a], [, b]) => bySeries(a, b))) {
    if (terms.expiry <= now || terms.pairId !== engine.deployment.pairId) continue;
    const v = snap.value(terms);
    const common = {
      valuation: v,
      book,
      spot,
      atmVol: snap.surface.slice(terms.expiry).atmVol,
      isCall: terms.isCall,
      toxicWidenBps: 0,
      pricing: engine.config.pricing,
      skew: engine.config.skew,
    };
    const ask = solverPrice({ ...common, userBuys: true });
    const bid = solverPrice({ ...common, userBuys: false });
    const u = unitsOf(id, engine.assets);
    const scale = 10 ** u.asset.decimals;
    const unit = 10n ** BigInt(snap.units.underlyingDecimals);
    const amm = (isBuy: boolean) =>
      engine.market.vaultQuote(id, unit, isBuy).then(
        (q) => (q.refused ? null : u.premium(q.premium)),
        () => null,
      );
    const [ammAsk, ammBid] = await Promise.all([amm(true), amm(false)]);
    out.push({
      ...seriesRef(id, engine.assets),
      strike: amountJson(terms.strike, engine.assets.quote),
      expiry: terms.expiry,
      isCall: terms.isCall,
      premiumAsset: { address: u.asset.address, symbol: u.asset.symbol, decimals: u.asset.decimals },
      model: u.premium(BigInt(Math.round(v.value * scale))),
      bid: u.premium(BigInt(Math.floor(bid.quote * scale))),
      ask: u.premium(BigInt(Math.ceil(ask.quote * scale))),
      ammBid,
      ammAsk,
      vol: v.vol,
      delta: v.delta,
    });
  }
  return { chainTime: now, spot, series: out };
}

function bySeries(
  a: { expiry: number; strike: bigint; isCall: boolean },
  b: { expiry: number; strike: bigint; isCall: boolean },
) {
  return a.expiry - b.expiry || Number(a.strike - b.strike) || Number(b.isCall) - Number(a.isCall);
}
