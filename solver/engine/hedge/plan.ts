import type { Config } from "../../config/schema.js";
import type { HedgeSell } from "../../store/hedges.js";

export type HedgeParams = Config["hedge"];

const YEAR_SECONDS = 365 * 86_400;
/** E|Z| for a standard normal: the mean absolute move per unit of standard deviation. */
const MEAN_ABS_NORMAL = Math.sqrt(2 / Math.PI);

/** The book's exposure to spot: options plus the spot taken on since the first start, in ETH and USD. */
export interface Exposure {
  spot: number;
  optionsDeltaEth: number;
  /** WETH held (cash and collateral) beyond what was held at the first start, plus capital moved. */
  spotEth: number;
  netDeltaEth: number;
  netDeltaUsd: number;
}

/**
 * The exposure of a book whose options have `optionsDeltaUsd` of delta and which holds `wethNow` against
 * `wethStart` (the starting WETH plus capital moved in): the WETH it started with is capital, not a view.
 */
export function exposureOf(optionsDeltaUsd: number, wethNow: bigint, wethStart: bigint, spot: number): Exposure {
  const optionsDeltaEth = optionsDeltaUsd / spot;
  const spotEth = Number(wethNow - wethStart) / 1e18;
  const netDeltaEth = optionsDeltaEth + spotEth;
  return { spot, optionsDeltaEth, spotEth, netDeltaEth, netDeltaUsd: netDeltaEth * spot };
}

/** A swap that takes `hedgeRatio` of the net delta off, as ETH of delta moved. */
export interface HedgeSize {
  sell: HedgeSell;
  eth: number;
}

/**
 * The swap to make when the net delta is outside the least band (`bandUsd`): `hedgeRatio` of it (Hummingbot's
 * hedge_ratio), capped at `maxTradeUsd`. Long delta sells WETH; short delta buys WETH with USDC.
 */
export function hedgeSize(e: Exposure, p: Pick<HedgeParams, "bandUsd" | "hedgeRatio" | "maxTradeUsd">) {
  if (Math.abs(e.netDeltaUsd) <= p.bandUsd || p.hedgeRatio === 0) return null;
  const eth = Math.min(Math.abs(e.netDeltaEth) * p.hedgeRatio, p.maxTradeUsd / e.spot);
  return { sell: e.netDeltaEth > 0 ? "weth" : "usdc", eth } satisfies HedgeSize;
}

/** What one swap of a given size costs, in USD: the pool's price impact and fee against the reference, and gas. */
export interface HedgeCost {
  /** Value given up against the reference price: (value in - value out) at the reference. */
  impactUsd: number;
  gasUsd: number;
  totalUsd: number;
  /** Impact per USD of notional, for the band. */
  impactPerUsd: number;
}

/** The cost of selling `amountIn` of `sell` for `amountOut`, valued at the reference `mid`, plus gas. */
export function hedgeCost(
  trade: { sell: HedgeSell; amountIn: bigint; amountOut: bigint },
  mid: number,
  gasUsd: number,
): HedgeCost {
  const weth = (x: bigint) => (Number(x) / 1e18) * mid;
  const usdc = (x: bigint) => Number(x) / 1e6;
  const valueIn = trade.sell === "weth" ? weth(trade.amountIn) : usdc(trade.amountIn);
  const valueOut = trade.sell === "weth" ? usdc(trade.amountOut) : weth(trade.amountOut);
  const impactUsd = valueIn - valueOut;
  return { impactUsd, gasUsd, totalUsd: impactUsd + gasUsd, impactPerUsd: valueIn > 0 ? impactUsd / valueIn : 0 };
}

/**
 * The cost test that widens the band: hedge only when carrying the delta over the horizon is expected to lose
 * more than `costMultiple` times what the swap costs. The expected absolute loss of |D| USD of delta over h is
 * |D| vol sqrt(h) sqrt(2/pi); the swap costs gas + c x size. The band is where they meet:
 * k gas / (vol sqrt(h) sqrt(2/pi) - k c), never below `bandUsd` (infinite when impact alone outweighs it).
 */
export function costBand(
  cost: HedgeCost,
  vol: number,
  p: Pick<HedgeParams, "bandUsd" | "costMultiple" | "horizonSeconds">,
) {
  const carryPerUsd = vol * Math.sqrt(p.horizonSeconds / YEAR_SECONDS) * MEAN_ABS_NORMAL;
  const room = carryPerUsd - p.costMultiple * Math.max(cost.impactPerUsd, 0);
  const band = room > 0 ? (p.costMultiple * cost.gasUsd) / room : Number.POSITIVE_INFINITY;
  return Math.max(band, p.bandUsd);
}

/** The swap's input amount for moving `eth` of delta at `mid`: WETH sold, or USDC spent on WETH. */
export function amountInFor(size: HedgeSize, mid: number): bigint {
  if (size.sell === "weth") return BigInt(Math.floor(size.eth * 1e9)) * 10n ** 9n;
  return BigInt(Math.floor(size.eth * mid * 1e6));
}

/** The least output accepted: the quote less `maxSlippageBps`, rounded down (the bound never loosens). */
export function minOutFor(quoted: bigint, maxSlippageBps: number): bigint {
  return (quoted * BigInt(Math.round((10_000 - maxSlippageBps) * 100))) / 1_000_000n;
}

/**
 * How much of `cash` a swap may spend while the locked collateral stays within `maxUtilisation` of the
 * asset (locked / (locked + cash)): hedging never takes the cash that backs the book's short options.
 */
export function spendable(cash: bigint, locked: bigint, maxUtilisation: number): bigint {
  if (maxUtilisation <= 0) return 0n;
  const ppm = BigInt(Math.round(maxUtilisation * 1e6));
  // cash must stay at or above locked (1 - u) / u, rounded up.
  const floor = (locked * (1_000_000n - ppm) + ppm - 1n) / ppm;
  return cash > floor ? cash - floor : 0n;
}

/** `size` capped at what may be spent (`room`, in the sold asset's base units) at `mid`; null when nothing. */
export function withinRoom(size: HedgeSize, room: bigint, mid: number): HedgeSize | null {
  const roomEth = size.sell === "weth" ? Number(room) / 1e18 : Number(room) / 1e6 / mid;
  const eth = Math.min(size.eth, roomEth * 0.999);
  return eth > 1e-6 ? { ...size, eth } : null;
}
