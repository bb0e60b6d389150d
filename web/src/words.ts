import type { ErrorCode } from "../../solver/errors.js";
import type { SdkErrorCode } from "../../solver/sdk/index.js";

/** Every code the API, the SDK or the page can refuse with, as a title a person reads first. */
const WORDS: Record<ErrorCode | SdkErrorCode | PageCode, string> = {
  CONFIG_INVALID: "The solver's configuration is invalid",
  DEPLOYMENT_INVALID: "The deployment record is invalid",
  SERIES_UNKNOWN: "No such series",
  SERIES_AMBIGUOUS: "The name matches more than one series",
  SERIES_EXPIRED: "The series has expired",
  SIZE_INVALID: "The size is not valid",
  SIZE_TOO_LARGE: "The size is larger than the solver quotes",
  LIMIT_POSITION: "The solver's position limit would be exceeded",
  LIMIT_DELTA: "The solver's delta limit would be exceeded",
  LIMIT_VEGA: "The solver's vega limit would be exceeded",
  LIMIT_COLLATERAL: "The solver's collateral limit would be exceeded",
  NO_LIQUIDITY: "Neither the solver nor the AMM can fill this size",
  INSUFFICIENT_BALANCE: "Your balance is not enough",
  SHARES_LOCKED: "Your shares are still locked",
  VAULT_ASSETS_LOCKED: "The vault's assets are locked as collateral",
  ALLOWANCE_MISSING: "An approval is needed first",
  APPROVAL_MISSING: "An approval is needed first",
  SOLVER_PAUSED: "The solver is paused",
  BUDGET_EXCEEDED: "The solver could not answer in time",
  ORACLE_STALE: "The price oracle is stale",
  PRICE_DIVERGENCE: "The oracle or the pool is too far from the market price: try again shortly",
  REFERENCE_UNAVAILABLE: "The solver cannot read the market price right now",
  FLOW_TOXIC: "The solver does not quote this request (it looks like informed flow)",
  HEDGE_FAILED: "The solver's hedge failed",
  HEDGE_UNAVAILABLE: "Hedging is not available on this deployment",
  VENUE_PRICE_INVALID: "The spot pool's price is not valid",
  VENUE_QUOTE_FAILED: "The spot pool could not quote the swap",
  VENUE_SWAP_FAILED: "The swap on the spot pool failed",
  CHAIN_UNAVAILABLE: "The chain cannot be reached",
  CONTRACT_REVERTED: "The contract refused the transaction",
  QUOTE_UNKNOWN: "The quote is unknown",
  QUOTE_EXPIRED: "The quote expired",
  QUOTE_MISMATCH: "The order does not match the quote",
  ORDER_DUPLICATE: "The order was already sent",
  ORDER_CANCELLED: "The order was cancelled",
  ORDER_NOT_CANCELLABLE: "The order can no longer be cancelled",
  SIGNATURE_INVALID: "The signature is not valid",
  NONCE_USED: "The order's nonce is already used",
  SETTLEMENT_REVERTED: "The settlement transaction reverted",
  SETTLEMENT_FAILED: "The settlement failed",
  STORE_FAILED: "The solver could not record it",
  STORE_MISMATCH: "The solver's records disagree with the chain",
  INVALID_REQUEST: "The request is not valid",
  MALFORMED_JSON: "The request is not valid JSON",
  WRONG_CHAIN: "Wrong chain",
  REQUEST_EXPIRED: "The request expired",
  REQUEST_REPLAYED: "The request was already used",
  RATE_LIMITED: "Too many requests; wait a moment",
  BUSY: "The solver is busy; retry shortly",
  BODY_TOO_LARGE: "The request is too large",
  UNSUPPORTED_MEDIA_TYPE: "The request's content type is not JSON",
  NOT_FOUND: "Not found",
  ORDER_UNKNOWN: "No such order",
  UNAUTHORIZED: "Not authorised",
  ADMIN_TOKEN_MISSING: "The admin token is needed",
  ADMIN_TOKEN_INVALID: "The admin token is wrong",
  AUTH_REQUIRED: "Your wallet's signature is needed",
  AUTH_INVALID: "The wallet's access signature is not valid",
  URI_TOO_LONG: "The address is too long",
  HEADERS_TOO_LARGE: "The request's headers are too large",
  METHOD_NOT_ALLOWED: "Not allowed",
  API_UNAVAILABLE: "The solver's API cannot be reached",
  INTERNAL: "The solver hit an internal error",
  HTTP_ERROR: "The API answered with an error",
  QUOTE_SIGNATURE_INVALID: "The quote is not signed by the solver",
  TIMEOUT: "It took too long",
  WALLET_CANNOT_SEND: "The wallet cannot send transactions",
  NO_WALLET: "No browser wallet found",
  WALLET_REJECTED: "You rejected the request in your wallet",
  WALLET_WRONG_CHAIN: "Your wallet is on the wrong chain",
  WALLET_NOT_CONNECTED: "Connect a wallet first",
  TX_REVERTED: "The transaction reverted",
  WALLET_ERROR: "The wallet or the chain refused",
};

/** Codes only the page raises (wallet states). */
export type PageCode =
  | "NO_WALLET"
  | "WALLET_REJECTED"
  | "WALLET_WRONG_CHAIN"
  | "WALLET_NOT_CONNECTED"
  | "TX_REVERTED"
  | "WALLET_ERROR";

/** The title for a code; an unknown code is shown as it is. */
export function codeInWords(code: string): string {
  return (WORDS as Record<string, string>)[code] ?? code.toLowerCase().replaceAll("_", " ");
}

/**
 * A failure of any kind as {code, title, message, issues}: API and SDK errors carry a string code and their
 * details; a wallet's or viem's errors carry a number (EIP-1193) or none, and a short message worth showing
 * instead of the library's whole dump.
 */
export function describe(error: unknown): { code: string; title: string; message: string; issues: string[] } {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; shortMessage?: unknown; details?: unknown };
  const short = typeof e.shortMessage === "string" ? e.shortMessage : undefined;
  const text = short ?? String(e.message ?? error);
  // EIP-1193: 4001 is the user rejecting (viem wraps it as UserRejectedRequestError).
  if (e.code === 4001 || /rejected|denied/i.test(text)) {
    return { code: "WALLET_REJECTED", title: codeInWords("WALLET_REJECTED"), message: firstLine(text), issues: [] };
  }
  const code =
    typeof e.code === "string"
      ? e.code
      : short !== undefined || typeof e.code === "number"
        ? "WALLET_ERROR"
        : "INTERNAL";
  const message = firstLine(text);
  const title = codeInWords(code);
  return {
    code,
    title,
    message: message.toLowerCase() === title.toLowerCase() ? "" : message,
    issues: issuesOf(e.details),
  };
}

/** The API's validation issues (`details.issues`), as "field: what is wrong". */
function issuesOf(details: unknown): string[] {
  const issues = (details as { issues?: Array<{ path?: unknown; message?: unknown }> } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.map((i) => `${String(i.path ?? "") || "request"}: ${String(i.message ?? "")}`);
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}
