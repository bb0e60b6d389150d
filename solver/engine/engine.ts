import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { type Address, type Hex, parseEventLogs, type TransactionReceipt, zeroAddress } from "viem";
import { erc20Abi, optionLedgerAbi, optionSettlementAbi } from "../chain/abis.js";
import type { Clients } from "../chain/clients.js";
import { typedDigester } from "../chain/eip712.js";
import { type FillParams, type Intent, intentTypes, settlementDomain } from "../chain/intent.js";
import { decodeSeriesId, encodeSeriesId, type SeriesTerms } from "../chain/seriesId.js";
import { SignatureChecker } from "../chain/signatures.js";
import { type Config, type Deployment, type Limits, LimitsSchema, type VolSlice } from "../config/schema.js";
import { nameOf } from "../domain/series.js";
import { sideCode, sideName, type TradeSide } from "../domain/side.js";
import { ChainError, ConfigError, ErrorCode, InternalizerError, OrderRejected, QuoteDeclined } from "../errors.js";
import { type BookChange, Inventory, toOptions } from "../inventory/inventory.js";
import { ExpiryKeeper, type KeeperAction, type SolverPayout } from "../keeper/expiryKeeper.js";
import type { Logger } from "../log.js";
import { assertCanSettle } from "../market/accountChecks.js";
import { type PairAssets, premiumAssetOf } from "../market/assets.js";
import { MarketData, type Spot } from "../market/marketData.js";
import { maxBigInt, minBigInt } from "../math/bigint.js";
import { type PairUnits, valueOption } from "../pricing/optionPricer.js";
import { VolSurface } from "../pricing/volSurface.js";
import { type Commitment, CommitmentBook } from "../risk/commitments.js";
import { KillSwitch } from "../risk/killSwitch.js";
import { type Capacity, internalCapacity, projectedBook } from "../risk/limits.js";
import { ReservationBook } from "../risk/reservations.js";
import { type AmmQuoter, type RouteDecision, routeQuote } from "../router/router.js";
import { internalizeFirst, type RoutingStrategy } from "../router/strategies.js";
import { markoutBps, ToxicityModel } from "../router/toxicity.js";
import type { FilledEvent } from "../settlement/submitter.js";
import { Submitter } from "../settlement/submitter.js";
import { TxSender } from "../settlement/txSender.js";
import type { Store } from "../store/db.js";
import { dueMarkouts, fillCount, fillsUpTo, insertFill, listFills, recipientsOf, setMarkout } from "../store/fills.js";
import { insertKeeperAction, keeperActionsUpTo } from "../store/keeperActions.js";
import {
  getOrder,
  getOrderByQuote,
  insertOrder,
  listOrders,
  type OrderEvent,
  orderEvents,
  ordersOf,
  updateOrder,
} from "../store/orders.js";
import {
  deleteReservation,
  expireQuotes,
  getQuote,
  insertQuote,
  listQuotes,
  loadReservations,
  setQuoteStatus,
} from "../store/quotes.js";
import type { FirmQuote, OrderRecord, QuoteRequest } from "../types.js";
import { CapitalFlowScanner, capitalUpTo } from "./capital.js";
import { equityUsd, flowTotals, type PnlSnapshot, PnlTracker, startBook, type Valuation } from "./pnl.js";
import { solverPrice } from "./pricing.js";
import type { StepClock } from "./stepClock.js";

export interface EngineOptions {
  config: Config;
  deployment: Deployment;
  clients: Clients;
  store: Store;
  log: Logger;
  /** The routing policy; the simulation also runs the two baselines. */
  strategy?: RoutingStrategy;
}

/** The signed order a wallet sends for a quote. */
export interface SignedOrder {
  intent: Intent;
  signature: Hex;
}

const MAX_ROUTE_ATTEMPTS = 3;
/** Vault reverts that depend on state a client may have just changed (vols, oracle, series): read again. */
const STATE_ERRORS = new Set(["VolNotSet", "StaleVol", "StaleOracle", "UnknownSeries"]);
/** How often the expiry keeper looks for work, seconds of wall time. */
const KEEPER_INTERVAL_MS = 2_000;

/**
 * The solver: prices requests, checks inventory and limits, routes internal / AMM / split, reserves what a
 * firm quote promises, accepts signed orders, submits them, and keeps its book, fills, markouts and PnL in
 * step with the chain. Every request goes through `quote`; every order through `acceptOrder`.
 */
export class Engine {
  readonly market: MarketData;
  readonly inventory: Inventory;
  readonly reservations = new ReservationBook();
  readonly commitments = new CommitmentBook();
  readonly surface: VolSurface;
  readonly toxicity: ToxicityModel;
  readonly killSwitch: KillSwitch;
  readonly sender: TxSender;
  readonly submitter: Submitter;
  readonly keeper: ExpiryKeeper;
  readonly signatures: SignatureChecker;
  readonly pnl: PnlTracker;
  readonly strategy: RoutingStrategy;
  readonly units: PairUnits = { underlyingDecimals: 18, quoteDecimals: 6 };
  /** The pair's assets with their symbols; read at start-up. */
  assets: PairAssets;
  readonly solver: Address;
  #fee = { bps: 0, recipient: zeroAddress as Address };
  #limits: Limits;
  #keeperAt = 0;
  #capitalAt = 0;
  readonly #capital: CapitalFlowScanner;
  readonly #intentDigest: (intent: Intent) => Hex;
  /** Emits "order" with the updated OrderRecord on every status change, and "fill" for each new fill. */
  readonly events = new EventEmitter();

  constructor(readonly opts: EngineOptions) {
    const { config, deployment, clients, store, log } = opts;
    this.strategy = opts.strategy ?? internalizeFirst;
    this.#limits = Object.freeze({ ...config.limits });
    this.solver = clients.account.address;
    this.market = new MarketData(clients, deployment);
    this.inventory = new Inventory(this.units);
    this.surface = new VolSurface(config.pricing.vol, config.pricing.volByExpiry);
    this.toxicity = new ToxicityModel(config.toxicity);
    this.killSwitch = new KillSwitch(config.killSwitch, store, log);
    this.pnl = new PnlTracker(store);
    this.signatures = new SignatureChecker(clients.publicClient);
    this.sender = new TxSender(clients);
    this.#capital = new CapitalFlowScanner(clients, deployment, store, this.solver);
    this.events.setMaxListeners(1_000);
    const c = deployment.contracts;
    this.assets = {
      underlying: { address: c.weth, symbol: "WETH", decimals: 18 },
      quote: { address: c.usdc, symbol: "USDC", decimals: 6 },
    };
    this.#intentDigest = typedDigester(
      settlementDomain(clients.chain.id, c.settlement),
      "Intent",
      intentTypes.Intent,
    ) as (intent: Intent) => Hex;
    this.submitter = new Submitter(
      clients,
      deployment,
      this.market,
      this.sender,
      config.submitter,
      {
        quoteOf: (o) => this.getQuote(o.quoteId),
        nextBlockTime: () => this.market.nextBlockTime({ fresh: true }),
        current: (o) => this.getOrder(o.orderHash),
        onSubmitted: (o, tx, params) => this.#onSubmitted(o, tx, params),
        onFilled: (o, e, r) => this.#onFilled(o, e, r),
        onFailed: (o, code, reason) => this.#onFailed(o, code, reason),
        onReverted: (txHash, count) => this.events.emit("reverted", { txHash, count }),
      },
      log.child({ component: "submitter" }),
    );
    this.keeper = new ExpiryKeeper({
      market: this.market,
      deployment,
      sender: this.sender,
      solver: this.solver,
      log: log.child({ component: "keeper" }),
      position: (id) => {
        const p = this.inventory.position(id);
        return { longs: p.longs, shorts: p.shorts };
      },
      clientsOf: (id) => recipientsOf(store, id),
      record: (a) => this.#recordKeeperAction(a),
      onSolverPayout: (p) => this.#bookPayout(p),
      exerciseForClients: config.keeper.exerciseForClients,
    });
  }

  get config(): Config {
    return this.opts.config;
  }

  /** The risk limits in force: the config's, until the operator sets new ones. */
  get limits(): Limits {
    return this.#limits;
  }

  /** Sets the solver's own smile for an expiry (validated by the caller's schema), logged. */
  setVol(expiry: number, slice: VolSlice): void {
    this.log.warn({ expiry, previous: this.surface.slice(expiry), slice }, "vol slice changed by the operator");
    this.surface.set(expiry, slice);
  }

  /**
   * Replaces risk limits at run time: validated as the config is, logged with the old and new values, and
   * never written into the loaded config.
   */
  setLimits(patch: Partial<Limits>): Limits {
    const next = LimitsSchema.parse({ ...this.#limits, ...patch });
    this.log.warn({ previous: this.#limits, limits: next }, "risk limits changed by the operator");
    this.#limits = Object.freeze(next);
    return this.#limits;
  }

  get store(): Store {
    return this.opts.store;
  }

  get log(): Logger {
    return this.opts.log;
  }

  /**
   * Start-up: reads the pair, its assets and the fee, rebuilds the book from chain balances, reloads open
   * reservations, replays markouts into the toxicity model, and reconciles every unfinished order with the
   * chain (Filled events and nonces), so that no order is filled twice or forgotten.
   */
  async init(): Promise<void> {
    const { publicClient } = this.opts.clients;
    const c = this.opts.deployment.contracts;
    await this.#checkStoreChain();
    const pair = await publicClient.readContract({
      address: c.ledger,
      abi: optionLedgerAbi,
      functionName: "pair",
      args: [this.opts.deployment.pairId],
    });
    Object.assign(this.units, { underlyingDecimals: pair.underlyingDecimals, quoteDecimals: pair.quoteDecimals });
    const symbol = (address: Address) => publicClient.readContract({ address, abi: erc20Abi, functionName: "symbol" });
    this.assets = {
      underlying: { address: c.weth, symbol: await symbol(c.weth), decimals: pair.underlyingDecimals },
      quote: { address: c.usdc, symbol: await symbol(c.usdc), decimals: pair.quoteDecimals },
    };
    const cfg = await publicClient.readContract({
      address: c.settlement,
      abi: optionSettlementAbi,
      functionName: "config",
    });
    this.#fee = { bps: cfg.feeBps, recipient: cfg.feeRecipient };
    // One block for the book and the reconciliation: fills up to it are in the balances read at it.
    const block = await publicClient.getBlockNumber();
    await this.syncInventory(undefined, block);
    const now = await this.market.chainTime();
    for (const r of loadReservations(this.store)) if (r.expiresAt >= now) this.reservations.add(r);
    for (const q of this.listQuotes({ status: "open", limit: 100_000 })) {
      if (q.validUntil >= now) {
        this.commitments.add({
          ...this.#commitment(q, decodeSeriesId(q.seriesId), q.limitPremium, q.createdAt),
          quoteId: q.quoteId,
        });
      }
    }
    for (const f of [...listFills(this.store, 100_000)].reverse()) {
      if (f.markoutBps !== null) this.toxicity.record(f.user, f.markoutBps);
    }
    const firstStart = this.pnl.start({
      cash: { ...this.inventory.cash },
      positions: this.inventory.positions().map((p) => ({ seriesId: p.seriesId, longs: p.longs, shorts: p.shorts })),
    });
    // Deposits and withdrawals up to the book's block are in its balances; record those since the last
    // start (for PnL's baseline), or, on the first start, none: the starting holdings hold them.
    if (firstStart) this.#capital.skipTo(block);
    else await this.#capital.scan(block);
    await this.reconcile(block);
  }

  /** Rebuilds positions and cash from chain balances (the truth) at `blockNumber` (default: latest). */
  async syncInventory(seriesIds?: bigint[], blockNumber?: bigint): Promise<void> {
    const read = await this.readBook(blockNumber, seriesIds);
    for (const p of read.positions()) this.inventory.setPosition(p.seriesId, p.longs, p.shorts);
    for (const id of seriesIds ?? []) {
      const p = read.position(id);
      this.inventory.setPosition(id, p.longs, p.shorts);
    }
    this.inventory.cash = read.cash;
  }

  /** The solver's positions and cash as the chain has them at `blockNumber` (default: latest). */
  async readBook(blockNumber?: bigint, seriesIds?: bigint[]): Promise<Inventory> {
    const { publicClient } = this.opts.clients;
    const c = this.opts.deployment.contracts;
    const ids = seriesIds ?? [...(await this.market.listSeries()).keys()];
    const book = new Inventory(this.units);
    const read = (functionName: "balanceOf" | "shortBalanceOf", id: bigint) =>
      publicClient.readContract({
        address: c.ledger,
        abi: optionLedgerAbi,
        functionName,
        args: [this.solver, id],
        blockNumber,
      });
    await Promise.all(
      ids.map(async (id) => {
        const [longs, shorts] = await Promise.all([read("balanceOf", id), read("shortBalanceOf", id)]);
        if (longs !== 0n || shorts !== 0n) book.setPosition(id, longs, shorts);
      }),
    );
    const balance = (address: Address) =>
      publicClient.readContract({
        address,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [this.solver],
        blockNumber,
      });
    const [weth, usdc] = await Promise.all([balance(c.weth), balance(c.usdc)]);
    book.cash = { weth, usdc };
    return book;
  }

  /**
   * The database belongs to one deployment on one chain. Its identity is the chain id, the settlement
   * address and the hash of the deployment's first block (after `deployment.block`): a devnet restarted
   * from scratch reuses the same addresses, but not the same block hashes. A database from another chain
   * would hold fills and orders that never happened there, so the solver refuses to start on it.
   */
  async #checkStoreChain(): Promise<void> {
    const { deployment, clients } = this.opts;
    let anchor: string;
    try {
      // `block` is where the deployment starts (often the block before its first transaction, and on a
      // fresh devnet the genesis, which is the same on every restart): anchor on the next block if it exists.
      const latest = await clients.publicClient.getBlockNumber();
      const at = BigInt(deployment.block) < latest ? BigInt(deployment.block) + 1n : BigInt(deployment.block);
      const block = await clients.publicClient.getBlock({ blockNumber: at });
      anchor = `${deployment.chainId}:${deployment.contracts.settlement.toLowerCase()}:${block.hash}`;
    } catch (cause) {
      throw new ChainError(ErrorCode.ChainUnavailable, "could not read the deployment's block", { cause });
    }
    const stored = this.store.meta("chain");
    if (stored === undefined) this.store.setMeta("chain", anchor);
    else if (stored !== anchor) {
      throw new ConfigError(
        ErrorCode.StoreMismatch,
        `the database ${this.config.dbPath} belongs to another chain or deployment; move it away or set DB_PATH`,
        { details: { stored, current: anchor } },
      );
    }
  }

  // ------------------------------------------------------------------ quoting

  /**
   * Prices, routes and reserves a firm quote, or throws QuoteDeclined with a reason code. When `signal`
   * aborts first (the API's time budget), nothing is reserved and the request is declined. A decline that
   * rests on chain state a client may just have changed (a vol slice, the oracle, a new series, a balance or
   * an approval) is checked again on a fresh block before it is given.
   */
  async quote(request: QuoteRequest, signal?: AbortSignal, clock?: StepClock): Promise<FirmQuote> {
    this.killSwitch.assertQuoting();
    if (request.amount <= 0n) throw new QuoteDeclined(ErrorCode.SizeInvalid, "amount must be positive");
    const maxOrder = BigInt(Math.round(this.limits.maxOrderSize * 1e6)) * 10n ** 12n;
    if (request.amount > maxOrder) {
      throw new QuoteDeclined(
        ErrorCode.SizeTooLarge,
        `amount above the maximum order of ${this.limits.maxOrderSize} options`,
      );
    }
    try {
      return await this.#quoteOnce(request, signal, clock);
    } catch (error) {
      if (!(error instanceof QuoteDeclined) || !isStateDecline(error)) throw error;
      if (!(await this.#chain(() => this.market.refresh()))) throw error;
      return this.#quoteOnce(request, signal, clock);
    }
  }

  async #quoteOnce(request: QuoteRequest, signal?: AbortSignal, clock?: StepClock): Promise<FirmQuote> {
    const now = await this.#chainNow();
    const terms = await this.#liveSeries(request.seriesId, now);
    const { spot } = await this.#marketNow();
    const userBuys = request.side === "buy";
    const valuation = valueOption(terms, spot.price, now, this.surface, this.config.pricing.rate, this.units);
    const premiumAsset = premiumAssetOf(this.assets, terms);
    const decimals = premiumAsset.decimals;
    const amm: AmmQuoter = async (amount) => {
      try {
        return await this.market.vaultQuote(request.seriesId, amount, userBuys);
      } catch (error) {
        throw this.#declineForChain(error, now);
      }
    };

    for (let attempt = 1; ; attempt++) {
      const projected = projectedBook(this.inventory, this.reservations, now);
      const book = projected.greeks(spot.price, now, this.surface, this.config.pricing.rate);
      const price = solverPrice({
        valuation,
        book,
        spot: spot.price,
        atmVol: this.surface.slice(terms.expiry).atmVol,
        isCall: terms.isCall,
        userBuys,
        toxicWidenBps: this.strategy.widensForToxicity ? this.toxicity.widenBps(request.requester) : 0,
        pricing: this.config.pricing,
        skew: this.config.skew,
      });
      clock?.lap("price");
      const capacity = (projectedNow?: typeof projected) =>
        internalCapacity({
          ...(projectedNow ? { book: projectedNow } : {}),
          inventory: this.inventory,
          reservations: this.reservations,
          seriesId: request.seriesId,
          userBuys,
          requested: request.amount,
          valuation,
          premiumPerOption: price.quote,
          spot: spot.price,
          now,
          surface: this.surface,
          rate: this.config.pricing.rate,
          limits: this.limits,
        });
      const available = this.#meaningful(capacity(projected));
      clock?.lap("capacity");
      const decision = await routeQuote(
        {
          userBuys,
          amount: request.amount,
          capacity: available,
          solverPerOption: price.quote,
          reservationPerOption: price.reservation,
          decimals,
          toxic: this.toxicity.ammOnly(request.requester),
          gas: this.#gasCosts(terms, spot.price),
          params: {
            improvementShare: this.config.router.improvementShare,
            safetyBps: this.config.router.safetyBps,
            slippageBps: this.config.router.ammSlippageBps,
          },
          strategy: this.strategy,
        },
        amm,
      );
      clock?.lap("route");
      // The fill must be payable together with the requester's other open quotes.
      const draw = this.#commitment(request, terms, decision.limitPremium, now);
      const pending = this.commitments.pending(request.requester, draw.key, draw.slot, now);
      await assertCanSettle(this.market, this.opts.deployment, this.assets, {
        user: request.requester,
        side: request.side,
        seriesId: request.seriesId,
        terms,
        amount: request.amount + (request.side === "sellToClose" ? pending : 0n),
        premiumLimit: decision.limitPremium + (request.side === "buy" ? pending : 0n),
        collateral:
          this.inventory.collateralFor(terms, request.amount) + (request.side === "sellToOpen" ? pending : 0n),
        committed: pending,
      }).catch((error: unknown) => {
        throw this.#declineForChain(error, now);
      });
      clock?.lap("accounts");
      if (signal?.aborted) throw new QuoteDeclined(ErrorCode.BudgetExceeded, "no answer within the time budget");
      // From here to the reservation nothing awaits, so no other quote can take the same headroom.
      const fresh = this.#meaningful(capacity());
      if (decision.internalAmount > fresh.amount) {
        if (attempt < MAX_ROUTE_ATTEMPTS) continue;
        throw new QuoteDeclined(fresh.limitedBy ?? ErrorCode.NoLiquidity, "limits are taken by open quotes");
      }
      const firm = this.#commit(
        request,
        terms,
        decision,
        { now, spot, premiumAsset: premiumAsset.address, model: price.model },
        signal,
      );
      clock?.lap("reserve");
      return firm;
    }
  }

  #commit(
    request: QuoteRequest,
    terms: SeriesTerms,
    d: RouteDecision,
    ctx: { now: number; spot: Spot; premiumAsset: Address; model: number },
    signal?: AbortSignal,
  ): FirmQuote {
    const quote: FirmQuote = {
      ...d,
      quoteId: `0x${randomBytes(32).toString("hex")}` as Hex,
      requester: request.requester,
      seriesId: request.seriesId,
      side: request.side,
      amount: request.amount,
      premiumAsset: ctx.premiumAsset,
      validUntil: ctx.now + this.config.quoteTtlSeconds,
      createdAt: ctx.now,
      spot: ctx.spot.price,
      modelValue: ctx.model,
    };
    const reservation =
      d.internalAmount > 0n
        ? {
            quoteId: quote.quoteId,
            change: bookChange(terms, request.side, d.internalAmount, d.mintAmount, d.internalPremium),
            expiresAt: quote.validUntil,
          }
        : null;
    if (signal?.aborted) throw new QuoteDeclined(ErrorCode.BudgetExceeded, "no answer within the time budget");
    // Reserve now, in this turn, so no concurrent quote sees the headroom. The row is written behind (within
    // a few ms, before any later transaction or quote read): losing it in a crash only makes the solver
    // refuse an order for a quote it no longer knows, and its reservation would have been lost with it.
    if (reservation) this.reservations.add(reservation);
    const superseded = this.commitments.add({
      ...this.#commitment(request, terms, d.limitPremium, ctx.now),
      quoteId: quote.quoteId,
    });
    if (superseded) this.#supersede(superseded);
    this.store.writeBehind(
      () => insertQuote(this.store, quote, reservation),
      (error) => {
        this.reservations.release(quote.quoteId);
        this.log.error({ err: error, quoteId: quote.quoteId }, "could not record a quote; it will not be honoured");
      },
    );
    this.log.info(
      { quoteId: quote.quoteId, route: d.route, reason: d.reason, premium: d.premium.toString() },
      "quoted",
    );
    return quote;
  }

  /** What a quote for `request` draws on the requester's account, keyed by what it draws on. */
  #commitment(
    request: QuoteRequest,
    terms: SeriesTerms,
    limitPremium: bigint,
    now: number,
  ): Omit<Commitment, "quoteId"> {
    const asset = premiumAssetOf(this.assets, terms).address;
    const [key, amount] =
      request.side === "buy"
        ? [`asset:${asset}`, limitPremium]
        : request.side === "sellToOpen"
          ? [`asset:${asset}`, this.inventory.collateralFor(terms, request.amount)]
          : [`series:${request.seriesId}`, request.amount];
    return {
      requester: request.requester,
      key,
      amount,
      slot: `${request.seriesId}:${request.side}`,
      expiresAt: now + this.config.quoteTtlSeconds,
    };
  }

  /** A newer quote from the same requester for the same series and side retires the older one. */
  #supersede(quoteId: string): void {
    this.reservations.release(quoteId);
    this.store.writeBehind(
      () => {
        if (getQuote(this.store, quoteId, (id) => this.#premiumAsset(id))?.status === "open") {
          setQuoteStatus(this.store, quoteId, "superseded");
          deleteReservation(this.store, quoteId);
        }
      },
      (error) => this.log.error({ err: error, quoteId }, "could not record a superseded quote"),
    );
  }

  getQuote(quoteId: string): (FirmQuote & { status: string }) | undefined {
    return getQuote(this.store, quoteId, (id) => this.#premiumAsset(id));
  }

  listQuotes(opts: Parameters<typeof listQuotes>[2] = {}) {
    return listQuotes(this.store, (id) => this.#premiumAsset(id), opts);
  }

  // ------------------------------------------------------------------ orders

  /**
   * Accepts a signed intent for an open quote after checking that it matches the quote, can still be mined
   * before the quote's validity ends, is signed by the requester exactly as the settlement checks it (ECDSA,
   * or EIP-1271 for a contract wallet), and uses a fresh nonce. Settlement follows asynchronously; the
   * order's status tells how it went.
   */
  async acceptOrder(order: SignedOrder): Promise<OrderRecord> {
    const { intent, signature } = order;
    const quote = this.getQuote(intent.quoteId);
    if (!quote) throw new OrderRejected(ErrorCode.QuoteUnknown, "no quote with this id");
    if (quote.status !== "open") {
      const existing = getOrderByQuote(this.store, intent.quoteId);
      if (existing)
        throw new OrderRejected(ErrorCode.OrderDuplicate, "an order was already accepted for this quote", {
          details: { orderHash: existing.orderHash },
        });
      throw new OrderRejected(
        ErrorCode.QuoteExpired,
        quote.status === "superseded"
          ? "a newer quote for the same series and side replaced this one"
          : `the quote is ${quote.status}`,
      );
    }
    const next = await this.#chain(() => this.market.nextBlockTime({ fresh: true }));
    if (next + this.config.submitter.inclusionMarginSeconds > quote.validUntil) {
      if (next > quote.validUntil) this.#expire(quote.quoteId);
      throw new OrderRejected(ErrorCode.QuoteExpired, "the quote expires before a fill could be mined", {
        details: { validUntil: quote.validUntil, nextBlockTime: next },
      });
    }
    const params = this.#checkIntent(intent, quote, next);
    const orderHash = this.#intentDigest(intent);
    if (getOrder(this.store, orderHash))
      throw new OrderRejected(ErrorCode.OrderDuplicate, "order already accepted", { details: { orderHash } });
    const valid = await this.#chain(() => this.signatures.isValid(intent.user, orderHash, signature));
    if (!valid) throw new OrderRejected(ErrorCode.SignatureInvalid, "the signature is not the user's");
    const used = await this.#chain(() => this.#nonceUsed(intent.user, intent.nonce));
    if (used) throw new OrderRejected(ErrorCode.NonceUsed, "nonce already used or cancelled");

    const now = await this.#chainNow();
    const record: OrderRecord = {
      orderHash,
      quoteId: quote.quoteId,
      user: intent.user,
      intent,
      signature,
      params,
      status: "accepted",
      txHash: null,
      errorCode: null,
      errorReason: null,
      createdAt: now,
      updatedAt: now,
    };
    // The quote may have been ordered concurrently while we awaited the chain: re-check inside the write.
    this.store.transaction(() => {
      const again = this.getQuote(quote.quoteId);
      if (again?.status !== "open")
        throw new OrderRejected(ErrorCode.OrderDuplicate, "an order was already accepted for this quote");
      insertOrder(this.store, record);
      setQuoteStatus(this.store, quote.quoteId, "ordered");
    });
    this.submitter.enqueue(record);
    this.log.child({ orderHash, quoteId: quote.quoteId }).info("order accepted");
    this.events.emit("order", record);
    return record;
  }

  getOrder(orderHash: string): OrderRecord | undefined {
    return getOrder(this.store, orderHash);
  }

  /** A wallet's orders, newest first. */
  ordersOf(user: Address, limit = 100): OrderRecord[] {
    return ordersOf(this.store, user, limit);
  }

  /** An order's audit trail: each status it reached, when (chain time), with its tx or failure. */
  orderTrail(orderHash: string): OrderEvent[] {
    return orderEvents(this.store, orderHash);
  }

  /**
   * Cancels an order the solver has not sent yet (the caller has checked that the user asked). An order
   * already in a transaction cannot be called back: the user invalidates its nonce on chain.
   */
  cancelOrder(orderHash: Hex): OrderRecord {
    const order = this.getOrder(orderHash);
    if (!order) throw new OrderRejected(ErrorCode.OrderUnknown, "no order with this hash");
    if (order.status !== "accepted" || !this.submitter.withdraw(orderHash)) {
      throw new OrderRejected(
        ErrorCode.OrderNotCancellable,
        order.status === "submitted"
          ? "the order is already in a settlement transaction; invalidate its nonce on chain to stop it"
          : `the order is ${order.status}`,
        { details: { status: order.status, txHash: order.txHash } },
      );
    }
    this.#finish(order, "cancelled", ErrorCode.OrderCancelled, "cancelled by the user");
    return this.getOrder(orderHash)!;
  }

  async #nonceUsed(user: Address, nonce: bigint, blockNumber?: bigint): Promise<boolean> {
    return this.opts.clients.publicClient.readContract({
      address: this.opts.deployment.contracts.settlement,
      abi: optionSettlementAbi,
      functionName: "isNonceUsed",
      args: [user, nonce],
      blockNumber,
    });
  }

  /** The fill parameters for an intent that matches its quote; throws QUOTE_MISMATCH otherwise. */
  #checkIntent(intent: Intent, quote: FirmQuote, next: number): FillParams {
    const mismatch = (what: string) =>
      new OrderRejected(ErrorCode.QuoteMismatch, `intent does not match the quote: ${what}`);
    if (intent.user.toLowerCase() !== quote.requester.toLowerCase()) throw mismatch("user is not the requester");
    if (intent.seriesId !== quote.seriesId) throw mismatch("seriesId");
    if (intent.side !== sideCode(quote.side)) throw mismatch("side");
    if (intent.amount !== quote.amount) throw mismatch("amount");
    if (intent.recipient === zeroAddress) throw mismatch("recipient is zero");
    if (intent.exclusiveSolver !== zeroAddress && intent.exclusiveSolver.toLowerCase() !== this.solver.toLowerCase()) {
      throw mismatch("exclusiveSolver is another solver");
    }
    if (intent.deadline < BigInt(next)) throw mismatch("the deadline passes before a fill could be mined");
    if (intent.deadline > BigInt(quote.validUntil)) throw mismatch("the deadline is after the quote's validity");
    const userBuys = quote.side === "buy";
    if (userBuys ? intent.limitPremium < quote.premium : intent.limitPremium > quote.premium) {
      throw mismatch(userBuys ? "limit is below the quoted premium" : "limit is above the quoted premium");
    }
    // The AMM leg's bound: within the quote's slippage bound and within what the user's limit leaves.
    let ammBound = quote.ammBound;
    if (quote.ammAmount > 0n) {
      const room = intent.limitPremium - quote.internalPremium;
      ammBound = userBuys ? minBigInt(room, ammBound) : maxBigInt(room, ammBound);
    }
    return {
      internalAmount: quote.internalAmount,
      internalPremium: quote.internalPremium,
      mintAmount: quote.mintAmount,
      ammPremium: quote.ammAmount > 0n ? ammBound : 0n,
    };
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Periodic work: expire quotes and their reservations, take due markouts into the toxicity model, check
   * the kill switch's conditions, send accepted orders, and settle expired series.
   */
  async tick(): Promise<void> {
    let now: number;
    let spot: Spot;
    try {
      ({ now, spot } = await this.#marketNow(false));
      this.killSwitch.chainUp();
    } catch (error) {
      if (error instanceof InternalizerError && error.code === ErrorCode.ChainUnavailable) return;
      throw error;
    }
    // The store drops expired reservation rows in bulk; the in-memory book expires its own.
    this.reservations.expire(now);
    this.commitments.expire(now);
    expireQuotes(this.store, now);
    this.killSwitch.checkOracle(spot.updatedAt, now);
    this.#takeMarkouts(now, spot);
    this.killSwitch.checkDrawdown((await this.pnlNow()).drawdownUsd, now);
    await this.submitter.flush();
    if (Date.now() - this.#capitalAt >= KEEPER_INTERVAL_MS) {
      this.#capitalAt = Date.now();
      await this.#followCapital();
    }
    if (this.config.keeper.enabled && Date.now() - this.#keeperAt >= KEEPER_INTERVAL_MS) {
      this.#keeperAt = Date.now();
      await this.keeper.run(await this.market.listSeries(), now);
    }
  }

  #takeMarkouts(now: number, spot: Spot): void {
    for (const fill of dueMarkouts(this.store, now)) {
      if (fill.internalAmount === 0n) {
        setMarkout(this.store, fill.orderHash, 0, 0);
        continue;
      }
      const terms = decodeSeriesId(fill.seriesId);
      const mark = valueOption(
        terms,
        spot.price,
        Math.min(now, terms.expiry),
        this.surface,
        this.config.pricing.rate,
        this.units,
      );
      const decimals = terms.isCall ? this.units.underlyingDecimals : this.units.quoteDecimals;
      const options = toOptions(fill.internalAmount);
      const fillPerOption = Number(fill.internalPremium) / 10 ** decimals / options;
      const toUsd = (x: number) => (terms.isCall ? x * spot.price : x);
      const bps = markoutBps(fill.side !== 0, toUsd(fillPerOption), mark.valueUsd, fill.spot);
      setMarkout(this.store, fill.orderHash, bps, (bps / 10_000) * fill.spot * options);
      this.toxicity.record(fill.user, bps);
    }
  }

  /**
   * Resolves every order that was accepted or submitted but not settled in this process's memory, against
   * the chain at `block` (the block the book was read at): a Filled event up to it is recorded without
   * touching the book, which already holds it; a settlement transaction that landed later, or is still
   * pending, is followed to its receipt; an order whose nonce is spent without our fill failed (cancelled
   * or filled elsewhere); the rest are resubmitted while their quote is valid, and failed otherwise.
   */
  async reconcile(block: bigint): Promise<void> {
    const { publicClient } = this.opts.clients;
    const c = this.opts.deployment.contracts;
    const events = await publicClient.getContractEvents({
      address: c.settlement,
      abi: optionSettlementAbi,
      eventName: "Filled",
      args: { solver: this.solver },
      fromBlock: BigInt(this.opts.deployment.block),
      toBlock: block,
    });
    const byHash = new Map(events.map((e) => [e.args.orderHash!.toLowerCase(), e]));
    const next = await this.market.nextBlockTime({ fresh: true });
    for (const order of listOrders(this.store, ["accepted", "submitted"])) {
      const event = byHash.get(order.orderHash.toLowerCase());
      if (event) {
        const receipt = await publicClient.getTransactionReceipt({ hash: event.transactionHash });
        await this.#onFilled(
          order,
          { ...(event.args as Required<typeof event.args>), side: Number(event.args.side), logIndex: event.logIndex },
          receipt,
          { booked: true },
        );
        continue;
      }
      if (order.status === "submitted" && order.txHash && (await this.#followTransaction(order, order.txHash, block)))
        continue;
      const quote = this.getQuote(order.quoteId);
      if (await this.#nonceUsed(order.intent.user, order.intent.nonce, block))
        this.#onFailed(order, ErrorCode.NonceUsed, "the nonce was used without a fill by this solver (cancelled)");
      else if (!quote || quote.validUntil < next || order.intent.deadline < BigInt(next))
        this.#onFailed(order, ErrorCode.QuoteExpired, "the quote expired while the solver was down");
      else this.submitter.enqueue(order);
    }
  }

  /**
   * A submitted order's transaction that is not settled as of `block`: mined after it, or still pending, it
   * is followed to its receipt (true); dropped, or mined by then without filling this order, it is not (false).
   */
  async #followTransaction(order: OrderRecord, txHash: Hex, block: bigint): Promise<boolean> {
    const { publicClient } = this.opts.clients;
    const receipt = await publicClient.getTransactionReceipt({ hash: txHash }).catch(() => null);
    if (receipt) {
      if (receipt.blockNumber <= block) return false;
      await this.submitter.report([{ order, params: order.params }], receipt);
      return true;
    }
    const pending = await publicClient.getTransaction({ hash: txHash }).catch(() => null);
    if (!pending) return false;
    void this.submitter.follow([{ order, params: order.params }], txHash);
    return true;
  }

  /** The operator's deposits and withdrawals since the last scan move the book's cash, not its PnL. */
  async #followCapital(): Promise<void> {
    for (const flow of await this.#capital.scan(await this.market.blockNumber())) {
      const cash = this.inventory.cash;
      this.inventory.cash = { ...cash, [flow.asset]: cash[flow.asset] + flow.amount };
      this.log.info({ asset: flow.asset, amount: flow.amount.toString(), tx: flow.txHash }, "capital moved");
    }
  }

  /** The starting holdings plus the capital moved in or out up to `block`: what holding would be worth. */
  #baseline(block?: number): Inventory {
    const start = this.pnl.startHoldings;
    const moved = capitalUpTo(this.store, block);
    return startBook(
      { ...start, cash: { weth: start.cash.weth + moved.weth, usdc: start.cash.usdc + moved.usdc } },
      this.units,
    );
  }

  // ------------------------------------------------------------------ PnL

  /** The market state the live book is valued at: the latest block's spot and time, settled prices. */
  async valuationNow(): Promise<Valuation> {
    const [now, spot] = await Promise.all([this.market.chainTime(), this.market.spot()]);
    const expired = this.inventory
      .positions()
      .filter((p) => p.terms.expiry <= now)
      .map((p) => p.seriesId);
    const startExpired = this.pnl.startHoldings.positions
      .filter((p) => decodeSeriesId(p.seriesId).expiry <= now)
      .map((p) => p.seriesId);
    const settled = await this.market.settlementPrices([...new Set([...expired, ...startExpired])]);
    return this.#valuation(spot.price, now, settled);
  }

  #valuation(spot: number, now: number, settled: ReadonlyMap<bigint, bigint>): Valuation {
    return { spot, now, settled, surface: this.surface, rate: this.config.pricing.rate, units: this.units };
  }

  /** PnL of the live book at the latest block (what the kill switch and metrics watch). */
  async pnlNow(): Promise<PnlSnapshot & { block: number; chainTime: number; spot: number }> {
    const v = await this.valuationNow();
    const block = Number(await this.market.blockNumber());
    const flows = flowTotals(fillsUpTo(this.store), keeperActionsUpTo(this.store), this.units);
    const baseline = equityUsd(this.#baseline(), v);
    return {
      ...this.pnl.snapshot(equityUsd(this.inventory, v), baseline, flows),
      block,
      chainTime: v.now,
      spot: v.spot,
    };
  }

  /**
   * PnL as a pure function of chain state at `block` and the fill log up to it: the solver's balances,
   * the oracle, the block's time and settled prices are read at that block; the same block gives the same
   * figures every time it is asked.
   */
  /**
   * PnL as the chain had it at `block`: a pure function of the chain there and the fill log. The running
   * peak and drawdown are the tracker's, not the block's, so they are null here.
   */
  async pnlAt(block: bigint): Promise<
    Omit<PnlSnapshot, "peakUsd" | "drawdownUsd"> & {
      peakUsd: null;
      drawdownUsd: null;
      block: number;
      chainTime: number;
      spot: number;
    }
  > {
    const { publicClient } = this.opts.clients;
    const [b, round, book] = await Promise.all([
      publicClient.getBlock({ blockNumber: block }),
      this.market.spotAt(block),
      this.readBook(block),
    ]).catch((cause: unknown) => {
      if (cause instanceof ChainError) throw cause;
      throw new ChainError(ErrorCode.ChainUnavailable, "could not read the chain at that block", { cause });
    });
    const now = Number(b.timestamp);
    const ids = [...new Set([...book.positions(), ...startBook(this.pnl.startHoldings, this.units).positions()])]
      .filter((p) => p.terms.expiry <= now)
      .map((p) => p.seriesId);
    const v = this.#valuation(round.price, now, await this.market.settlementPrices(ids, block));
    const flows = flowTotals(
      fillsUpTo(this.store, Number(block)),
      keeperActionsUpTo(this.store, Number(block)),
      this.units,
    );
    const baseline = equityUsd(this.#baseline(Number(block)), v);
    return {
      ...this.pnl.snapshot(equityUsd(book, v), baseline, flows, false),
      peakUsd: null,
      drawdownUsd: null,
      block: Number(block),
      chainTime: now,
      spot: v.spot,
    };
  }

  // ------------------------------------------------------------------ submitter and keeper hooks

  #onSubmitted(order: OrderRecord, txHash: Hex, params: FillParams): void {
    updateOrder(this.store, order.orderHash, { status: "submitted", txHash, params, at: this.#timeNow() });
    this.#emitOrder(order.orderHash);
  }

  #emitOrder(orderHash: Hex): void {
    const record = getOrder(this.store, orderHash);
    if (record) this.events.emit("order", record);
  }

  /** Records a fill; `booked` when the book was read after it (at start-up), so only the records change. */
  async #onFilled(
    order: OrderRecord,
    e: FilledEvent,
    receipt: TransactionReceipt,
    opts: { booked?: boolean } = {},
  ): Promise<void> {
    const quote = this.getQuote(order.quoteId);
    const block = await this.opts.clients.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    const timestamp = Number(block.timestamp);
    const terms = decodeSeriesId(e.seriesId);
    const side = sideName(e.side);
    const fee = (e.internalPremium * BigInt(this.#fee.bps)) / 10_000n;
    // A batch's gas is shared evenly by the orders it settled.
    const fillsInTx = Math.max(
      1,
      parseEventLogs({ abi: optionSettlementAbi, logs: receipt.logs, eventName: ["Filled", "FillSkipped"] }).length,
    );
    const gasUsed = (receipt.gasUsed * receipt.effectiveGasPrice) / BigInt(fillsInTx);
    const fresh = this.store.transaction(() => {
      const inserted = insertFill(this.store, {
        orderHash: order.orderHash,
        txHash: receipt.transactionHash,
        block: Number(receipt.blockNumber),
        logIndex: e.logIndex,
        user: e.user,
        recipient: order.intent.recipient,
        solver: e.solver,
        seriesId: e.seriesId,
        side: e.side as 0 | 1 | 2,
        internalAmount: e.internalAmount,
        ammAmount: e.ammAmount,
        premium: e.premium,
        internalPremium: e.internalPremium,
        ammReference: e.ammReferencePremium,
        timestamp,
        spot: quote?.spot ?? 0,
        modelValue: quote?.modelValue ?? 0,
        gasUsed,
        fee,
        markoutDue: timestamp + this.config.toxicity.horizonSeconds,
        markoutBps: null,
        markoutUsd: null,
      });
      updateOrder(this.store, order.orderHash, { status: "filled", txHash: receipt.transactionHash, at: timestamp });
      setQuoteStatus(this.store, order.quoteId, "filled");
      deleteReservation(this.store, order.quoteId);
      return inserted;
    });
    if (fresh)
      this.events.emit("fill", {
        orderHash: order.orderHash,
        internalAmount: e.internalAmount,
        ammAmount: e.ammAmount,
        gasCost: gasUsed,
      });
    // Release the reservation and book the fill in one synchronous step, so capacity never double-counts.
    this.reservations.release(order.quoteId);
    this.commitments.release(order.quoteId);
    if (fresh && e.internalAmount > 0n) {
      const mint = side === "buy" ? order.params.mintAmount : 0n;
      if (!opts.booked)
        this.inventory.apply(
          bookChange(
            terms,
            side,
            e.internalAmount,
            mint,
            side === "buy" ? e.internalPremium - fee : e.internalPremium + fee,
          ),
        );
      this.killSwitch.recordFill(timestamp);
    }
    this.log
      .child({ orderHash: order.orderHash })
      .info({ tx: receipt.transactionHash, premium: e.premium.toString() }, "filled");
    this.#emitOrder(order.orderHash);
  }

  #onFailed(order: OrderRecord, code: ErrorCode, reason: string): void {
    this.#finish(order, "failed", code, reason);
    this.log.child({ orderHash: order.orderHash }).warn({ code, reason }, "order failed");
    this.events.emit("failed", { orderHash: order.orderHash, code });
  }

  #finish(order: OrderRecord, status: "failed" | "cancelled", code: ErrorCode, reason: string): void {
    this.store.transaction(() => {
      updateOrder(this.store, order.orderHash, { status, errorCode: code, errorReason: reason, at: this.#timeNow() });
      setQuoteStatus(this.store, order.quoteId, status);
      deleteReservation(this.store, order.quoteId);
    });
    this.reservations.release(order.quoteId);
    this.commitments.release(order.quoteId);
    this.#emitOrder(order.orderHash);
  }

  #recordKeeperAction(a: KeeperAction): void {
    insertKeeperAction(this.store, { ...a, spot: this.market.lastSpot()?.price ?? 0 });
    this.events.emit("keeper", a);
  }

  /** The solver's own exercise or redemption: the options leave the book and the payout arrives as cash. */
  #bookPayout(p: SolverPayout): void {
    const position = this.inventory.position(p.seriesId);
    const terms = position.terms;
    const longs = p.kind === "exercised" ? position.longs - p.amount : position.longs;
    const shorts = p.kind === "redeemed" ? position.shorts - p.amount : position.shorts;
    this.inventory.setPosition(p.seriesId, longs, shorts);
    const cash = this.inventory.cash;
    this.inventory.cash = terms.isCall
      ? { ...cash, weth: cash.weth + p.payout }
      : { ...cash, usdc: cash.usdc + p.payout };
  }

  // ------------------------------------------------------------------ helpers

  /** The chain time the solver last saw (for records); the wall clock if the chain was never read. */
  #timeNow(): number {
    return this.market.lastChainTime() ?? Math.floor(Date.now() / 1000);
  }

  #expire(quoteId: string): void {
    setQuoteStatus(this.store, quoteId, "expired");
    deleteReservation(this.store, quoteId);
    this.reservations.release(quoteId);
    this.commitments.release(quoteId);
  }

  async #marketNow(check = true): Promise<{ now: number; spot: Spot }> {
    try {
      const [now, spot] = await Promise.all([this.market.chainTime(), this.market.spot()]);
      if (check) {
        this.killSwitch.chainUp();
        this.killSwitch.checkOracle(spot.updatedAt, now);
        if (this.killSwitch.paused) {
          const state = this.killSwitch.state;
          const code = state.reason === "ORACLE_STALE" ? ErrorCode.OracleStale : ErrorCode.SolverPaused;
          throw new QuoteDeclined(code, `solver paused: ${state.reason}`, { details: { ...state } });
        }
      }
      return { now, spot };
    } catch (error) {
      throw this.#declineForChain(error, Math.floor(Date.now() / 1000));
    }
  }

  async #chainNow(): Promise<number> {
    return this.#chain(() => this.market.chainTime());
  }

  async #chain<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.#declineForChain(error, Math.floor(Date.now() / 1000));
    }
  }

  async #liveSeries(seriesId: bigint, now: number): Promise<SeriesTerms> {
    let terms = (await this.#chain(() => this.market.listSeries())).get(seriesId);
    // The block number may be a moment old: a series created since is found by reading the latest block.
    if (!terms) terms = (await this.#chain(() => this.market.listSeries({ fresh: true }))).get(seriesId);
    if (!terms || terms.pairId !== this.opts.deployment.pairId)
      throw new QuoteDeclined(ErrorCode.SeriesUnknown, "unknown series");
    if (terms.expiry <= now) throw new QuoteDeclined(ErrorCode.SeriesExpired, `${nameOf(seriesId)} has expired`);
    return terms;
  }

  /** Maps a chain failure to what the client sees, tripping the kill switch when the chain is down. */
  #declineForChain(error: unknown, now: number): Error {
    if (!(error instanceof ChainError)) return error as Error;
    if (error.code === ErrorCode.ChainUnavailable) {
      this.killSwitch.chainDown(error.message, now);
      return new QuoteDeclined(ErrorCode.ChainUnavailable, "the chain cannot be reached", { cause: error });
    }
    const name = String(error.details?.error ?? "");
    const code =
      name === "StaleOracle" || name === "InvalidOraclePrice"
        ? ErrorCode.OracleStale
        : name === "SeriesExpired"
          ? ErrorCode.SeriesExpired
          : name === "UnsupportedSeries" || name === "UnknownSeries"
            ? ErrorCode.SeriesUnknown
            : ErrorCode.NoLiquidity;
    return new QuoteDeclined(code, `the AMM cannot price this series (${name})`, {
      cause: error,
      details: error.details,
    });
  }

  /** Capacity below `minInternalOptions` is not worth an internal leg: treat it as none. */
  #meaningful(c: Capacity): Capacity {
    const min = BigInt(Math.round(this.config.router.minInternalOptions * 1e6)) * 10n ** 12n;
    return c.amount > 0n && c.amount < min ? { amount: 0n, limitedBy: c.limitedBy, mint: 0n } : c;
  }

  #gasCosts(terms: SeriesTerms, spot: number): { internal: bigint; amm: bigint; split: bigint } {
    const { gas, gasPriceGwei } = this.config.router;
    const toAsset = (units: number) => {
      const eth = units * gasPriceGwei * 1e-9;
      return terms.isCall
        ? BigInt(Math.round(eth * 1e18))
        : BigInt(Math.round(eth * spot * 10 ** this.units.quoteDecimals));
    };
    return { internal: toAsset(gas.internal), amm: toAsset(gas.amm), split: toAsset(gas.split) };
  }

  #premiumAsset(seriesId: bigint): Address {
    return premiumAssetOf(this.assets, decodeSeriesId(seriesId)).address;
  }

  /** Fills recorded since a chain timestamp (for status views and the fill-burst check). */
  fillsSince(timestamp: number): number {
    return fillCount(this.store, timestamp);
  }
}

/** A decline that rests on chain state a client may just have changed, worth one read on a fresh block. */
function isStateDecline(error: QuoteDeclined): boolean {
  if (
    error.code === ErrorCode.InsufficientBalance ||
    error.code === ErrorCode.AllowanceMissing ||
    error.code === ErrorCode.ApprovalMissing ||
    error.code === ErrorCode.SeriesUnknown
  )
    return true;
  return STATE_ERRORS.has(String(error.details?.error ?? ""));
}

/**
 * What an internal fill does to the solver's book, from its side: on a user buy it delivers held longs and
 * writes the rest, and receives the premium; on a user sell it receives the longs and pays the premium.
 */
export function bookChange(
  terms: SeriesTerms,
  side: TradeSide,
  internal: bigint,
  mint: bigint,
  premium: bigint,
): BookChange {
  const seriesId = encodeSeriesId(terms);
  const cash = side === "buy" ? premium : -premium;
  return {
    seriesId,
    longs: side === "buy" ? -(internal - mint) : internal,
    shorts: side === "buy" ? mint : 0n,
    wethIn: terms.isCall ? cash : 0n,
    usdcIn: terms.isCall ? 0n : cash,
  };
}
