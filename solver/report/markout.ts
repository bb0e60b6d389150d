import { OPTION_DECIMALS } from "../domain/amount.js";
import type { BlockClock } from "./blocks.js";
import type { ReportChain } from "./chain.js";

/**
 * The AMM vault's two-sided price for one option of the fill's series at the first block at or after the
 * fill's time plus the horizon: "pending" while the chain has no such block yet, "unavailable" when the vault
 * refused either side there (no price: a stale oracle or vol, an expired series, a capacity refusal).
 */
export type Mark =
  | { status: "pending" }
  | { status: "unavailable"; block: bigint }
  | { status: "marked"; block: bigint; ask: bigint; bid: bigint };

const ONE_OPTION = 10n ** BigInt(OPTION_DECIMALS);

/** Marks a fill mined at `fill.block` (timestamp `fill.timestamp`) `horizon` seconds later. */
export async function markFill(
  chain: Pick<ReportChain, "vaultPremium">,
  clock: BlockClock,
  fill: { seriesId: bigint; block: bigint; timestamp: number },
  horizon: number,
  latest: bigint,
): Promise<Mark> {
  const at = await clock.firstAtOrAfter(fill.timestamp + horizon, fill.block, latest);
  if (at === null) return { status: "pending" };
  const [ask, bid] = await Promise.all([
    chain.vaultPremium(fill.seriesId, ONE_OPTION, true, at),
    chain.vaultPremium(fill.seriesId, ONE_OPTION, false, at),
  ]);
  if (ask === null || bid === null) return { status: "unavailable", block: at };
  return { status: "marked", block: at, ask, bid };
}
