import type { Address } from "viem";
import type { AssetUnits } from "./amount.js";
import type { SeriesTerms } from "./seriesId.js";

/** An ERC-20 of the pair: its address, symbol and decimals, read once at start-up. */
export interface AssetInfo extends AssetUnits {
  address: Address;
}

/** The pair the solver trades: the underlying (WETH, call collateral and premium) and the quote (USDC). */
export interface PairAssets {
  underlying: AssetInfo;
  quote: AssetInfo;
}

/** The asset a series' premiums and collateral are paid in: the underlying for calls, the quote for puts. */
export function premiumAssetOf(assets: PairAssets, terms: Pick<SeriesTerms, "isCall">): AssetInfo {
  return terms.isCall ? assets.underlying : assets.quote;
}
