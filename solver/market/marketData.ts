import type { Address, Hex } from "viem";
import { aggregatorAbi, optionLedgerAbi, optionVaultAbi } from "../chain/abis.js";
import type { Clients } from "../chain/clients.js";
import { decodeRevert } from "../chain/revert.js";
import { decodeSeriesId, type SeriesTerms } from "../chain/seriesId.js";
import type { Deployment } from "../config/schema.js";
import { ChainError, ErrorCode } from "../errors.js";
import type { AmmQuote } from "../router/router.js";

/** The oracle's latest round. */
export interface Spot {
  price: number;
  answer: bigint;
  decimals: number;
  updatedAt: number;
  roundId: bigint;
}

/** The vault's full quote (IOptionVault.Quote). */
export interface VaultQuote extends AmmQuote {
  fee: bigint;
  modelValue: bigint;
  spot: bigint;
  vol: bigint;
  delta: bigint;
  refusal: Hex;
}

const NO_REFUSAL = "0x00000000";

/**
 * Chain reads the solver prices from: the oracle, the vaults' quote views and the ledger's series. Results
 * are cached per block, so a burst of requests on one block costs one read per distinct question.
 */
export class MarketData {
  readonly #cache = new Map<string, Promise<unknown>>();
  #cacheBlock = -1n;
  #block: { n: bigint; at: number } | null = null;
  /** The newest block whose timestamp we know, and when (wall clock) we first saw it. */
  #head: { n: bigint; timestamp: number; seenAt: number } | null = null;
  #blockRead: Promise<bigint> | null = null;
  #oracleDecimals: number | undefined;
  #series = new Map<bigint, SeriesTerms>();
  readonly #settled = new Map<bigint, bigint>();
  #lastSpot: Spot | undefined;
  #seriesScannedTo: bigint;

  constructor(
    readonly clients: Clients,
    readonly deployment: Deployment,
  ) {
    this.#seriesScannedTo = BigInt(deployment.block) - 1n;
  }

  /**
   * The latest block number. Fresh for the client's polling interval; after that, for up to four intervals,
   * the known number is returned at once while a refresh runs in the background (stale-while-revalidate),
   * so that quotes never queue behind a node round trip. Older than that, callers wait for the node and
   * see its failure. A polling interval of 0 (in-process chains) always reads.
   */
  async blockNumber(): Promise<bigint> {
    const interval = this.clients.publicClient.pollingInterval;
    const known = this.#block;
    if (known && interval > 0) {
      const age = Date.now() - known.at;
      if (age < interval) return known.n;
      if (age < 4 * interval) {
        this.#refreshBlock().catch(() => {});
        return known.n;
      }
    }
    return this.#refreshBlock();
  }

  #refreshBlock(): Promise<bigint> {
    this.#blockRead ??= this.#chain("read the block number", () =>
      this.clients.publicClient.getBlockNumber({ cacheTime: 0 }),
    )
      .then((n) => {
        this.#block = { n, at: Date.now() };
        if (n !== this.#cacheBlock) {
          this.#cacheBlock = n;
          this.#cache.clear();
        }
        return n;
      })
      .finally(() => {
        this.#blockRead = null;
      });
    return this.#blockRead;
  }

  /**
   * The latest block's timestamp: the chain's "now", which prices and expiries are measured against. Chain
   * time, not wall time: on a devnet whose clock was moved they differ.
   */
  async chainTime(): Promise<number> {
    const block = await this.blockNumber();
    return this.#cached(`time:${block}`, async () => {
      const b = await this.#chain("read the latest block", () =>
        this.clients.publicClient.getBlock({ blockNumber: block }),
      );
      const timestamp = Number(b.timestamp);
      if (!this.#head || block > this.#head.n) this.#head = { n: block, timestamp, seenAt: Date.now() };
      return timestamp;
    });
  }

  /**
   * The earliest timestamp the next block can have: the latest block's plus the wall-clock seconds since we
   * first saw it (a node stamps new blocks from its clock), at least one more. A transaction sent now cannot
   * be mined before this; deadlines are checked against it, so that nothing is sent that would revert for
   * expiry. `fresh` reads the block number first instead of trusting the stale-while-revalidate cache (for
   * decisions off the quote path: accepting and sending orders).
   */
  async nextBlockTime(opts: { fresh?: boolean } = {}): Promise<number> {
    if (opts.fresh) await this.#refreshBlock();
    const latest = await this.chainTime();
    const head = this.#head;
    const elapsed = head ? Math.floor((Date.now() - head.seenAt) / 1000) : 0;
    return latest + Math.max(1, elapsed + 1);
  }

  /** Reads the latest block number now, skipping the stale-while-revalidate window; true when it moved. */
  async refresh(): Promise<boolean> {
    const before = this.#block?.n;
    const n = await this.#refreshBlock();
    return before === undefined || n !== before;
  }

  /** A read cached for the latest block: `key` names the question, `load` asks the chain at `block`. */
  async atLatest<T>(key: string, load: (block: bigint) => Promise<T>): Promise<T> {
    const block = await this.blockNumber();
    return this.#cached(`${key}:${block}`, () => this.#chain(`read ${key.split(":")[0]}`, () => load(block)));
  }

  /** The oracle's latest round as last read, without asking the chain. */
  lastSpot(): Spot | undefined {
    return this.#lastSpot;
  }

  /** The chain time last read, without asking the chain. */
  lastChainTime(): number | undefined {
    return this.#head?.timestamp;
  }

  /** The oracle's latest round as of `block`. */
  async spotAt(block: bigint): Promise<Spot> {
    return this.#readSpot(block);
  }

  async spot(): Promise<Spot> {
    const block = await this.blockNumber();
    return this.#cached(`spot:${block}`, async () => {
      const spot = await this.#readSpot(block);
      this.#lastSpot = spot;
      return spot;
    });
  }

  async #readSpot(block: bigint): Promise<Spot> {
    const oracle = this.deployment.contracts.oracle;
    this.#oracleDecimals ??= await this.#chain("read the oracle's decimals", () =>
      this.clients.publicClient.readContract({ address: oracle, abi: aggregatorAbi, functionName: "decimals" }),
    );
    const [roundId, answer, , updatedAt] = await this.#chain("read the oracle", () =>
      this.clients.publicClient.readContract({
        address: oracle,
        abi: aggregatorAbi,
        functionName: "latestRoundData",
        blockNumber: block,
      }),
    );
    return {
      price: Number(answer) / 10 ** this.#oracleDecimals!,
      answer,
      decimals: this.#oracleDecimals!,
      updatedAt: Number(updatedAt),
      roundId,
    };
  }

  /** The vault's quote for `amount` on the latest block. Throws ChainError when the vault has no price. */
  async vaultQuote(seriesId: bigint, amount: bigint, isBuy: boolean): Promise<VaultQuote> {
    const block = await this.blockNumber();
    return this.#cached(`quote:${block}:${seriesId}:${amount}:${isBuy}`, async () => {
      const vault = this.vaultFor(seriesId);
      const q = await this.#chain("read the vault's quote", () =>
        this.clients.publicClient.readContract({
          address: vault,
          abi: optionVaultAbi,
          functionName: "quote",
          args: [seriesId, amount, isBuy],
          blockNumber: block,
        }),
      );
      return { ...q, refused: q.refusal !== NO_REFUSAL };
    });
  }

  /** The vault's price for the settlement's best-execution check, read fresh (no cache). */
  async referencePremium(seriesId: bigint, amount: bigint, isBuy: boolean): Promise<bigint> {
    return this.#chain("read the vault's reference premium", () =>
      this.clients.publicClient.readContract({
        address: this.vaultFor(seriesId),
        abi: optionVaultAbi,
        functionName: "referencePremium",
        args: [seriesId, amount, isBuy],
      }),
    );
  }

  vaultFor(seriesId: bigint): Address {
    const c = this.deployment.contracts;
    return decodeSeriesId(seriesId).isCall ? c.callVault : c.putVault;
  }

  /** Every series created in the ledger, scanning new SeriesCreated events since the last call. */
  async listSeries(opts: { fresh?: boolean } = {}): Promise<Map<bigint, SeriesTerms>> {
    const latest = opts.fresh ? await this.#refreshBlock() : await this.blockNumber();
    if (latest > this.#seriesScannedTo) {
      const logs = await this.#chain("read SeriesCreated events", () =>
        this.clients.publicClient.getContractEvents({
          address: this.deployment.contracts.ledger,
          abi: optionLedgerAbi,
          eventName: "SeriesCreated",
          fromBlock: this.#seriesScannedTo + 1n,
          toBlock: latest,
        }),
      );
      for (const log of logs) {
        const id = log.args.seriesId!;
        this.#series.set(id, decodeSeriesId(id));
      }
      this.#seriesScannedTo = latest;
    }
    return this.#series;
  }

  /**
   * Settlement prices (quote base units per underlying) of the given series that are settled, at `block`
   * (default latest). A settled price never changes, so it is remembered once seen at the latest block.
   */
  async settlementPrices(seriesIds: readonly bigint[], block?: bigint): Promise<Map<bigint, bigint>> {
    const out = new Map<bigint, bigint>();
    await Promise.all(
      seriesIds.map(async (id) => {
        const known = this.#settled.get(id);
        if (known !== undefined && block === undefined) {
          out.set(id, known);
          return;
        }
        const info = await this.#chain("read a series", () =>
          this.clients.publicClient.readContract({
            address: this.deployment.contracts.ledger,
            abi: optionLedgerAbi,
            functionName: "series",
            args: [id],
            ...(block === undefined ? {} : { blockNumber: block }),
          }),
        );
        if (!info.state.settled) return;
        out.set(id, info.state.settlementPrice);
        if (block === undefined) this.#settled.set(id, info.state.settlementPrice);
      }),
    );
    return out;
  }

  /** Forgets per-block results (after a transaction of the solver's own). */
  invalidate(): void {
    this.#cacheBlock = -1n;
    this.#block = null;
    this.#cache.clear();
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    let hit = this.#cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      this.#cache.set(key, hit);
      hit.catch(() => this.#cache.delete(key));
    }
    return hit;
  }

  /** Runs a read; a contract revert becomes CONTRACT_REVERTED (with the decoded error), anything else
   * CHAIN_UNAVAILABLE. */
  async #chain<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (cause) {
      const revert = decodeRevert(cause);
      if (revert) {
        throw new ChainError(ErrorCode.ContractReverted, `${what}: ${revert.name}`, {
          cause,
          details: { error: revert.name, args: revert.args.map(String) },
        });
      }
      throw new ChainError(ErrorCode.ChainUnavailable, `could not ${what}`, { cause });
    }
  }
}
