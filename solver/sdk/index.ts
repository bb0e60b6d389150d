/** The wallet-side SDK of the internalizer RFQ API: Node and browsers, viem, ethers, Safe and EIP-1271 wallets. */

export type { Intent } from "../chain/intent.js";
export { instrumentName, parseInstrument } from "../domain/instrument.js";
export { SIDES, type TradeSide } from "../domain/side.js";
export { ErrorCode } from "../errors.js";
export {
  type ApproveMode,
  approvalAmount,
  InternalizerClient,
  type Quote,
  randomNonce,
  SdkError,
  type SdkErrorCode,
  type SignedOrder,
} from "./client.js";
export { type SafeWalletOptions, safeWallet } from "./safe.js";
export type { Amount, Order, Series, SeriesList } from "./schemas.js";
export { StreamClient, type StreamHandlers } from "./stream.js";
export {
  contractWallet,
  ethersWallet,
  type SignRequest,
  type TxRequest,
  viemWallet,
  type WalletAdapter,
} from "./wallets.js";
