import type { Address, TransactionReceipt } from "viem";
import type { SolverCall } from "../../settlement/txSender.js";
import type { HedgeSell } from "../../store/hedges.js";

/**
 * What the hedger asks of its spot venue (`UniswapVenue` on the chain: QuoterV2 for the quote, SwapRouter
 * for the swap, the pool's Swap event for what happened). A fake answers in unit tests.
 */
export interface HedgeVenue {
  /** The pool's mid price, USD per ETH. */
  midPrice(): Promise<{ price: number }>;
  /** What an exact-input swap of `amountIn` would give now. */
  quoteExactIn(o: { sell: HedgeSell; amountIn: bigint }): Promise<{ amountOut: bigint }>;
  /** The exact-input swap call, refused on chain below `amountOutMinimum` or after `deadline`. */
  swapCall(o: {
    sell: HedgeSell;
    amountIn: bigint;
    amountOutMinimum: bigint;
    recipient: Address;
    deadline: bigint;
  }): SolverCall;
  /** The recipient's signed balance changes from the swap in `receipt`; null when it holds no swap. */
  swapResult(receipt: TransactionReceipt, recipient: Address): { wethDelta: bigint; usdcDelta: bigint } | null;
}
