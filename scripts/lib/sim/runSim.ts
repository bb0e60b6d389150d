import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";
import { type Hex, zeroAddress } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { intentForQuote, intentTypes, settlementDomain } from "../../../solver/chain/intent.js";
import { decodeSeriesId } from "../../../solver/domain/seriesId.js";
import type { TradeSide } from "../../../solver/domain/side.js";
import type { Engine } from "../../../solver/engine/engine.js";
import { InternalizerError } from "../../../solver/errors.js";
import { toOptions } from "../../../solver/inventory/inventory.js";
import type { StrategyName } from "../../../solver/router/strategies.js";
import { listFills } from "../../../solver/store/fills.js";
import { devKey } from "../accounts.js";
import { engineFor } from "../engineHarness.js";
import { fundTrader } from "../orders.js";
import { createSeries, deploySystem, ETH, seedVaults, USDC, usd8, WAD } from "../system.js";
import { pricePath, Random } from "./random.js";

export interface SimOptions {
  seed: number;
  requests: number;
  /** Share of requests from informed traders, who know the next oracle move. */
  informed: number;
  strategy: StrategyName;
}

/** The figures of one simulated run. USD figures are rounded to cents. */
export interface SimResult {
  fills: number;
  declines: number;
  declinesByCode: Record<string, number>;
  /** Filled orders by the router's reason for their route. */
  routeReasons: Record<string, number>;
  /** Internal notional over all filled notional (notional = options x spot). */
  internalizedShare: number;
  /** Notional-weighted improvement of what users paid or received against the AMM's price for the order. */
  avgPriceImprovementBps: number;
  /** Internal fills priced worse for the user than the AMM's reference at fill time (Filled events). */
  bestExViolations: number;
  /** Equity change of the solver (cash, collateral, book at model value), USD. */
  solverPnl: number;
  /** Sum of the solver's markouts on internal fills at the horizon, USD. */
  markoutPnl: number;
  /** Spread earned against model value at fill time plus markouts: PnL after adverse selection, USD. */
  markoutAdjustedPnl: number;
  /** What users paid net of what they received, USD, and what the AMM would have charged for the same orders. */
  userCost: number;
  userCostAtAmm: number;
  /** Times a fill left the solver's book beyond a limit. */
  limitBreaches: number;
}

const STEP_SECONDS = 300;
const GENESIS = "2026-11-23T00:00:00Z";
/** Informed traders know the oracle price this many steps ahead: the markout horizon (1 hour). */
const LOOKAHEAD_STEPS = 12;
const SPOT_VOL = 0.8;
const STRIKES = [2600n, 2800n, 3000n, 3200n, 3400n];
const TENORS = [7, 30];

/** One simulated run on a fresh in-process chain: the same seed gives the same flow for every strategy. */
export async function runSim(opts: SimOptions): Promise<SimResult> {
  const random = new Random(opts.seed);
  const path = pricePath(random, 3000, opts.requests, STEP_SECONDS, SPOT_VOL);
  // A fixed genesis date and explicit block times after set-up make every run of a seed identical.
  const connection = await network.create({ override: { initialDate: GENESIS } });
  const s = await deploySystem(connection);
  const { time } = connection.networkHelpers;
  // Set-up blocks take wall-clock timestamps; the measured run starts at a fixed time a day later.
  let clock = Math.floor(Date.parse(GENESIS) / 1000) + 86_400;
  /** The next block lands exactly one second after the last (or `dt` seconds, mined empty). */
  const nextTx = async () => time.setNextBlockTimestamp(++clock);
  const advance = async (dt: number) => {
    clock += dt;
    await time.increaseTo(clock);
  };
  await seedVaults(s, 1000n * ETH, 3_000_000n * USDC);

  const series: bigint[] = [];
  for (const days of TENORS) {
    for (const strike of STRIKES)
      for (const isCall of [true, false]) series.push(await createSeries(s, strike, days, isCall));
  }
  const expiries = [...new Set(series.map((id) => decodeSeriesId(id).expiry))];
  const refreshVols = async (timed = true) => {
    for (const e of expiries) {
      for (const vault of [s.callVault, s.putVault]) {
        if (timed) await nextTx();
        await vault.connect(s.keeper).setVolSlice(e, (WAD * 8n) / 10n, -(WAD / 10n), WAD / 5n);
      }
    }
  };
  await refreshVols(false);
  await fundTrader(s, s.solver, 300n * ETH, 1_000_000n * USDC);

  const signers = (await s.ethers.getSigners()) as HardhatEthersSigner[];
  const informed = [8, 9, 10].map((i) => trader(signers[i]!, i));
  const noise = [11, 12, 13, 14, 15, 16, 17, 18, 19].map((i) => trader(signers[i]!, i));
  for (const t of [...informed, ...noise]) await fundTrader(s, t.signer, 500n * ETH, 2_000_000n * USDC);

  await time.increaseTo(clock);
  await nextTx();
  await s.oracle.pushAnswer(usd8(3000));
  await refreshVols();
  const engine = await engineFor(s, {
    strategy: opts.strategy,
    config: {
      pricing: { vol: { atmVol: 0.8, skew: -0.1, curvature: 0.2 } },
      toxicity: { horizonSeconds: STEP_SECONDS * LOOKAHEAD_STEPS },
    },
  });
  const outcome = {
    declines: 0,
    breaches: 0,
    notional: 0,
    internalNotional: 0,
    improvementWeighted: 0,
    ammWeight: 0,
    cost: 0,
    costAtAmm: 0,
  };

  const declineCodes = new Map<string, number>();
  const routeReasons = new Map<string, number>();
  for (let step = 0; step < opts.requests; step++) {
    const spot = path[step]!;
    const isInformed = random.next() < opts.informed;
    const who = isInformed ? random.pick(informed) : random.pick(noise);
    const ahead = path[Math.min(step + LOOKAHEAD_STEPS, opts.requests)]!;
    const req = isInformed ? informedRequest(random, series, spot, ahead) : await noiseRequest(random, s, who, series);
    try {
      const quote = await engine.quote({ requester: who.account.address, ...req });
      const order = await engine.acceptOrder(await sign(engine, who.account, quote, req.side));
      await nextTx();
      await engine.tick();
      const done = engine.getOrder(order.orderHash);
      if (done?.status === "filled") {
        routeReasons.set(quote.reason, (routeReasons.get(quote.reason) ?? 0) + 1);
        const terms = decodeSeriesId(req.seriesId);
        const usd = (x: bigint) => (terms.isCall ? (Number(x) / 1e18) * spot : Number(x) / 1e6);
        const notional = toOptions(req.amount) * spot;
        const fill = listFills(engine.store, 1)[0]!;
        const buy = req.side === "buy";
        outcome.notional += notional;
        outcome.internalNotional += (toOptions(fill.internalAmount) / toOptions(req.amount)) * notional;
        const amm = usd(quote.ammReferencePremium);
        const paid = usd(fill.premium);
        if (amm > 0) {
          outcome.improvementWeighted += ((buy ? amm - paid : paid - amm) / amm) * 10_000 * amm;
          outcome.ammWeight += amm;
        }
        outcome.cost += buy ? paid : -paid;
        outcome.costAtAmm += buy ? amm : -amm;
        if (breachedLimit(engine, spot, await engine.market.chainTime())) outcome.breaches++;
      }
    } catch (error) {
      if (!(error instanceof InternalizerError)) throw error;
      outcome.declines++;
      declineCodes.set(error.code, (declineCodes.get(error.code) ?? 0) + 1);
    }
    await advance(STEP_SECONDS);
    await nextTx();
    await s.oracle.pushAnswer(usd8(Math.round(path[step + 1]!)));
    if ((step + 1) % 288 === 0) await refreshVols();
    await nextTx();
    await engine.tick();
  }
  // Let the last fills' markouts come due.
  for (let i = 0; i < LOOKAHEAD_STEPS; i++) {
    await advance(STEP_SECONDS);
    await nextTx();
    await s.oracle.pushAnswer(usd8(Math.round(path[opts.requests]!)));
  }
  await nextTx();
  await engine.tick();

  const fills = listFills(engine.store, 1_000_000);
  const markoutPnl = fills.reduce((sum, f) => sum + (f.markoutUsd ?? 0), 0);
  const pnl = await engine.pnlNow();
  const bestExViolations = fills.filter(
    (f) =>
      f.internalAmount > 0n && (f.side === 0 ? f.internalPremium > f.ammReference : f.internalPremium < f.ammReference),
  ).length;
  const cents = (x: number) => Math.round(x * 100) / 100;
  return {
    fills: fills.length,
    declines: outcome.declines,
    declinesByCode: Object.fromEntries(declineCodes),
    routeReasons: Object.fromEntries(routeReasons),
    internalizedShare: round(outcome.notional > 0 ? outcome.internalNotional / outcome.notional : 0, 4),
    avgPriceImprovementBps: round(outcome.ammWeight > 0 ? outcome.improvementWeighted / outcome.ammWeight : 0, 2),
    bestExViolations,
    solverPnl: cents(pnl.totalUsd),
    markoutPnl: cents(markoutPnl),
    markoutAdjustedPnl: cents(pnl.spreadUsd + markoutPnl - pnl.feesUsd - pnl.gasUsd),
    userCost: cents(outcome.cost),
    userCostAtAmm: cents(outcome.costAtAmm),
    limitBreaches: outcome.breaches,
  };
}

interface Trader {
  signer: HardhatEthersSigner;
  account: PrivateKeyAccount;
}

function trader(signer: HardhatEthersSigner, index: number): Trader {
  return { signer, account: privateKeyToAccount(devKey(index)) };
}

/** An informed trader buys the option that gains from the oracle move it knows: a short-dated call or put near the money. */
function informedRequest(random: Random, series: bigint[], spot: number, next: number) {
  const isCall = next > spot;
  const candidates = series.filter((id) => {
    const t = decodeSeriesId(id);
    return t.isCall === isCall && t.expiry === Math.min(...series.map((x) => decodeSeriesId(x).expiry));
  });
  const nearest = candidates.reduce((best, id) =>
    Math.abs(Number(decodeSeriesId(id).strike) / 1e6 - spot) <
    Math.abs(Number(decodeSeriesId(best).strike) / 1e6 - spot)
      ? id
      : best,
  );
  return { seriesId: nearest, side: "buy" as TradeSide, amount: BigInt(random.int(2, 8)) * ETH };
}

/** A noise trader trades a random series: mostly buys, sells back what it holds, sometimes writes. */
async function noiseRequest(
  random: Random,
  s: Awaited<ReturnType<typeof deploySystem>>,
  who: Trader,
  series: bigint[],
) {
  const seriesId = random.pick(series);
  const held = await s.ledger.balanceOf(who.account.address, seriesId);
  const roll = random.next();
  if (held >= ETH && roll < 0.35) {
    const max = Number(held / ETH);
    return { seriesId, side: "sellToClose" as TradeSide, amount: BigInt(random.int(1, Math.min(5, max))) * ETH };
  }
  if (roll > 0.9) return { seriesId, side: "sellToOpen" as TradeSide, amount: BigInt(random.int(1, 3)) * ETH };
  return { seriesId, side: "buy" as TradeSide, amount: BigInt(random.int(1, 5)) * ETH };
}

async function sign(
  engine: Engine,
  account: PrivateKeyAccount,
  quote: Awaited<ReturnType<Engine["quote"]>>,
  side: TradeSide,
) {
  const intent = intentForQuote(
    { ...quote, side },
    { user: account.address, nonce: BigInt(`0x${quote.quoteId.slice(2, 14)}`), solver: zeroAddress },
  );
  const domain = settlementDomain(engine.chainId, engine.deployment.contracts.settlement);
  const signature = (await account.signTypedData({
    domain,
    types: intentTypes,
    primaryType: "Intent",
    message: intent,
  })) as Hex;
  return { intent, signature };
}

/** Which limit, if any, the solver's book is beyond right now. */
function breachedLimit(engine: Engine, spot: number, now: number): string | null {
  const l = engine.limits;
  const g = engine.inventory.greeks(spot, now, engine.surface, engine.config.pricing.rate);
  if (Math.abs(g.deltaUsd) > l.maxNetDeltaUsd * 1.0001) return `delta ${g.deltaUsd.toFixed(0)}`;
  if (Math.abs(g.vegaUsd) > l.maxNetVegaUsd * 1.0001) return `vega ${g.vegaUsd.toFixed(0)}`;
  for (const p of engine.inventory.positions()) {
    const net = toOptions(p.longs - p.shorts);
    if (Math.abs(net) > l.maxSeriesPosition + 1e-9) return `position ${net} in ${p.seriesId}`;
  }
  const locked = engine.inventory.locked();
  const { weth, usdc } = engine.inventory.cash;
  const util = (lk: bigint, cash: bigint) => (lk + cash > 0n ? Number(lk) / Number(lk + cash) : 0);
  const u = Math.max(util(locked.weth, weth), util(locked.usdc, usdc));
  return u > l.maxCollateralUtilisation + 1e-9 ? `utilisation ${u.toFixed(4)}` : null;
}

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}
