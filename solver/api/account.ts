import type { Address, PublicClient } from "viem";
import { optionLedgerAbi } from "../chain/abis.js";
import { type AmountJson, amountJson } from "../domain/amount.js";
import { payoffs } from "../domain/payoff.js";
import type { SeriesTerms } from "../domain/seriesId.js";
import type { Engine } from "../engine/engine.js";
import type { MarketSnapshot } from "../engine/snapshot.js";
import { fillsOf } from "../store/fills.js";
import type { FillRecord } from "../types.js";
import { fillView, seriesRef, unitsOf } from "./views.js";

/** What an account holds of one series on the ledger, and what the solver's fill log says it paid. */
interface Holding {
  seriesId: bigint;
  terms: SeriesTerms;
  longs: bigint;
  shorts: bigint;
  fills: FillRecord[];
}

/** An exercise of the account's longs (by itself or by a keeper on its behalf), from the ledger's events. */
interface Exercise {
  seriesId: bigint;
  amount: bigint;
  payout: bigint;
  txHash: string;
  /** Whether the holder sent the exercise itself (else a keeper settled it on the holder's behalf). */
  bySelf: boolean;
}

/**
 * A wallet's positions (ledger balances, average price from its fills, mark, PnL; after expiry the payoff and
 * whether it is still to exercise or was settled for it) and its fills against the AMM reference. Public:
 * everything here is on chain.
 */
export async function accountReport(engine: Engine, reader: PublicClient, account: Address) {
  const snap = await engine.snapshot();
  const fills = fillsOf(engine.store, account, 500);
  const [holdings, exercises, redemptions] = await Promise.all([
    readHoldings(engine, reader, account, fills),
    readExercises(engine, reader, account),
    readRedemptions(engine, reader, account),
  ]);
  const expired = holdings.filter((h) => h.terms.expiry <= snap.now).map((h) => h.seriesId);
  const settled = await engine.market.settlementPrices(expired);
  return {
    account,
    /** Where to send an exercise: `exercise(seriesId, holder, amount)`. */
    ledger: engine.deployment.contracts.ledger,
    chainTime: snap.now,
    spot: snap.spot.price,
    positions: holdings.map((h) =>
      positionView(engine, snap, h, settled.get(h.seriesId), {
        exercised: exercises.filter((e) => e.seriesId === h.seriesId),
        redeemed: redemptions.get(h.seriesId) ?? 0n,
      }),
    ),
    fills: fills.map((f) => fillView(f, engine.assets)),
  };
}

async function readHoldings(
  engine: Engine,
  reader: PublicClient,
  account: Address,
  fills: FillRecord[],
): Promise<Holding[]> {
  const series = [...(await engine.market.listSeries())].filter(([, t]) => t.pairId === engine.deployment.pairId);
  const ledger = engine.deployment.contracts.ledger;
  const ids = series.map(([id]) => id);
  const [longs, shorts] = await Promise.all([
    reader.readContract({
      address: ledger,
      abi: optionLedgerAbi,
      functionName: "balanceOfBatch",
      args: [ids.map(() => account), ids],
    }),
    Promise.all(
      ids.map((id) =>
        reader.readContract({
          address: ledger,
          abi: optionLedgerAbi,
          functionName: "shortBalanceOf",
          args: [account, id],
        }),
      ),
    ),
  ]);
  return series
    .map(([seriesId, terms], i) => ({
      seriesId,
      terms,
      longs: longs[i] ?? 0n,
      shorts: shorts[i] ?? 0n,
      fills: fills.filter((f) => f.seriesId === seriesId),
    }))
    .filter((h) => h.longs > 0n || h.shorts > 0n || h.fills.length > 0)
    .sort((a, b) => a.terms.expiry - b.terms.expiry || Number(a.terms.strike - b.terms.strike));
}

async function readExercises(engine: Engine, reader: PublicClient, account: Address): Promise<Exercise[]> {
  const logs = await reader.getContractEvents({
    address: engine.deployment.contracts.ledger,
    abi: optionLedgerAbi,
    eventName: "Exercised",
    args: { holder: account },
    fromBlock: BigInt(engine.deployment.block),
  });
  return Promise.all(
    logs.map(async (l) => ({
      seriesId: l.args.seriesId!,
      amount: l.args.amount!,
      payout: l.args.payout!,
      txHash: l.transactionHash,
      bySelf: (await reader.getTransaction({ hash: l.transactionHash })).from.toLowerCase() === account.toLowerCase(),
    })),
  );
}

/** Options of each series the account redeemed as a writer (after settlement), from the ledger's events. */
async function readRedemptions(engine: Engine, reader: PublicClient, account: Address): Promise<Map<bigint, bigint>> {
  const logs = await reader.getContractEvents({
    address: engine.deployment.contracts.ledger,
    abi: optionLedgerAbi,
    eventName: "Redeemed",
    args: { writer: account },
    fromBlock: BigInt(engine.deployment.block),
  });
  const out = new Map<bigint, bigint>();
  for (const l of logs) out.set(l.args.seriesId!, (out.get(l.args.seriesId!) ?? 0n) + l.args.amount!);
  return out;
}

/**
 * PnL of one series in its premium asset: premiums received minus paid, payouts of exercises, plus what is
 * held at `mark` per option (longs worth it, shorts and redeemed shorts owing it). Null while unpriced.
 */
export function positionPnl(
  fills: readonly FillRecord[],
  mark: bigint | null,
  held: { longs: bigint; shorts: bigint; redeemed: bigint; payouts: bigint },
): bigint | null {
  if (mark === null) return null;
  let cash = held.payouts;
  for (const f of fills) cash += f.side === 0 ? -f.premium : f.premium;
  return cash + (mark * (held.longs - held.shorts - held.redeemed)) / 10n ** 18n;
}

/** Average price paid (net long) or received (net short) per option, in the premium asset's base units. */
export function averagePrice(fills: readonly FillRecord[], long: boolean): bigint {
  let premium = 0n;
  let amount = 0n;
  for (const f of fills) {
    if ((f.side === 0) !== long) continue;
    premium += f.premium;
    amount += f.internalAmount + f.ammAmount;
  }
  // Per whole option (1e18 base units), rounded down: a display figure, not a settling amount.
  return amount === 0n ? 0n : (premium * 10n ** 18n) / amount;
}

type PositionState =
  | "open"
  | "closed"
  | "awaiting settlement"
  | "exercise"
  | "exercised"
  | "settled for you"
  | "expired worthless";

function positionView(
  engine: Engine,
  snap: MarketSnapshot,
  h: Holding,
  settlementPrice: bigint | undefined,
  past: { exercised: readonly Exercise[]; redeemed: bigint },
) {
  const u = unitsOf(h.seriesId, engine.assets);
  const net = h.longs - h.shorts;
  const long = net >= 0n;
  const avg = averagePrice(h.fills, long);
  const live = h.terms.expiry > snap.now;
  const scale = 10 ** u.asset.decimals;
  const mark = live
    ? BigInt(Math.round(snap.value(h.terms).value * scale))
    : settlementPrice === undefined
      ? null
      : payoffs(h.terms, settlementPrice, 10n ** 18n).long;
  const { exercised, redeemed } = past;
  const payout = exercised.reduce((s, e) => s + e.payout, 0n);
  const pnl = positionPnl(h.fills, mark, { longs: h.longs, shorts: h.shorts, redeemed, payouts: payout });
  return {
    ...seriesRef(h.seriesId, engine.assets),
    expiry: h.terms.expiry,
    isCall: h.terms.isCall,
    longs: u.options(h.longs),
    shorts: u.options(h.shorts),
    net: u.options(net),
    averagePrice: u.premium(avg),
    mark: mark === null ? null : u.premium(mark),
    pnl: pnl === null ? null : u.premium(pnl),
    state: stateOf(live, settlementPrice, h, mark, exercised),
    settlementPrice: settlementPrice === undefined ? null : amountJson(settlementPrice, engine.assets.quote),
    payoff: mark === null || live ? null : u.premium((mark * h.longs) / 10n ** 18n),
    exercised: exercised.length > 0 ? { payout: u.premium(payout), txHash: exercised.at(-1)!.txHash } : null,
  } satisfies Record<string, AmountJson | unknown>;
}

function stateOf(
  live: boolean,
  settlementPrice: bigint | undefined,
  h: Pick<Holding, "longs" | "shorts">,
  mark: bigint | null,
  exercised: readonly Exercise[],
): PositionState {
  const { longs } = h;
  if (live) return longs === 0n && h.shorts === 0n ? "closed" : "open";
  if (settlementPrice === undefined) return "awaiting settlement";
  if (longs > 0n) return mark !== null && mark > 0n ? "exercise" : "expired worthless";
  if (exercised.length === 0) return "expired worthless";
  return exercised.every((e) => e.bySelf) ? "exercised" : "settled for you";
}
