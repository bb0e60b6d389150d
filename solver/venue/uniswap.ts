import { type Address, isAddressEqual, maxUint256, parseEventLogs, type TransactionReceipt } from "viem";
import type { Clients } from "../chain/clients.js";
import { decodeRevert } from "../chain/revert.js";
import type { Deployment } from "../config/schema.js";
import { ChainError, ErrorCode } from "../errors.js";
import type { SolverCall } from "../settlement/txSender.js";
import { quoterV2Abi, swapRouterAbi, uniswapPoolAbi, venueErc20Abi } from "./abis.js";
import { isToken0, type PoolState, priceFromSqrtX96 } from "./poolMath.js";

/** The Uniswap v3 contracts and WETH/USDC pool of a deployment. */
export type UniswapDeployment = NonNullable<Deployment["uniswap"]>;
/** The token a swap sells (its exact input). */
export type SpotSide = "weth" | "usdc";

/** The pool's price now (or at a block): USD per ETH, and the slot0/liquidity it comes from. */
export interface MidPrice {
  price: number;
  sqrtPriceX96: bigint;
  liquidity: bigint;
}

/** QuoterV2's answer for an exact-input swap. */
export interface VenueQuote {
  amountOut: bigint;
  sqrtPriceX96After: bigint;
  gasEstimate: bigint;
}

/** An exact-input swap through the SwapRouter; `deadline` is chain time, seconds. */
export interface SwapRequest {
  sell: SpotSide;
  amountIn: bigint;
  amountOutMinimum: bigint;
  recipient: Address;
  deadline: bigint;
}

/** What a mined swap did, from the recipient's side (who is also the payer): + received, − paid. */
export interface SwapResult {
  wethDelta: bigint;
  usdcDelta: bigint;
  sqrtPriceX96After: bigint;
}

/**
 * An infinite approval counts as given while at least half of it is left: tokens that decrement infinite
 * allowances would otherwise ask for a new approval on every swap.
 */
const ENOUGH_ALLOWANCE = maxUint256 / 2n;

/** A revert's reason string (require messages such as "Too little received"), or the error's own text. */
export function revertReason(error: unknown): string {
  const decoded = decodeRevert(error);
  if (decoded && (decoded.name as string) === "Error" && typeof decoded.args[0] === "string") return decoded.args[0];
  if (decoded) return decoded.name;
  const e = error as { shortMessage?: unknown; message?: unknown };
  return String(e?.shortMessage ?? e?.message ?? error);
}

/**
 * The WETH/USDC pool of a Uniswap v3 deployment as a spot venue: reads its price, quotes through QuoterV2
 * (eth_call), builds SwapRouter swaps for a `TxSender`, and reads what a mined swap did from the pool's
 * `Swap` event. It sends nothing itself: whoever holds the key decides.
 */
export class UniswapVenue {
  readonly wethIsToken0: boolean;

  constructor(
    readonly client: Clients["publicClient"],
    readonly deployment: UniswapDeployment,
    readonly tokens: { weth: Address; usdc: Address },
  ) {
    this.wethIsToken0 = isToken0(tokens.weth, tokens.usdc);
  }

  /** The pool's price from slot0, with its active liquidity. */
  async midPrice(blockNumber?: bigint): Promise<MidPrice> {
    const read = { address: this.deployment.pool, abi: uniswapPoolAbi, ...(blockNumber ? { blockNumber } : {}) };
    const [slot0, liquidity] = await Promise.all([
      this.client.readContract({ ...read, functionName: "slot0" }),
      this.client.readContract({ ...read, functionName: "liquidity" }),
    ]);
    const sqrtPriceX96 = slot0[0];
    return { price: priceFromSqrtX96(sqrtPriceX96, this.wethIsToken0), sqrtPriceX96, liquidity };
  }

  /** The pool's state for `swapToPrice`. */
  async poolState(blockNumber?: bigint): Promise<PoolState> {
    const { sqrtPriceX96, liquidity } = await this.midPrice(blockNumber);
    return { sqrtPriceX96, liquidity, wethIsToken0: this.wethIsToken0, fee: this.deployment.fee };
  }

  /** QuoterV2's output for selling `amountIn` of `sell`; a refused or empty quote is a VENUE_QUOTE_FAILED. */
  async quoteExactIn(req: { sell: SpotSide; amountIn: bigint }): Promise<VenueQuote> {
    const [tokenIn, tokenOut] = this.#route(req.sell);
    const params = { tokenIn, tokenOut, amountIn: req.amountIn, fee: this.deployment.fee, sqrtPriceLimitX96: 0n };
    const details = { sell: req.sell, amountIn: req.amountIn.toString(), pool: this.deployment.pool };
    let result: readonly [bigint, bigint, number, bigint];
    try {
      ({ result } = await this.client.simulateContract({
        address: this.deployment.quoterV2,
        abi: quoterV2Abi,
        functionName: "quoteExactInputSingle",
        args: [params],
      }));
    } catch (cause) {
      const reason = revertReason(cause);
      throw new ChainError(ErrorCode.VenueQuoteFailed, `QuoterV2 refused the quote: ${reason}`, {
        cause,
        details: { ...details, reason },
      });
    }
    const [amountOut, sqrtPriceX96After, , gasEstimate] = result;
    if (amountOut === 0n)
      throw new ChainError(ErrorCode.VenueQuoteFailed, "the pool gives nothing for this swap (no liquidity)", {
        details,
      });
    return { amountOut, sqrtPriceX96After, gasEstimate };
  }

  /** SwapRouter.exactInputSingle with no price limit: `amountOutMinimum` and `deadline` bound the swap. */
  swapCall(req: SwapRequest): SolverCall {
    const [tokenIn, tokenOut] = this.#route(req.sell);
    const params = {
      tokenIn,
      tokenOut,
      fee: this.deployment.fee,
      recipient: req.recipient,
      deadline: req.deadline,
      amountIn: req.amountIn,
      amountOutMinimum: req.amountOutMinimum,
      sqrtPriceLimitX96: 0n,
    };
    return {
      address: this.deployment.swapRouter,
      abi: swapRouterAbi,
      functionName: "exactInputSingle",
      args: [params],
    };
  }

  /** The pool's `Swap` events to `recipient` in a receipt, summed; null when there is none. */
  swapResult(receipt: TransactionReceipt, recipient: Address): SwapResult | null {
    const swaps = parseEventLogs({ abi: uniswapPoolAbi, eventName: "Swap", logs: receipt.logs }).filter(
      (log) => isAddressEqual(log.address, this.deployment.pool) && isAddressEqual(log.args.recipient, recipient),
    );
    const last = swaps.at(-1);
    if (!last) return null;
    // The event's amounts are the pool's: + it received, − it paid. The recipient's are the opposite.
    const delta0 = -swaps.reduce((sum, log) => sum + log.args.amount0, 0n);
    const delta1 = -swaps.reduce((sum, log) => sum + log.args.amount1, 0n);
    const [wethDelta, usdcDelta] = this.wethIsToken0 ? [delta0, delta1] : [delta1, delta0];
    return { wethDelta, usdcDelta, sqrtPriceX96After: last.args.sqrtPriceX96 };
  }

  /** The approvals to the SwapRouter that `owner` still needs (infinite ones), in token order WETH, USDC. */
  async approvalCalls(owner: Address): Promise<SolverCall[]> {
    const tokens = [this.tokens.weth, this.tokens.usdc];
    const allowances = await Promise.all(
      tokens.map((address) =>
        this.client.readContract({
          address,
          abi: venueErc20Abi,
          functionName: "allowance",
          args: [owner, this.deployment.swapRouter],
        }),
      ),
    );
    return tokens
      .filter((_, i) => allowances[i]! < ENOUGH_ALLOWANCE)
      .map((address) => ({
        address,
        abi: venueErc20Abi,
        functionName: "approve",
        args: [this.deployment.swapRouter, maxUint256],
      }));
  }

  /** `owner`'s WETH and USDC balances. */
  async balancesOf(owner: Address): Promise<{ weth: bigint; usdc: bigint }> {
    const balance = (address: Address) =>
      this.client.readContract({ address, abi: venueErc20Abi, functionName: "balanceOf", args: [owner] });
    const [weth, usdc] = await Promise.all([balance(this.tokens.weth), balance(this.tokens.usdc)]);
    return { weth, usdc };
  }

  /** [tokenIn, tokenOut] for selling `sell`. */
  #route(sell: SpotSide): [Address, Address] {
    return sell === "weth" ? [this.tokens.weth, this.tokens.usdc] : [this.tokens.usdc, this.tokens.weth];
  }
}
