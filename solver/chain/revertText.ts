import { type Abi, type Address, getAddress } from "viem";
import { type AssetUnits, formatAmount, OPTION_DECIMALS } from "../domain/amount.js";
import { instrumentName } from "../domain/instrument.js";
import { decodeSeriesId } from "../domain/seriesId.js";
import { ErrorCode } from "../errors.js";
import { errorAbi, type RevertName } from "./abis.js";
import type { DecodedRevert } from "./revert.js";

/** What a custom error's amounts are denominated in, when the caller knows (the vault's asset, a token). */
export interface RevertContext {
  asset?: AssetUnits;
}

type AbiError = Extract<Abi[number], { type: "error" }>;

const TIME = /^(until|deadline|expiry|updatedAt|opensAt|minExpiry|maxExpiry)$/;
const OPTIONS = /^(amount|balance|needed)$/;
const ASSET =
  /^(premium|minPremium|limit|needed|available|held|owed|allowance|balance|exposure|cap|assets|max|internalPremium|ammReferencePremium|price)$/;

/** An ISO time with its clock: the chain's timestamps are what contracts compare against. */
export function chainTimeText(seconds: bigint | number): string {
  const n = Number(seconds);
  if (!Number.isFinite(n) || n <= 0 || n > 1e11) return String(seconds);
  return `${new Date(n * 1000).toISOString().replace(".000Z", "Z")} (chain time)`;
}

/**
 * A decoded custom error in words, with readable arguments: times as ISO chain time, series as instrument
 * names, amounts in units of `ctx.asset` when known (else base units), addresses checksummed.
 * SharesLocked(0xa0Ee…, 1796065743) reads "SharesLocked: owner 0xa0Ee… is locked until 2026-12-01T… (chain time)".
 */
export function describeRevert(revert: DecodedRevert, ctx: RevertContext = {}): string {
  const item = (errorAbi as readonly AbiError[]).find(
    (e) => e.type === "error" && e.name === revert.name && e.inputs.length === revert.args.length,
  );
  const args = (item?.inputs ?? []).map((input, i) => ({
    name: input.name ?? `arg${i}`,
    text: formatArg(input.name ?? "", input.type, revert.args[i], revert, ctx),
  }));
  const byName = Object.fromEntries(args.map((a) => [a.name, a.text]));
  const template = revert.name === "UnknownError" ? undefined : TEMPLATES[revert.name];
  if (template) return `${revert.name}: ${template(byName)}`;
  if (args.length === 0) return revert.name;
  return `${revert.name}(${args.map((a) => `${a.name} ${a.text}`).join(", ")})`;
}

/** The solver's code for a settlement revert: what the user can act on. */
export function codeOfRevert(name: DecodedRevert["name"]): ErrorCode {
  return (REVERT_CODES as Partial<Record<string, ErrorCode>>)[name] ?? ErrorCode.SettlementReverted;
}

const REVERT_CODES: Partial<Record<RevertName, ErrorCode>> = {
  IntentExpired: ErrorCode.QuoteExpired,
  NonceAlreadyUsed: ErrorCode.NonceUsed,
  InvalidSignature: ErrorCode.SignatureInvalid,
  ERC20InsufficientBalance: ErrorCode.InsufficientBalance,
  ERC1155InsufficientBalance: ErrorCode.InsufficientBalance,
  ERC20InsufficientAllowance: ErrorCode.AllowanceMissing,
  ERC1155MissingApprovalForAll: ErrorCode.ApprovalMissing,
  NotAuthorized: ErrorCode.ApprovalMissing,
  StaleOracle: ErrorCode.OracleStale,
  SeriesExpired: ErrorCode.SeriesExpired,
  Paused: ErrorCode.SolverPaused,
};

function formatArg(name: string, type: string, value: unknown, revert: DecodedRevert, ctx: RevertContext): string {
  if (type === "address" && typeof value === "string") return short(getAddress(value));
  if (typeof value !== "bigint") return String(value);
  if (name === "seriesId" || name === "tokenId") {
    try {
      return instrumentName(decodeSeriesId(value));
    } catch {
      return value.toString();
    }
  }
  if (TIME.test(name)) return chainTimeText(value);
  if (name === "delta") return (Number(value) / 1e18).toFixed(4);
  if (revert.name.startsWith("ERC1155") && OPTIONS.test(name))
    return formatAmount(value, { symbol: "options", decimals: OPTION_DECIMALS });
  if (ASSET.test(name) || OPTIONS.test(name)) {
    return ctx.asset ? formatAmount(value, ctx.asset) : `${value} base units`;
  }
  return value.toString();
}

function short(address: Address): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

type Args = Record<string, string>;
const TEMPLATES: Partial<Record<RevertName, (a: Args) => string>> = {
  SharesLocked: (a) => `the shares of ${a.owner} are locked until ${a.until}`,
  InsufficientLiquidity: (a) => `the vault needs ${a.needed} of free assets and has ${a.available}`,
  WorseThanAmm: (a) => `the internal price ${a.internalPremium} is worse than the AMM's ${a.ammReferencePremium}`,
  IntentExpired: (a) => `the order's deadline ${a.deadline} has passed`,
  DeadlinePassed: (a) => `the deadline ${a.deadline} has passed`,
  VolNotSet: (a) => `no vol slice is set for the expiry ${a.expiry}`,
  StaleVol: (a) => `the vol slice for ${a.expiry} was last set ${a.updatedAt}, too long ago`,
  StaleOracle: (a) => `the oracle's latest round (${a.updatedAt}) is too old`,
  PendingExpiry: (a) => `${a.seriesId} has expired and waits to be settled and collected`,
  SeriesExpired: (a) => `${a.seriesId} has expired`,
  SeriesNotSettled: (a) => `${a.seriesId} is not settled yet`,
  SeriesAlreadySettled: (a) => `${a.seriesId} is already settled`,
  SeriesNotExpired: (a) => `${a.seriesId} has not expired yet`,
  UnknownSeries: (a) => `no series ${a.seriesId}`,
  ERC20InsufficientBalance: (a) => `${a.sender} holds ${a.balance}, needs ${a.needed}`,
  ERC20InsufficientAllowance: (a) => `${a.spender} may spend ${a.allowance}, needs ${a.needed}`,
  ERC1155InsufficientBalance: (a) => `${a.sender} holds ${a.balance} of ${a.tokenId}, needs ${a.needed}`,
  ERC1155MissingApprovalForAll: (a) => `${a.owner} has not approved ${a.operator} as its ERC-1155 operator`,
  NotAuthorized: (a) => `${a.caller} may not write or close for ${a.account} (setWriteApproval)`,
  PremiumAboveLimit: (a) => `the premium ${a.premium} is above the limit ${a.limit}`,
  PremiumBelowLimit: (a) => `the premium ${a.premium} is below the limit ${a.limit}`,
  PremiumTooSmall: (a) => `the premium ${a.premium} is below the vault's minimum ${a.minPremium}`,
  ExposureCapExceeded: (a) => `${a.seriesId} would reach ${a.exposure}, above the vault's cap ${a.cap}`,
  ExpiryTooClose: (a) => `the expiry ${a.expiry} is before the vault's earliest ${a.minExpiry}`,
  ExpiryTooFar: (a) => `the expiry ${a.expiry} is after the vault's latest ${a.maxExpiry}`,
  NonceAlreadyUsed: (a) => `nonce ${a.nonce} of ${a.user} was already used or cancelled`,
  TooManyOpenSeries: (a) => `the vault already holds positions in ${a.max} series`,
  PositionBelowMinimum: (a) =>
    `the vault's position in ${a.seriesId} would be ${a.positionAfter}, under its minimum of ${a.minPosition}`,
  InvalidRecipient: (a) => (a.recipient ? `${a.recipient} may not receive this` : "the recipient may not receive this"),
  SettlementRoundAvailable: (a) => `round ${a.roundId} can settle ${a.seriesId}; settle it from the oracle`,
  ERC4626ExceededMaxWithdraw: (a) => `${a.owner} may withdraw at most ${a.max} now, asked for ${a.assets}`,
  ERC4626ExceededMaxDeposit: (a) => `${a.receiver} may deposit at most ${a.max} now, asked for ${a.assets}`,
};
