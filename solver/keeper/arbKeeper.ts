import { type Address, type Hex, isAddressEqual } from "viem";
import { ChainError, ConfigError, ErrorCode } from "../errors.js";
import { minBigInt } from "../math/bigint.js";
import type { TxSender } from "../settlement/txSender.js";
import { priceFromSqrtX96, type SwapPlan, swapToPrice } from "../venue/poolMath.js";
import { revertReason, type SpotSide, type UniswapVenue, type VenueQuote } from "../venue/uniswap.js";

/** How the arbitrage keeper trades. */
export interface ArbKeeperParams {
  /**
   * Least gap between the pool and the reference, bps, worth a trade. An arbitrageur that only trades when
   * the gap pays the pool's fee sets this at or above the fee (5 bps for the 0.05% pool).
   */
  minGapBps: number;
  /** Largest exact input per swap, in each token's base units. */
  maxAmountIn: Record<SpotSide, bigint>;
  /** `amountOutMinimum` is QuoterV2's output less this, bps: what the pool may move between quote and swap. */
  slippageBps: number;
  /** Seconds after the latest block's time that the swap may still be included. */
  deadlineSeconds: number;
  /** Least profit, USD at the reference price, of the quoted swap (0: any trade that does not lose). */
  minProfitUsd: number;
}

export const DEFAULT_ARB_PARAMS: ArbKeeperParams = {
  minGapBps: 5,
  maxAmountIn: { weth: 1_000n * 10n ** 18n, usdc: 3_000_000n * 10n ** 6n },
  slippageBps: 10,
  deadlineSeconds: 120,
  minProfitUsd: 0,
};

/** What one run did; `skipped` says why nothing was sent. */
export interface ArbRun {
  moved: boolean;
  skipped?: "belowThreshold" | "unprofitable";
  sell?: SpotSide;
  amountIn?: bigint;
  /** Pool price before and after, USD per ETH. */
  priceBefore: number;
  priceAfter: number;
  txHash?: Hex;
  /** Quoted profit at the reference price, USD (gas not counted). */
  profitUsd?: number;
}

export interface ArbKeeperDeps {
  venue: UniswapVenue;
  /** The keeper's own sender: its key, its nonces. Never the solver's. */
  sender: TxSender;
  /** Where the swap's output goes (the sender's account, which pays the input). */
  recipient: Address;
  /** The solver's account, refused as the keeper's signer. */
  solver?: Address;
  params?: Partial<ArbKeeperParams>;
}

const WETH_UNIT = 1e18;
const USDC_UNIT = 1e6;

/**
 * A keeper that trades against the pool like any arbitrageur to pull its price toward a reference (the
 * oracle, or an outside feed): it sells into the pool from its own funds and key, exactly the swap that
 * `swapToPrice` says lands on the reference, capped at `maxAmountIn`. It trades only when the gap exceeds
 * `minGapBps` and QuoterV2 says the swap does not lose at the reference price after the pool's fee.
 */
export class ArbKeeper {
  readonly params: ArbKeeperParams;

  constructor(readonly deps: ArbKeeperDeps) {
    this.params = { ...DEFAULT_ARB_PARAMS, ...deps.params };
    const signer = deps.sender.clients.account.address;
    if (deps.solver && isAddressEqual(signer, deps.solver))
      throw new ConfigError(ErrorCode.ConfigInvalid, "the arbitrage keeper must not sign with the solver's key", {
        details: { signer },
      });
  }

  /** Sends the approvals to the router its account still needs; returns how many. */
  async approve(): Promise<number> {
    const calls = await this.deps.venue.approvalCalls(this.deps.sender.clients.account.address);
    for (const call of calls) await this.deps.sender.receipt(await this.deps.sender.send(call));
    return calls.length;
  }

  /** One look at the pool: trades it toward `referencePrice` (USD per ETH) when that pays. */
  async run(referencePrice: number): Promise<ArbRun> {
    const state = await this.deps.venue.poolState();
    const priceBefore = priceFromSqrtX96(state.sqrtPriceX96, state.wethIsToken0);
    const idle = { moved: false, priceBefore, priceAfter: priceBefore };
    const gapBps = Math.abs(referencePrice / priceBefore - 1) * 10_000;
    const plan = gapBps < this.params.minGapBps ? null : swapToPrice(state, referencePrice);
    if (!plan) return { ...idle, skipped: "belowThreshold" };
    const amountIn = minBigInt(plan.amountIn, this.params.maxAmountIn[plan.sell]);
    const quote = await this.deps.venue.quoteExactIn({ sell: plan.sell, amountIn });
    const profitUsd = profitAt(referencePrice, { sell: plan.sell, amountIn }, quote);
    if (profitUsd <= this.params.minProfitUsd) return { ...idle, skipped: "unprofitable", profitUsd };
    const { txHash, sqrtPriceX96After } = await this.#swap({ sell: plan.sell, amountIn }, quote);
    const priceAfter = priceFromSqrtX96(sqrtPriceX96After, state.wethIsToken0);
    return { moved: true, sell: plan.sell, amountIn, priceBefore, priceAfter, txHash, profitUsd };
  }

  /** Sends the swap with the quote less the slippage bound as its minimum; a revert is VENUE_SWAP_FAILED. */
  async #swap(plan: SwapPlan, quote: VenueQuote): Promise<{ txHash: Hex; sqrtPriceX96After: bigint }> {
    const { venue, sender, recipient } = this.deps;
    const amountOutMinimum = (quote.amountOut * BigInt(10_000 - this.params.slippageBps)) / 10_000n;
    const block = await venue.client.getBlock();
    const deadline = block.timestamp + BigInt(this.params.deadlineSeconds);
    const details = { sell: plan.sell, amountIn: plan.amountIn.toString() };
    let txHash: Hex;
    try {
      txHash = await sender.send(venue.swapCall({ ...plan, amountOutMinimum, recipient, deadline }));
    } catch (cause) {
      const reason = revertReason(cause);
      throw new ChainError(ErrorCode.VenueSwapFailed, `arbitrage swap failed: ${reason}`, {
        cause,
        details: { ...details, reason },
      });
    }
    const receipt = await sender.receipt(txHash);
    const result = receipt.status === "success" ? venue.swapResult(receipt, recipient) : null;
    if (!result)
      throw new ChainError(ErrorCode.VenueSwapFailed, "arbitrage swap reverted", { details: { ...details, txHash } });
    return { txHash, sqrtPriceX96After: result.sqrtPriceX96After };
  }
}

/** The quoted swap's profit valued at the reference price, USD: what comes out less what goes in. */
export function profitAt(referencePrice: number, trade: SwapPlan, quote: Pick<VenueQuote, "amountOut">): number {
  const weth = (amount: bigint) => (Number(amount) / WETH_UNIT) * referencePrice;
  const usdc = (amount: bigint) => Number(amount) / USDC_UNIT;
  return trade.sell === "weth"
    ? usdc(quote.amountOut) - weth(trade.amountIn)
    : weth(quote.amountOut) - usdc(trade.amountIn);
}
