import type { RevertName } from "../chain/abis.js";
import { ChainError, ErrorCode, QuoteDeclined } from "../errors.js";
import type { KillSwitch } from "../risk/killSwitch.js";

/** What a vault or oracle revert met while quoting means for the requester; anything else is NO_LIQUIDITY. */
const QUOTE_DECLINES: Partial<Record<RevertName, ErrorCode>> = {
  StaleOracle: ErrorCode.OracleStale,
  InvalidOraclePrice: ErrorCode.OracleStale,
  SeriesExpired: ErrorCode.SeriesExpired,
  UnsupportedSeries: ErrorCode.SeriesUnknown,
  UnknownSeries: ErrorCode.SeriesUnknown,
};

/** Vault reverts that depend on state a client may have just changed (vols, oracle, series): read again. */
const STATE_REVERTS: ReadonlySet<RevertName> = new Set(["VolNotSet", "StaleVol", "StaleOracle", "UnknownSeries"]);

/** Declines that rest on an account a client may just have changed: worth one read on a fresh block. */
const STATE_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.InsufficientBalance,
  ErrorCode.AllowanceMissing,
  ErrorCode.ApprovalMissing,
  ErrorCode.SeriesUnknown,
]);

function revertOf(error: { details?: Record<string, unknown> }): RevertName | undefined {
  const name = error.details?.error;
  return typeof name === "string" ? (name as RevertName) : undefined;
}

/**
 * A chain failure met while quoting, as the requester's decline: an unreachable chain trips the kill switch
 * (it lifts itself when the chain answers) and declines CHAIN_UNAVAILABLE; a revert is translated by name.
 * Anything that is not a ChainError passes through.
 */
export function declineForChain(error: unknown, killSwitch: KillSwitch, now: number): Error {
  if (!(error instanceof ChainError)) return error as Error;
  if (error.code === ErrorCode.ChainUnavailable) {
    killSwitch.chainDown(error.message, now);
    return new QuoteDeclined(ErrorCode.ChainUnavailable, "the chain cannot be reached", { cause: error });
  }
  const name = revertOf(error);
  const code = (name && QUOTE_DECLINES[name]) ?? ErrorCode.NoLiquidity;
  return new QuoteDeclined(code, `the AMM cannot price this series (${name ?? "no reason"})`, {
    cause: error,
    ...(error.details ? { details: error.details } : {}),
  });
}

/** Runs a chain read for a quote or an order, declining as `declineForChain` says when it fails. */
export async function onChain<T>(killSwitch: KillSwitch, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw declineForChain(error, killSwitch, Math.floor(Date.now() / 1000));
  }
}

/** A decline that rests on chain state a client may just have changed, worth one read on a fresh block. */
export function isStateDecline(error: QuoteDeclined): boolean {
  if (STATE_CODES.has(error.code)) return true;
  const name = revertOf(error);
  return name !== undefined && STATE_REVERTS.has(name);
}
