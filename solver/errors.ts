/** Machine-readable codes of every error the solver raises or reports. */
export const ErrorCode = {
  ConfigInvalid: "CONFIG_INVALID",
  DeploymentInvalid: "DEPLOYMENT_INVALID",
  SeriesUnknown: "SERIES_UNKNOWN",
  SeriesAmbiguous: "SERIES_AMBIGUOUS",
  SeriesExpired: "SERIES_EXPIRED",
  SizeInvalid: "SIZE_INVALID",
  SizeTooLarge: "SIZE_TOO_LARGE",
  LimitPosition: "LIMIT_POSITION",
  LimitDelta: "LIMIT_DELTA",
  LimitVega: "LIMIT_VEGA",
  LimitCollateral: "LIMIT_COLLATERAL",
  NoLiquidity: "NO_LIQUIDITY",
  InsufficientBalance: "INSUFFICIENT_BALANCE",
  SharesLocked: "SHARES_LOCKED",
  VaultAssetsLocked: "VAULT_ASSETS_LOCKED",
  AllowanceMissing: "ALLOWANCE_MISSING",
  ApprovalMissing: "APPROVAL_MISSING",
  SolverPaused: "SOLVER_PAUSED",
  BudgetExceeded: "BUDGET_EXCEEDED",
  OracleStale: "ORACLE_STALE",
  ChainUnavailable: "CHAIN_UNAVAILABLE",
  ContractReverted: "CONTRACT_REVERTED",
  QuoteUnknown: "QUOTE_UNKNOWN",
  QuoteExpired: "QUOTE_EXPIRED",
  QuoteMismatch: "QUOTE_MISMATCH",
  OrderDuplicate: "ORDER_DUPLICATE",
  OrderCancelled: "ORDER_CANCELLED",
  OrderNotCancellable: "ORDER_NOT_CANCELLABLE",
  SignatureInvalid: "SIGNATURE_INVALID",
  NonceUsed: "NONCE_USED",
  SettlementReverted: "SETTLEMENT_REVERTED",
  SettlementFailed: "SETTLEMENT_FAILED",
  StoreFailed: "STORE_FAILED",
  StoreMismatch: "STORE_MISMATCH",
  InvalidRequest: "INVALID_REQUEST",
  MalformedJson: "MALFORMED_JSON",
  WrongChain: "WRONG_CHAIN",
  RequestExpired: "REQUEST_EXPIRED",
  RequestReplayed: "REQUEST_REPLAYED",
  RateLimited: "RATE_LIMITED",
  Busy: "BUSY",
  BodyTooLarge: "BODY_TOO_LARGE",
  UnsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE",
  NotFound: "NOT_FOUND",
  OrderUnknown: "ORDER_UNKNOWN",
  Unauthorized: "UNAUTHORIZED",
  TokenMissing: "ADMIN_TOKEN_MISSING",
  TokenInvalid: "ADMIN_TOKEN_INVALID",
  AuthRequired: "AUTH_REQUIRED",
  AuthInvalid: "AUTH_INVALID",
  UriTooLong: "URI_TOO_LONG",
  HeadersTooLarge: "HEADERS_TOO_LARGE",
  MethodNotAllowed: "METHOD_NOT_ALLOWED",
  ApiUnavailable: "API_UNAVAILABLE",
  /** The oracle or the pool strays from the reference price beyond the configured bound. */
  PriceDivergence: "PRICE_DIVERGENCE",
  /** The reference price source cannot answer (feed down, stale, malformed). */
  ReferenceUnavailable: "REFERENCE_UNAVAILABLE",
  /** The flow model scores the request as informed beyond the decline threshold. */
  FlowToxic: "FLOW_TOXIC",
  /** A hedge swap failed after its retries (slippage, pool moved, chain down). */
  HedgeFailed: "HEDGE_FAILED",
  /** Hedging is not configured (no spot venue in the deployment, or disabled). */
  HedgeUnavailable: "HEDGE_UNAVAILABLE",
  /** A price the spot venue cannot represent (not positive, not finite, outside the pool's range). */
  VenuePriceInvalid: "VENUE_PRICE_INVALID",
  /** The spot venue's quoter refused a quote (no liquidity, zero amount, unknown pool). */
  VenueQuoteFailed: "VENUE_QUOTE_FAILED",
  /** A swap on the spot venue reverted or could not be sent. */
  VenueSwapFailed: "VENUE_SWAP_FAILED",
  Internal: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class: a short message, a machine-readable `code`, optional structured `details` and a `cause`. */
export class InternalizerError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }
}

/** Configuration or deployment file failed validation; fatal at start-up. */
export class ConfigError extends InternalizerError {}

/** The solver will not quote this request; `code` says why. Not a failure of the solver. */
export class QuoteDeclined extends InternalizerError {}

/** An order cannot be accepted (unknown or expired quote, mismatch, duplicate). */
export class OrderRejected extends InternalizerError {}

/** A settlement transaction reverted (decoded custom error in `details.error`) or could not be sent. */
export class SettlementError extends InternalizerError {}

/** The chain could not be reached or answered unexpectedly. */
export class ChainError extends InternalizerError {}

/** A request the API refuses before it reaches the engine (malformed, unsigned, stale, replayed, too fast). */
export class RequestRejected extends InternalizerError {}
