import { type Address, encodeFunctionData, type Hex } from "viem";
import { erc20Abi, optionLedgerAbi } from "../chain/abis.js";
import type { Deployment } from "../config/schema.js";
import { type AmountJson, amountJson, formatAmount, OPTION_DECIMALS } from "../domain/amount.js";
import { type AssetInfo, type PairAssets, premiumAssetOf } from "../domain/assets.js";
import { instrumentName } from "../domain/instrument.js";
import type { SeriesTerms } from "../domain/seriesId.js";
import type { TradeSide } from "../domain/side.js";
import { ErrorCode, QuoteDeclined } from "../errors.js";
import type { AccountReads, Market } from "./market.js";

/** What a fill will take from the user's account, for one request. */
export interface SettleNeeds {
  user: Address;
  side: TradeSide;
  seriesId: bigint;
  terms: SeriesTerms;
  /** Options, base units. */
  amount: bigint;
  /** Buys: the most the settlement pulls (the signed limit: premium plus the AMM leg's budget). */
  premiumLimit: bigint;
  /** Sell-to-open: the collateral the ledger pulls for `amount`. */
  collateral: bigint;
  /** Of the above, what the requester's other open quotes already draw on the same balance. */
  committed?: bigint;
  /** The allowance the payment needs: this fill plus other open quotes paying the same spender (default: all). */
  allowanceNeeded?: bigint;
}

/** A transaction the user must send before the fill can settle, ready to send (`to`, `data`). */
export interface Approval {
  code: typeof ErrorCode.AllowanceMissing | typeof ErrorCode.ApprovalMissing;
  /** In words: what to approve, for whom, how much. */
  description: string;
  to: Address;
  data: Hex;
  /** The call, readable: approve(spender, amount) or setApprovalForAll(operator, true). */
  call: string;
  spender: Address;
  needed?: AmountJson;
  current?: AmountJson;
}

/** What stands between the user and a fill: a balance too small (nothing to approve), and approvals. */
export interface AccountState {
  shortfall: { message: string; details: Record<string, unknown> } | null;
  approvals: Approval[];
}

/**
 * Declines a request whose fill would revert for the user's balances or approvals, with a code that says
 * what is missing and what to approve: a buy needs the premium asset and its allowance to the settlement; a
 * sell-to-close needs the options and `setApprovalForAll(settlement)` on the ledger; a sell-to-open needs
 * the collateral, its allowance to the ledger and `setWriteApproval(settlement)`. Reads are cached per block;
 * the quote flow reads a failing check again on a fresh block once (`engine/quote/flow.ts`).
 */
export async function assertCanSettle(
  market: Pick<Market, "accounts">,
  deployment: Deployment,
  assets: PairAssets,
  needs: SettleNeeds,
): Promise<void> {
  const state = await inspectAccount(market, deployment, assets, needs);
  if (state.shortfall) {
    throw new QuoteDeclined(ErrorCode.InsufficientBalance, state.shortfall.message, {
      details: state.shortfall.details,
    });
  }
  const first = state.approvals[0];
  if (first) {
    // Each approval keeps its own description: the message names only the first of them.
    throw new QuoteDeclined(first.code, first.description, { details: { approvals: state.approvals } });
  }
}

/** The user's balances and approvals against what a fill needs, read at the latest block (cached). */
export async function inspectAccount(
  market: Pick<Market, "accounts">,
  d: Deployment,
  assets: PairAssets,
  n: SettleNeeds,
): Promise<AccountState> {
  return n.side === "sellToClose"
    ? inspectSeller(market.accounts, d.contracts, assets, n)
    : inspectPayer(market.accounts, d.contracts, assets, n);
}

type Contracts = Deployment["contracts"];

/** A buy pays the premium (allowance to the settlement); a sell-to-open posts collateral (to the ledger). */
async function inspectPayer(
  read: AccountReads,
  c: Contracts,
  assets: PairAssets,
  n: SettleNeeds,
): Promise<AccountState> {
  const asset = premiumAssetOf(assets, n.terms);
  const [spender, spenderName, needed] =
    n.side === "buy" ? [c.settlement, "settlement", n.premiumLimit] : [c.ledger, "ledger", n.collateral];
  const [balance, allowance, writer] = await Promise.all([
    read.erc20Balance(asset.address, n.user),
    read.allowance(asset.address, n.user, spender),
    n.side === "sellToOpen" ? read.writeApproved(n.user, c.settlement) : true,
  ]);
  const approvals: Approval[] = [];
  const allowanceNeeded = n.allowanceNeeded ?? needed;
  if (allowance < allowanceNeeded) {
    approvals.push(allowanceApproval(asset, spender, spenderName, allowanceNeeded, allowance));
  }
  if (!writer) {
    approvals.push(
      ledgerApproval(c, "setWriteApproval", "writing options needs the settlement as write operator on the ledger"),
    );
  }
  const others = n.committed ? ` (with ${formatAmount(n.committed, asset)} for your other open quotes)` : "";
  const shortfall =
    balance < needed
      ? {
          message: `the fill needs ${formatAmount(needed, asset)}${others}; the wallet holds ${formatAmount(balance, asset)}`,
          details: {
            asset: asset.address,
            needed: amountJson(needed, asset),
            available: amountJson(balance, asset),
            ...(n.committed ? { committedToOpenQuotes: amountJson(n.committed, asset) } : {}),
          },
        }
      : null;
  return { shortfall, approvals };
}

/** A sell-to-close delivers options: the settlement must be the seller's ERC-1155 operator. */
async function inspectSeller(
  read: AccountReads,
  c: Contracts,
  assets: PairAssets,
  n: SettleNeeds,
): Promise<AccountState> {
  const option = { symbol: instrumentName(n.terms, assets.quote.decimals), decimals: OPTION_DECIMALS };
  const [held, operator] = await Promise.all([
    read.optionBalance(n.user, n.seriesId),
    read.operatorApproved(n.user, c.settlement),
  ]);
  const approvals: Approval[] = operator
    ? []
    : [
        ledgerApproval(
          c,
          "setApprovalForAll",
          "selling options needs the settlement as ERC-1155 operator on the ledger",
        ),
      ];
  const shortfall =
    held < n.amount
      ? {
          message: `selling ${formatAmount(n.amount, option)} needs that many; the wallet holds ${formatAmount(held, option)}`,
          details: {
            seriesId: n.seriesId.toString(),
            needed: amountJson(n.amount, option),
            available: amountJson(held, option),
          },
        }
      : null;
  return { shortfall, approvals };
}

/** The settlement approved on the ledger by `functionName(settlement, true)`; `call` is built from the same arguments. */
function ledgerApproval(
  c: Contracts,
  functionName: "setApprovalForAll" | "setWriteApproval",
  description: string,
): Approval {
  const args = [c.settlement, true] as const;
  return {
    code: ErrorCode.ApprovalMissing,
    description,
    to: c.ledger,
    data: encodeFunctionData({ abi: optionLedgerAbi, functionName, args }),
    call: `${functionName}(${args.join(", ")})`,
    spender: c.settlement,
  };
}

function allowanceApproval(
  asset: AssetInfo,
  spender: Address,
  spenderName: string,
  needed: bigint,
  current: bigint,
): Approval {
  return {
    code: ErrorCode.AllowanceMissing,
    description: `approve the ${spenderName} (${spender}) to spend ${formatAmount(needed, asset)}; its allowance is ${formatAmount(current, asset)}`,
    to: asset.address,
    data: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [spender, needed] }),
    call: `approve(${spender}, ${needed})`,
    spender,
    needed: amountJson(needed, asset),
    current: amountJson(current, asset),
  };
}
