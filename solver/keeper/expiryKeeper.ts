import { type Address, type Hex, parseEventLogs, type TransactionReceipt } from "viem";
import { optionLedgerAbi, optionVaultAbi } from "../chain/abis.js";
import { decodeRevert } from "../chain/revert.js";
import { settlementRound } from "../chain/settlementRound.js";
import type { Deployment } from "../config/schema.js";
import { payoffs } from "../domain/payoff.js";
import { nameOf } from "../domain/series.js";
import type { SeriesTerms } from "../domain/seriesId.js";
import type { Logger } from "../log.js";
import type { MarketData } from "../market/marketData.js";
import type { SolverCall, TxSender } from "../settlement/txSender.js";

/** What the keeper did in one transaction, for the books (gas) and the audit log. */
export interface KeeperAction {
  txHash: Hex;
  block: number;
  /** Chain time of the block. */
  at: number;
  action: "settle" | "exercise" | "redeem" | "collect";
  seriesId: bigint;
  /** Whose position (the solver, a client, or a vault). */
  account: Address;
  amount: bigint;
  payout: bigint;
  /** Native gas paid, wei. */
  gasCost: bigint;
}

/** The ledger events of a keeper transaction that change the solver's own book. */
export interface SolverPayout {
  seriesId: bigint;
  kind: "exercised" | "redeemed";
  amount: bigint;
  payout: bigint;
}

export interface ExpiryKeeperDeps {
  market: MarketData;
  deployment: Deployment;
  sender: TxSender;
  solver: Address;
  log: Logger;
  /** The solver's longs and shorts in a series, as its book holds them. */
  position(seriesId: bigint): { longs: bigint; shorts: bigint };
  /** Wallets that received options of a series through this solver's fills. */
  clientsOf(seriesId: bigint): Address[];
  /** Records an action (called once per mined keeper transaction). */
  record(action: KeeperAction): void;
  /** Books a payout to the solver's own account. */
  onSolverPayout(payout: SolverPayout): void;
  /** Exercise clients' in-the-money longs for them (the payout goes to the holder). */
  exerciseForClients: boolean;
}

/**
 * After expiry, nothing stays locked: the keeper settles each expired series on the last oracle round at or
 * before its expiry, exercises the solver's in-the-money longs, redeems its shorts (getting back collateral
 * minus what the longs are owed), has each vault collect its position, and exercises clients' in-the-money
 * longs on their behalf (the ledger pays the holder; third parties may only settle whole positions).
 * Anyone may do each of these; the keeper does them so that the solver's capital comes back on its own.
 */
export class ExpiryKeeper {
  /** Series with nothing left to do. */
  readonly #done = new Set<bigint>();
  #running: Promise<void> | null = null;

  constructor(readonly deps: ExpiryKeeperDeps) {}

  /** One pass over the expired series; concurrent calls share it. */
  run(series: ReadonlyMap<bigint, SeriesTerms>, now: number): Promise<void> {
    this.#running ??= this.#pass(series, now).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #pass(series: ReadonlyMap<bigint, SeriesTerms>, now: number): Promise<void> {
    for (const [id, terms] of series) {
      if (terms.expiry >= now || this.#done.has(id)) continue;
      try {
        if (await this.#work(id, terms)) this.#done.add(id);
      } catch (error) {
        this.deps.log.warn({ err: error, series: nameOf(id) }, "keeper could not finish an expired series");
      }
    }
  }

  /** Does what is left for one expired series; true when nothing is. */
  async #work(id: bigint, terms: SeriesTerms): Promise<boolean> {
    const { market, deployment } = this.deps;
    const ledger = deployment.contracts.ledger;
    const info = await market.clients.publicClient.readContract({
      address: ledger,
      abi: optionLedgerAbi,
      functionName: "series",
      args: [id],
    });
    let price = info.state.settled ? info.state.settlementPrice : null;
    if (price === null) {
      const round = await settlementRound(market.clients.publicClient, deployment.contracts.oracle, terms.expiry);
      const receipt = await this.#send("settle", id, this.deps.solver, 0n, {
        address: ledger,
        abi: optionLedgerAbi,
        functionName: "settle",
        args: [id, round.roundId],
      });
      if (!receipt) return false;
      price = (await this.#settledPrice(id))!;
    }
    const payoff = (amount: bigint) => payoffs(terms, price!, amount).long;
    const own = this.deps.position(id);
    if (own.longs > 0n && payoff(own.longs) > 0n) await this.#settleOwn("exercise", id, own.longs);
    if (own.shorts > 0n) await this.#settleOwn("redeem", id, own.shorts);
    for (const vault of [deployment.contracts.callVault, deployment.contracts.putVault]) await this.#collect(vault, id);
    if (this.deps.exerciseForClients) await this.#exerciseClients(id, payoff);
    const left = this.deps.position(id);
    return left.shorts === 0n && (left.longs === 0n || payoff(left.longs) === 0n);
  }

  async #settledPrice(id: bigint): Promise<bigint | null> {
    const info = await this.deps.market.clients.publicClient.readContract({
      address: this.deps.deployment.contracts.ledger,
      abi: optionLedgerAbi,
      functionName: "series",
      args: [id],
    });
    return info.state.settled ? info.state.settlementPrice : null;
  }

  async #settleOwn(action: "exercise" | "redeem", id: bigint, amount: bigint): Promise<void> {
    const receipt = await this.#send(action, id, this.deps.solver, amount, {
      address: this.deps.deployment.contracts.ledger,
      abi: optionLedgerAbi,
      functionName: action,
      args: [id, this.deps.solver, amount],
    });
    if (receipt) this.#bookOwn(receipt);
  }

  async #collect(vault: Address, id: bigint): Promise<void> {
    const position = await this.deps.market.clients.publicClient.readContract({
      address: vault,
      abi: optionVaultAbi,
      functionName: "position",
      args: [id],
    });
    if (position.amount === 0n) return;
    const amount = position.amount < 0n ? -position.amount : position.amount;
    await this.#send("collect", id, vault, amount, {
      address: vault,
      abi: optionVaultAbi,
      functionName: "collect",
      args: [id],
    });
  }

  async #exerciseClients(id: bigint, payoff: (amount: bigint) => bigint): Promise<void> {
    const client = this.deps.market.clients.publicClient;
    for (const holder of this.deps.clientsOf(id)) {
      const balance = await client.readContract({
        address: this.deps.deployment.contracts.ledger,
        abi: optionLedgerAbi,
        functionName: "balanceOf",
        args: [holder, id],
      });
      if (balance === 0n || payoff(balance) === 0n) continue;
      await this.#send("exercise", id, holder, balance, {
        address: this.deps.deployment.contracts.ledger,
        abi: optionLedgerAbi,
        functionName: "exercise",
        args: [id, holder, balance],
      });
    }
  }

  /** Simulates, sends and waits; a revert (someone was faster, or the round is not final yet) is logged. */
  async #send(
    action: KeeperAction["action"],
    seriesId: bigint,
    account: Address,
    amount: bigint,
    call: SolverCall,
  ): Promise<TransactionReceipt | null> {
    const { market, sender, log } = this.deps;
    try {
      await market.clients.publicClient.simulateContract({ ...call, account: market.clients.account } as never);
    } catch (error) {
      const revert = decodeRevert(error);
      if (!revert) throw error;
      log.info({ action, series: nameOf(seriesId), error: revert.name }, "keeper action not possible yet");
      return null;
    }
    const hash = await sender.send(call);
    const receipt = await sender.receipt(hash);
    market.invalidate();
    if (receipt.status !== "success") {
      log.warn({ action, tx: hash }, "keeper transaction reverted");
      return null;
    }
    const block = await market.clients.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    const payout = payoutOf(receipt);
    this.deps.record({
      txHash: hash,
      block: Number(receipt.blockNumber),
      at: Number(block.timestamp),
      action,
      seriesId,
      account,
      amount,
      payout,
      gasCost: receipt.gasUsed * receipt.effectiveGasPrice,
    });
    log.info({ action, series: nameOf(seriesId), account, tx: hash, payout: payout.toString() }, "keeper acted");
    return receipt;
  }

  #bookOwn(receipt: TransactionReceipt): void {
    const solver = this.deps.solver.toLowerCase();
    for (const e of parseEventLogs({ abi: optionLedgerAbi, logs: receipt.logs })) {
      if (e.eventName === "Exercised" && e.args.holder.toLowerCase() === solver) {
        this.deps.onSolverPayout({
          seriesId: e.args.seriesId,
          kind: "exercised",
          amount: e.args.amount,
          payout: e.args.payout,
        });
      } else if (e.eventName === "Redeemed" && e.args.writer.toLowerCase() === solver) {
        this.deps.onSolverPayout({
          seriesId: e.args.seriesId,
          kind: "redeemed",
          amount: e.args.amount,
          payout: e.args.payout,
        });
      }
    }
  }
}

function payoutOf(receipt: TransactionReceipt): bigint {
  let total = 0n;
  for (const e of parseEventLogs({ abi: [...optionLedgerAbi, ...optionVaultAbi], logs: receipt.logs })) {
    if (e.eventName === "Exercised" || e.eventName === "Redeemed") total += e.args.payout;
    if (e.eventName === "Collected") total += e.args.proceeds;
  }
  return total;
}
