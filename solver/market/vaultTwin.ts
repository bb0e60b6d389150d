import { decodeSeriesId } from "../domain/seriesId.js";
import { WAD } from "../math/wad.js";
import { greeksWad } from "../pricing/blackScholesWad.js";
import { lnWad, mulDiv } from "../pricing/wadMath.js";

/** The vault's pricing parameters (`IOptionVault.Params`), ppm and seconds. */
export interface VaultParams {
  rate: bigint;
  baseSpread: bigint;
  utilSpread: bigint;
  sizeSpread: bigint;
  deltaSpread: bigint;
  vegaSpread: bigint;
  oracleMaxAge: bigint;
  volMaxAge: bigint;
}

/** The vault's capacity limits (`IOptionVault.Limits`). */
export interface VaultLimits {
  maxTimeToExpiry: bigint;
  minTimeToExpiry: bigint;
  seriesCap: bigint;
  minAbsDelta: bigint;
  maxAbsDelta: bigint;
  minPremium: bigint;
  minPosition: bigint;
}

export interface VolSliceState {
  atmVol: bigint;
  skew: bigint;
  curvature: bigint;
  updatedAt: bigint;
}

/**
 * Everything `OptionVault.quote` reads, as the solver follows it: the vault's immutables, its parameters,
 * limits and book, the positions and vol slices it has, the oracle's latest round, and the ledger's series.
 */
export interface VaultState {
  pairId: number;
  isCall: boolean;
  oracleToWad: bigint;
  quoteToWad: bigint;
  underlyingUnit: bigint;
  params: VaultParams;
  limits: VaultLimits;
  book: { free: bigint; locked: bigint };
  /** Signed position (positive long) and its locked collateral, per series; absent means none. */
  positions: ReadonlyMap<bigint, { amount: bigint; collateral: bigint }>;
  openSeries: number;
  volSlices: ReadonlyMap<number, VolSliceState>;
  oracle: { answer: bigint; updatedAt: bigint };
  /** Whether the ledger has the series (`isSeries`). */
  isSeries(seriesId: bigint): boolean;
}

/** `IOptionVault.Quote`, with the refusal as the custom error's name (null when the vault would trade). */
export interface TwinQuote {
  premium: bigint;
  fee: bigint;
  modelValue: bigint;
  spot: bigint;
  vol: bigint;
  delta: bigint;
  refusal: string | null;
}

/** Where `OptionVault._quote` reverts: there is no price (stale or missing inputs, an unsupported series). */
export class NoVaultPrice extends Error {
  constructor(readonly error: string) {
    super(`the vault has no price: ${error}`);
  }
}

const PPM = 1_000_000n;
const PPM_TO_WAD = 10n ** 12n;
const YEAR = 365n * 86_400n;
const MIN_VOL = 10n ** 16n;
const MAX_VOL = 5n * WAD;
const MAX_OPEN_SERIES = 32;

/**
 * `OptionVault.quote(seriesId, amount, isBuy)` at block time `now`, computed off-chain from the followed
 * state: `_quote`, `_model`, `VaultPricing` and `VaultRisk.refusal`, in the same integer operations.
 */
export function quoteTwin(state: VaultState, seriesId: bigint, amount: bigint, isBuy: boolean, now: bigint): TwinQuote {
  if (amount === 0n) throw new NoVaultPrice("ZeroAmount");
  const terms = decodeSeriesId(seriesId);
  if (terms.pairId !== state.pairId || terms.isCall !== state.isCall) throw new NoVaultPrice("UnsupportedSeries");
  const expiry = BigInt(terms.expiry);
  if (now >= expiry) throw new NoVaultPrice("SeriesExpired");
  const m = model(state, terms.strike, terms.expiry, now);
  const divisor = state.isCall ? WAD : state.underlyingUnit * state.quoteToWad;
  const p = state.params;
  const position = state.positions.get(seriesId) ?? { amount: 0n, collateral: 0n };
  const { free, locked } = state.book;
  const modelValue = mulDiv(amount, m.valuePerOption, divisor);
  const capital = free + locked;
  const utilBefore = fraction(locked, capital);
  const collateral = (n: bigint) => collateralOf(state, terms.strike, n);
  const trade = { amount, toWrite: 0n, collateralIn: 0n, toClose: 0n, collateralOut: 0n, exposureAfter: 0n };
  let premium: bigint;
  let fee: bigint;
  if (isBuy) {
    const held = position.amount > 0n ? position.amount : 0n;
    const fromInventory = held < amount ? held : amount;
    trade.toWrite = amount - fromInventory;
    trade.collateralIn = collateral(trade.toWrite);
    trade.exposureAfter = position.collateral + trade.collateralIn;
    const utilAfter = fraction(locked + trade.collateralIn, capital);
    const size = fraction(position.collateral + trade.exposureAfter, 2n * capital);
    const s = spread(p, (utilBefore + utilAfter) / 2n, size);
    premium = askPremium(m.valuePerOption, s, m.fixedPerOption, amount, divisor);
    fee = premium - modelValue;
  } else {
    const short = position.amount < 0n ? -position.amount : 0n;
    trade.toClose = short < amount ? short : amount;
    trade.collateralOut = state.isCall ? trade.toClose : mulDiv(terms.strike, trade.toClose, state.underlyingUnit);
    const longAfter = position.amount + amount;
    const longBefore = position.amount > 0n ? position.amount : 0n;
    const notionalAfter = longAfter > 0n ? collateral(longAfter) : 0n;
    trade.exposureAfter = longAfter > 0n ? mulDiv(longAfter, m.valuePerOption, divisor) : 0n;
    const size = fraction(collateral(longBefore) + notionalAfter, 2n * capital);
    const s = spread(p, utilBefore, size);
    premium = bidPremium(m.valuePerOption, s, m.fixedPerOption, amount, divisor);
    fee = modelValue - premium;
  }
  const q = { premium, fee, modelValue, spot: m.spot, vol: m.vol, delta: m.delta, refusal: null as string | null };
  q.refusal = refusal(state, seriesId, expiry, position.amount, trade, q, isBuy, now);
  return q;
}

/** `OptionVault._model`: spot, vol and delta on the quote, and the value and fixed spread per option. */
function model(state: VaultState, strike: bigint, expiry: number, now: bigint) {
  const p = state.params;
  const { answer, updatedAt } = state.oracle;
  if (answer <= 0n) throw new NoVaultPrice("InvalidOraclePrice");
  if (now - updatedAt > p.oracleMaxAge) throw new NoVaultPrice("StaleOracle");
  const spot = answer * state.oracleToWad;
  const slice = state.volSlices.get(expiry);
  if (!slice || slice.updatedAt === 0n) throw new NoVaultPrice("VolNotSet");
  if (now - slice.updatedAt > p.volMaxAge) throw new NoVaultPrice("StaleVol");
  const strikeWad = strike * state.quoteToWad;
  const tYears = BigInt(expiry) > now ? ((BigInt(expiry) - now) * WAD) / YEAR : 0n;
  const rate = p.rate * PPM_TO_WAD;
  const vol = volAt(slice, strikeWad, spot, tYears, rate);
  const g = greeksWad(spot, strikeWad, tYears, vol, rate);
  const delta = state.isCall ? g.callDelta : g.callDelta - WAD;
  const absDelta = state.isCall ? g.callDelta : WAD - g.callDelta;
  const risk = mulDiv(absDelta, spot * p.deltaSpread, WAD * PPM, true) + mulDiv(g.vega, p.vegaSpread, PPM, true);
  return state.isCall
    ? { spot, vol, delta, valuePerOption: (g.call * WAD) / spot, fixedPerOption: mulDiv(risk, WAD, spot, true) }
    : { spot, vol, delta, valuePerOption: g.put, fixedPerOption: risk };
}

/** `VaultPricing.volAt`: atm + skew k + curvature k^2, k = ln(K/F), clamped. */
function volAt(slice: VolSliceState, strike: bigint, spot: bigint, tYears: bigint, rate: bigint): bigint {
  const k = lnWad((strike * WAD) / spot) - (rate * tYears) / WAD;
  const v = slice.atmVol + (slice.skew * k) / WAD + (((slice.curvature * k) / WAD) * k) / WAD;
  return v < MIN_VOL ? MIN_VOL : v > MAX_VOL ? MAX_VOL : v;
}

function spread(p: VaultParams, utilisation: bigint, size: bigint): bigint {
  return (p.baseSpread * WAD + p.utilSpread * utilisation + p.sizeSpread * size) / PPM;
}

function fraction(part: bigint, whole: bigint): bigint {
  if (whole === 0n || part >= whole) return WAD;
  return (part * WAD) / whole;
}

function askPremium(value: bigint, s: bigint, fixed: bigint, amount: bigint, divisor: bigint): bigint {
  const perOption = mulDiv(value, WAD + s, WAD, true) + fixed;
  const ask = mulDiv(amount, perOption, divisor, true);
  return ask === 0n ? 1n : ask;
}

function bidPremium(value: bigint, s: bigint, fixed: bigint, amount: bigint, divisor: bigint): bigint {
  if (s >= WAD) return 0n;
  const perOption = mulDiv(value, WAD - s, WAD);
  if (perOption <= fixed) return 0n;
  return mulDiv(amount, perOption - fixed, divisor);
}

function collateralOf(state: VaultState, strike: bigint, amount: bigint): bigint {
  return state.isCall ? amount : mulDiv(strike, amount, state.underlyingUnit, true);
}

/** `VaultRisk.refusal`: the name of the custom error a trade would revert with, or null. */
function refusal(
  state: VaultState,
  seriesId: bigint,
  expiry: bigint,
  positionAmount: bigint,
  t: {
    amount: bigint;
    toWrite: bigint;
    collateralIn: bigint;
    toClose: bigint;
    collateralOut: bigint;
    exposureAfter: bigint;
  },
  q: { premium: bigint; delta: bigint },
  isBuy: boolean,
  now: bigint,
): string | null {
  if (!state.isSeries(seriesId)) return "UnknownSeries";
  const lim = state.limits;
  const addsRisk = isBuy ? t.toWrite !== 0n : t.amount > t.toClose;
  if (addsRisk) {
    if (expiry > now + lim.maxTimeToExpiry) return "ExpiryTooFar";
    if (expiry < now + lim.minTimeToExpiry) return "ExpiryTooClose";
    const absDeltaPpm = ((q.delta >= 0n ? q.delta : -q.delta) * PPM) / WAD;
    if (absDeltaPpm < lim.minAbsDelta || absDeltaPpm > lim.maxAbsDelta) return "DeltaOutOfBounds";
  }
  if (q.premium < lim.minPremium) return "PremiumTooSmall";
  const { free, locked } = state.book;
  if (isBuy && t.collateralIn > free) return "InsufficientLiquidity";
  if (!isBuy && q.premium > free + t.collateralOut) return "InsufficientLiquidity";
  if (addsRisk && t.exposureAfter > ((free + locked) * lim.seriesCap) / PPM) return "ExposureCapExceeded";
  if (lim.minPosition !== 0n && t.amount <= (1n << 128n) - 1n) {
    const after = isBuy ? positionAmount - t.amount : positionAmount + t.amount;
    const size = after >= 0n ? after : -after;
    const min = (lim.minPosition * state.underlyingUnit + PPM - 1n) / PPM;
    if (size !== 0n && size < min) return "PositionBelowMinimum";
  }
  if (positionAmount === 0n && state.openSeries >= MAX_OPEN_SERIES) return "TooManyOpenSeries";
  return null;
}
