/** The wallet-side SDK of the internalizer RFQ API. */

export type { Intent } from "../chain/intent.js";
export type { TradeSide } from "../types.js";
export { InternalizerClient, type OrderStatus, type Quote, randomNonce, SdkError } from "./client.js";
export { contractWallet, ethersWallet, type SignRequest, viemWallet, type WalletAdapter } from "./wallets.js";
