import { type Address, getAbiItem, type Hex, toEventSelector } from "viem";
import { aggregatorAbi, optionLedgerAbi, optionVaultAbi } from "../chain/abis.js";
import type { Clients } from "../chain/clients.js";
import { decodeRevert } from "../chain/revert.js";
import type { Deployment } from "../config/schema.js";
import type { AmmQuote } from "../domain/route.js";
import { decodeSeriesId, type SeriesTerms } from "../domain/seriesId.js";
import { ChainError, ErrorCode } from "../errors.js";
import { chainAccountReads } from "./accountReads.js";
import type { AccountReads, Market } from "./market.js";
import { type PairScales, readPairScales, readVaultState } from "./vaultReader.js";
import { NoVaultPrice, quoteTwin, type TwinQuote, type VaultState } from "./vaultTwin.js";

/** The oracle's latest round. */
export interface Spot {
  price: number;
  answer: bigint;
  decimals: number;
  updatedAt: number;
  roundId: bigint;
}

/** The vault's full quote (IOptionVault.Quote), with its refusal as the custom error's name. */
export interface VaultQuote extends TwinQuote, AmmQuote {}

/** How many account reads are followed from block to block before quotes move to a new one. */
const MAX_WARM_READS = 2_000;
/** Beyond this many blocks between two adoptions, account reads are read again instead of followed by logs. */
const MAX_FOLLOWED_BLOCKS = 100n;
/** `SeriesCreated`'s topic: the ledger's new series come with the block's logs. */
const SERIES_CREATED = toEventSelector(getAbiItem({ abi: optionLedgerAbi, name: "SeriesCreated" }));
/** A 32-byte topic holding an address (12 zero bytes, then 20). */
const ADDRESS_TOPIC = /^0x0{24}[0-9a-fA-F]{40}$/;

/**
 * Chain reads the solver prices from: the oracle, the vaults' state and the ledger's series. Results are
 * cached per block, so a burst of requests on one block costs one read per distinct question. The vault's
 * quote is computed off-chain from the vault's state at the block (`quoteTwin`, exact to the wei), so no
 * quote waits for an `eth_call`; and on a live chain a new block is adopted only once its time, spot, vault
 * states and recently asked account reads are loaded, so quotes keep answering from the previous block
 * meanwhile.
 */
export class MarketData implements Market {
  /** Per block: question → answer. */
  readonly #cache = new Map<bigint, Map<string, Promise<unknown>>>();
  #cacheBlock = -1n;
  /** Account reads asked recently, re-read when a block arrives (insertion order = least recently used). */
  readonly #warmReads = new Map<string, { read: (block: bigint) => Promise<unknown>; account?: string }>();
  #scales: Promise<PairScales> | undefined;
  #block: { n: bigint; at: number } | null = null;
  /** The newest block whose timestamp we know, and when (wall clock) we first saw it. */
  #head: { n: bigint; timestamp: number; seenAt: number } | null = null;
  #blockRead: Promise<bigint> | null = null;
  #oracleDecimals: number | undefined;
  #series = new Map<bigint, SeriesTerms>();
  readonly #settled = new Map<bigint, bigint>();
  #lastSpot: Spot | undefined;
  #seriesScannedTo: bigint;
  #seriesScan: Promise<void> | null = null;

  readonly accounts: AccountReads;

  constructor(
    readonly clients: Clients,
    readonly deployment: Deployment,
  ) {
    this.#seriesScannedTo = BigInt(deployment.block) - 1n;
    this.accounts = chainAccountReads(clients, deployment.contracts.ledger, (key, load, account) =>
      this.atLatest(key, load, account),
    );
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
      .then(async (n) => {
        if (n !== this.#cacheBlock) {
          // On a live chain, load the new block's answers before quotes move to it (in-process chains,
          // polling interval 0, read on demand).
          if (this.clients.publicClient.pollingInterval > 0 && this.#cacheBlock >= 0n) await this.#warm(n);
          this.#cacheBlock = n;
          for (const b of this.#cache.keys()) if (b < n) this.#cache.delete(b);
        }
        this.#block = { n, at: Date.now() };
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
    return this.#timeAt(await this.blockNumber());
  }

  #timeAt(block: bigint): Promise<number> {
    return this.#cached(block, "time", async () => {
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

  /**
   * A read cached for the latest block: `key` names the question, `load` asks the chain at `block`. With
   * `account` (the only account whose logs can change the answer), the answer follows that account's logs
   * from block to block instead of being read again on each (see `#warm`).
   */
  async atLatest<T>(key: string, load: (block: bigint) => Promise<T>, account?: Address): Promise<T> {
    const block = await this.blockNumber();
    const read = (at: bigint) => this.#cached(at, key, () => this.#chain(`read ${key.split(":")[0]}`, () => load(at)));
    this.#warmReads.delete(key);
    this.#warmReads.set(key, { read, ...(account ? { account: account.toLowerCase() } : {}) });
    if (this.#warmReads.size > MAX_WARM_READS) this.#warmReads.delete(this.#warmReads.keys().next().value!);
    return read(block);
  }

  /**
   * Loads what quotes will ask of block `n`: its time, the spot, both vaults' state, and the recently asked
   * account reads. What no log in between can have changed is carried over from the previous block instead
   * of read again: an account read unless a log of the tokens or the ledger names its account (every
   * balance or approval change emits one); a vault's state unless the vault or the ledger logged, a token
   * moved the vault's assets, or the oracle's round moved. Without the logs (too many blocks, a failed
   * read), everything is read again.
   */
  async #warm(n: bigint): Promise<void> {
    const c = this.deployment.contracts;
    const prev = this.#cacheBlock;
    // Time and the oracle do not depend on the logs: asked at once.
    const time = this.#timeAt(n);
    const spot = this.#spotCached(n);
    const logs = await this.#logsBetween(prev, n).catch(() => null);
    if (logs) this.#seriesFromLogs(logs.series, prev, n);
    const carried = this.#cache.get(prev);
    const carry = (key: string, unchanged: boolean) => {
      const held = carried?.get(key);
      if (!logs || !held || !unchanged) return false;
      this.#carry(n, key, held);
      return true;
    };
    const reads: Promise<unknown>[] = [];
    for (const [key, { read, account }] of this.#warmReads) {
      if (!carry(key, account !== undefined && !logs?.accounts.has(account))) reads.push(read(n));
    }
    // The oracle is read on every block (a feed's proxy logs nothing itself); a vault's state is carried
    // only while the oracle's round is the one it holds.
    const round = await spot.catch(() => null);
    for (const vault of [c.callVault, c.putVault]) {
      const v = vault.toLowerCase();
      const quiet =
        !!logs && !logs.emitters.has(v) && !logs.emitters.has(c.ledger.toLowerCase()) && !logs.accounts.has(v);
      const held = (await carried?.get(`vault:${vault}`)?.catch(() => null)) as VaultState | null | undefined;
      const sameRound =
        !!round && held?.oracle.answer === round.answer && held.oracle.updatedAt === BigInt(round.updatedAt);
      carry(`vault:${vault}`, quiet && sameRound);
    }
    await Promise.allSettled([
      time,
      this.#seriesUpTo(n),
      spot,
      this.#vaultState(c.callVault, true, n),
      this.#vaultState(c.putVault, false, n),
      ...reads,
    ]);
  }

  /** Series created in blocks (from, to], read from the block's logs: no scan of their own when contiguous. */
  #seriesFromLogs(ids: readonly bigint[], from: bigint, to: bigint): void {
    if (this.#seriesScannedTo < from || this.#seriesScannedTo >= to) return;
    for (const id of ids) this.#series.set(id, decodeSeriesId(id));
    this.#seriesScannedTo = to;
  }

  /**
   * The logs of the tokens, the ledger and the vaults in blocks (from, to]: which contracts
   * logged, which accounts the tokens' and the ledger's logs name (as indexed addresses), and the series
   * the ledger created. Null when a
   * token or ledger log names no account (it could have moved anyone's balance) or the range is too long.
   */
  async #logsBetween(
    from: bigint,
    to: bigint,
  ): Promise<{ accounts: Set<string>; emitters: Set<string>; series: bigint[] } | null> {
    if (from < 0n || to - from > MAX_FOLLOWED_BLOCKS) return null;
    const c = this.deployment.contracts;
    const logs = await this.clients.publicClient.getLogs({
      address: [c.weth, c.usdc, c.ledger, c.callVault, c.putVault],
      fromBlock: from + 1n,
      toBlock: to,
    });
    const holders = new Set([c.weth, c.usdc, c.ledger].map((a) => a.toLowerCase()));
    const accounts = new Set<string>();
    const emitters = new Set<string>();
    const series: bigint[] = [];
    for (const log of logs) {
      const emitter = log.address.toLowerCase();
      emitters.add(emitter);
      if (emitter === c.ledger.toLowerCase() && log.topics[0] === SERIES_CREATED) series.push(BigInt(log.topics[1]!));
      if (!holders.has(emitter)) continue;
      const named = log.topics.slice(1).filter((t): t is Hex => t !== null && ADDRESS_TOPIC.test(t));
      if (named.length === 0) return null;
      for (const t of named) accounts.add(`0x${t.slice(26)}`.toLowerCase());
    }
    return { accounts, emitters, series };
  }

  #carry(block: bigint, key: string, answer: Promise<unknown>): void {
    const answers = this.#cache.get(block) ?? new Map<string, Promise<unknown>>();
    this.#cache.set(block, answers);
    if (!answers.has(key)) answers.set(key, answer);
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
    return this.#spotCached(await this.blockNumber());
  }

  #spotCached(block: bigint): Promise<Spot> {
    return this.#cached(block, "spot", async () => {
      const spot = await this.#readSpot(block);
      if (!this.#lastSpot || block >= this.#cacheBlock) this.#lastSpot = spot;
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

  /**
   * The vault's quote for `amount` on the latest block, as its `quote` view would answer an `eth_call` there:
   * computed from the vault's state at that block and its timestamp. Throws ChainError (CONTRACT_REVERTED,
   * with the custom error's name) when the vault has no price.
   */
  async vaultQuote(seriesId: bigint, amount: bigint, isBuy: boolean): Promise<VaultQuote> {
    const block = await this.blockNumber();
    const isCall = decodeSeriesId(seriesId).isCall;
    const [state, now] = await Promise.all([
      this.#vaultState(this.vaultFor(seriesId), isCall, block),
      this.#timeAt(block),
    ]);
    try {
      const q = quoteTwin(state, seriesId, amount, isBuy, BigInt(now));
      return { ...q, refused: q.refusal !== null };
    } catch (error) {
      if (!(error instanceof NoVaultPrice)) throw error;
      throw new ChainError(ErrorCode.ContractReverted, `read the vault's quote: ${error.error}`, {
        cause: error,
        details: { error: error.error, args: [] },
      });
    }
  }

  /** What the vault's quote reads, at `block`: one load per vault and block, shared by every quote. */
  #vaultState(vault: Address, isCall: boolean, block: bigint): Promise<VaultState> {
    return this.#cached(block, `vault:${vault}`, async () => {
      const c = this.deployment.contracts;
      if (!this.#scales) {
        // Fixed for the pair's lifetime: read once, and again only if that read failed.
        this.#scales = this.#chain("read the pair", () =>
          readPairScales(this.clients.publicClient, c.ledger, this.deployment.pairId),
        );
        this.#scales.catch(() => {
          this.#scales = undefined;
        });
      }
      const [scales, series, spot] = await Promise.all([
        this.#scales,
        this.#seriesUpTo(block),
        this.#spotCached(block).catch(() => null),
      ]);
      const expiries = [...series.values()].filter((t) => t.isCall === isCall).map((t) => t.expiry);
      // The pair's oracle is the one the spot is read from: its round at this block is not read twice.
      const sameOracle = spot && scales.oracle.toLowerCase() === c.oracle.toLowerCase();
      const oracle = sameOracle ? { answer: spot.answer, updatedAt: BigInt(spot.updatedAt) } : undefined;
      const source = {
        vault,
        isCall,
        scales,
        expiries,
        isSeries: (id: bigint) => series.has(id),
        ...(oracle ? { oracle } : {}),
      };
      return this.#chain("read the vault's state", () => readVaultState(this.clients.publicClient, source, block));
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
    return this.#seriesUpTo(opts.fresh ? await this.#refreshBlock() : await this.blockNumber());
  }

  /**
   * The series created up to `latest` (at least: a scan that went further keeps what it found). One scan at
   * a time: callers that arrive during a scan wait for it, then scan on only if they need a later block.
   */
  async #seriesUpTo(latest: bigint): Promise<Map<bigint, SeriesTerms>> {
    while (latest > this.#seriesScannedTo) {
      this.#seriesScan ??= this.#scanSeries(latest).finally(() => {
        this.#seriesScan = null;
      });
      await this.#seriesScan;
    }
    return this.#series;
  }

  async #scanSeries(upTo: bigint): Promise<void> {
    const logs = await this.#chain("read SeriesCreated events", () =>
      this.clients.publicClient.getContractEvents({
        address: this.deployment.contracts.ledger,
        abi: optionLedgerAbi,
        eventName: "SeriesCreated",
        fromBlock: this.#seriesScannedTo + 1n,
        toBlock: upTo,
      }),
    );
    for (const log of logs) {
      const id = log.args.seriesId!;
      this.#series.set(id, decodeSeriesId(id));
    }
    this.#seriesScannedTo = upTo > this.#seriesScannedTo ? upTo : this.#seriesScannedTo;
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

  #cached<T>(block: bigint, key: string, load: () => Promise<T>): Promise<T> {
    const answers = this.#cache.get(block) ?? new Map<string, Promise<unknown>>();
    this.#cache.set(block, answers);
    let hit = answers.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      answers.set(key, hit);
      hit.catch(() => answers.delete(key));
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
