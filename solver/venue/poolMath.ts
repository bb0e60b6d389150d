import type { Address } from "viem";
import { ErrorCode, InternalizerError } from "../errors.js";

/**
 * Uniswap v3 price math for the WETH/USDC pool. A pool's price is `sqrtPriceX96` = √(token1 per token0, in
 * raw units) · 2^96, token0 being the lower address; the solver thinks in USD per ETH. Prices are floats
 * (estimates); amounts that settle are bigints computed with the pool's own integer formulas and rounding.
 */
export const Q96 = 2n ** 96n;
/** The pool's bounds on `sqrtPriceX96` (TickMath.MIN_SQRT_RATIO, MAX_SQRT_RATIO). */
export const MIN_SQRT_RATIO = 4295128739n;
export const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n;
/** Fees are in hundredths of a bp (pips): 500 = 0.05%. */
export const FEE_DENOMINATOR = 1_000_000n;
/** `swapToPrice` leaves a pool alone that is this close to the target (fraction of the price). */
export const WITHIN_TARGET = 1e-4;

/** Whether WETH is the pool's token0 (the lower address). */
export function isToken0(token: Address, other: Address): boolean {
  return BigInt(token) < BigInt(other);
}

/** The two tokens in pool order, [token0, token1]. */
export function sortTokens(a: Address, b: Address): [Address, Address] {
  return isToken0(a, b) ? [a, b] : [b, a];
}

/** USD per ETH at a pool price. Float: an estimate, good to ~1e-15 relative. */
export function priceFromSqrtX96(
  sqrtPriceX96: bigint,
  wethIsToken0: boolean,
  wethDecimals = 18,
  usdcDecimals = 6,
): number {
  const root = Number(sqrtPriceX96) / 2 ** 96;
  const raw = root * root;
  const scale = 10 ** (wethDecimals - usdcDecimals);
  return wethIsToken0 ? raw * scale : scale / raw;
}

/** The pool price (`sqrtPriceX96`) of `price` USD per ETH; refuses prices the pool cannot hold. */
export function sqrtX96FromPrice(price: number, wethIsToken0: boolean, wethDecimals = 18, usdcDecimals = 6): bigint {
  if (!Number.isFinite(price) || price <= 0)
    throw new InternalizerError(ErrorCode.VenuePriceInvalid, `price ${price} is not a positive number`);
  const scale = 10 ** (wethDecimals - usdcDecimals);
  const raw = wethIsToken0 ? price / scale : scale / price;
  const sqrt = BigInt(Math.round(Math.sqrt(raw) * 2 ** 96));
  if (sqrt < MIN_SQRT_RATIO || sqrt >= MAX_SQRT_RATIO)
    throw new InternalizerError(ErrorCode.VenuePriceInvalid, `price ${price} is outside the pool's range`);
  return sqrt;
}

/** ⌈a·b / c⌉ for non-negative a, b and positive c. */
export function mulDivUp(a: bigint, b: bigint, c: bigint): bigint {
  return (a * b + c - 1n) / c;
}

/** token0 between two prices at liquidity L, rounded up: L·(1/√P_lo − 1/√P_hi) (SqrtPriceMath.getAmount0Delta). */
export function amount0Delta(sqrtA: bigint, sqrtB: bigint, liquidity: bigint): bigint {
  const [lo, hi] = sqrtA < sqrtB ? [sqrtA, sqrtB] : [sqrtB, sqrtA];
  const product = mulDivUp(liquidity << 96n, hi - lo, hi);
  return (product + lo - 1n) / lo;
}

/** token1 between two prices at liquidity L, rounded up: L·(√P_hi − √P_lo) (SqrtPriceMath.getAmount1Delta). */
export function amount1Delta(sqrtA: bigint, sqrtB: bigint, liquidity: bigint): bigint {
  const [lo, hi] = sqrtA < sqrtB ? [sqrtA, sqrtB] : [sqrtB, sqrtA];
  return mulDivUp(liquidity, hi - lo, Q96);
}

/** The exact input that leaves `net` in the pool after its fee: the pool keeps ⌊in·(1 − fee)⌋ (SwapMath). */
export function grossUpForFee(net: bigint, fee: number): bigint {
  return mulDivUp(net, FEE_DENOMINATOR, FEE_DENOMINATOR - BigInt(fee));
}

/** What `swapToPrice` needs of a pool: slot0's price, the active liquidity, the token order and the fee. */
export interface PoolState {
  sqrtPriceX96: bigint;
  liquidity: bigint;
  wethIsToken0: boolean;
  /** Pips (500 = 0.05%). */
  fee: number;
}

/** An exact-input swap: which token goes in, and how much (fee included). */
export interface SwapPlan {
  sell: "weth" | "usdc";
  amountIn: bigint;
}

/**
 * The exact input (fee included) that moves the pool's price to `targetPrice` (USD per ETH); null when the
 * price is already within 1 bp of it. Selling token0 lowers `sqrtPriceX96`, selling token1 raises it.
 *
 * Valid only while the price stays inside the current liquidity range: past the next initialized tick the
 * pool's liquidity changes, so more liquidity leaves the price short of the target and none lets it jump
 * to the next range. QuoterV2's `sqrtPriceX96After` says where a swap really lands.
 */
export function swapToPrice(state: PoolState, targetPrice: number): SwapPlan | null {
  const current = priceFromSqrtX96(state.sqrtPriceX96, state.wethIsToken0);
  if (Math.abs(targetPrice / current - 1) < WITHIN_TARGET) return null;
  if (state.liquidity <= 0n) throw new InternalizerError(ErrorCode.NoLiquidity, "the pool has no active liquidity");
  const target = sqrtX96FromPrice(targetPrice, state.wethIsToken0);
  const zeroForOne = target < state.sqrtPriceX96;
  const net = zeroForOne
    ? amount0Delta(target, state.sqrtPriceX96, state.liquidity)
    : amount1Delta(state.sqrtPriceX96, target, state.liquidity);
  const sell = zeroForOne === state.wethIsToken0 ? "weth" : "usdc";
  return { sell, amountIn: grossUpForFee(net, state.fee) };
}
