import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { type Address, type Hex, hashTypedData, type TransactionReceipt, zeroAddress } from "viem";
import { erc20Abi, optionLedgerAbi, optionSettlementAbi } from "../chain/abis.js";
import type { Clients } from "../chain/clients.js";
import { type FillParams, type Intent, intentTypes, settlementDomain } from "../chain/intent.js";
import { decodeSeriesId, encodeSeriesId, type SeriesTerms } from "../chain/seriesId.js";
import type { Config, Deployment } from "../config/schema.js";
import { ChainError, ConfigError, ErrorCode, InternalizerError, OrderRejected, QuoteDeclined } from "../errors.js";
import { type BookChange, Inventory, toOptions } from "../inventory/inventory.js";
import type { Logger } from "../log.js";
import { MarketData, type Spot } from "../market/marketData.js";
import { maxBigInt, minBigInt } from "../math/bigint.js";
import { type PairUnits, valueOption } from "../pricing/optionPricer.js";
import { VolSurface } from "../pricing/volSurface.js";
import { KillSwitch } from "../risk/killSwitch.js";
import { type Capacity, internalCapacity, projectedBook } from "../risk/limits.js";
import { ReservationBook } from "../risk/reservations.js";
import { type AmmQuoter, type RouteDecision, routeQuote, type Strategy } from "../router/router.js";
import { markoutBps, ToxicityModel } from "../router/toxicity.js";
import type { FilledEvent } from "../settlement/submitter.js";
import { Submitter } from "../settlement/submitter.js";
import type { Store } from "../store/db.js";
import { dueMarkouts, fillCount, insertFill, listFills, setMarkout } from "../store/fills.js";
import { getOrder, getOrderByQuote, insertOrder, listOrders, updateOrder } from "../store/orders.js";
import {
  deleteReservation,
  expireQuotes,
  getQuote,
  insertQuote,
  listQuotes,
  loadReservations,
  setQuoteStatus,
} from "../store/quotes.js";
import { type FirmQuote, type OrderRecord, type QuoteRequest, SIDE_CODE, type TradeSide } from "../types.js";
import { PnlTracker } from "./pnl.js";
import { solverPrice } from "./pricing.js";

export interface EngineOptions {
  config: Config;
  deployment: Deployment;
  clients: Clients;
  store: Store;
  log: Logger;
  /** The routing policy; the simulation also runs the two baselines. */
  strategy?: Strategy;
}

/** The signed order a wallet sends for a quote. */
export interface SignedOrder {
  intent: Intent;
  signature: Hex;
}

const MAX_ROUTE_ATTEMPTS = 3;

/**
 * The solver: prices requests, checks inventory and limits, routes internal / AMM / split, reserves what a
 * firm quote promises, accepts signed orders, submits them, and keeps its book, fills, markouts and PnL in
 * step with the chain. Every request goes through `quote`; every order through `acceptOrder`.
 */
export class Engine {
  readonly market: MarketData;
  readonly inventory: Inventory;
  readonly reservations = new ReservationBook();
  readonly surface: VolSurface;
  readonly toxicity: ToxicityModel;
  readonly killSwitch: KillSwitch;
  readonly submitter: Submitter;
  readonly pnl: PnlTracker;
  readonly strategy: Strategy;
  readonly units: PairUnits = { underlyingDecimals: 18, quoteDecimals: 6 };
  readonly solver: Address;
  #fee = { bps: 0, recipient: zeroAddress as Address };
  /** Emits "order" with the updated OrderRecord on every status change, and "fill" for each new fill. */
  readonly events = new EventEmitter();

  constructor(readonly opts: EngineOptions) {
    const { config, deployment, clients, store, log } = opts;
    this.strategy = opts.strategy ?? "router";
    this.solver = clients.account.address;
    this.market = new MarketData(clients, deployment);
    this.inventory = new Inventory(this.units);
    this.surface = new VolSurface(config.pricing.vol, config.pricing.volByExpiry);
    this.toxicity = new ToxicityModel(config.toxicity);
    this.killSwitch = new KillSwitch(config.killSwitch, store, log);
    this.pnl = new PnlTracker(store);
    this.submitter = new Submitter(
      clients,
      deployment,
      this.market,
      config.submitter,
      {
        quoteOf: (o) => this.getQuote(o.quoteId),
        now: () => this.market.chainTime(),
        onSubmitted: (o, tx, params) => this.#onSubmitted(o, tx, params),
        onFilled: (o, e, r) => this.#onFilled(o, e, r),
        onFailed: (o, code, reason) => this.#onFailed(o, code, reason),
      },
      log.child({ component: "submitter" }),
    );
  }

  get config(): Config {
    return this.opts.config;
  }

  get store(): Store {
    return this.opts.store;
  }

  get log(): Logger {
    return this.opts.log;
  }

  /**
   * Start-up: reads the pair and fee, rebuilds the book from chain balances, reloads open reservations,
   * replays markouts into the toxicity model, and reconciles every unfinished order with the chain (Filled
   * events and nonces), so that no order is filled twice or forgotten.
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
    for (const f of [...listFills(this.store, 100_000)].reverse()) {
      if (f.markoutBps !== null) this.toxicity.record(f.user, f.markoutBps);
    }
    const spot = await this.market.spot();
    const locked = this.inventory.locked();
    this.pnl.start({
      weth: Number(this.inventory.cash.weth + locked.weth) / 10 ** this.units.underlyingDecimals,
      usdc: Number(this.inventory.cash.usdc + locked.usdc) / 10 ** this.units.quoteDecimals,
      bookUsd: this.inventory.greeks(spot.price, now, this.surface, this.config.pricing.rate).valueUsd,
    });
    await this.reconcile(block);
  }

  /** Rebuilds positions and cash from chain balances (the truth) at `blockNumber` (default: latest). */
  async syncInventory(seriesIds?: bigint[], blockNumber?: bigint): Promise<void> {
    const { publicClient } = this.opts.clients;
    const c = this.opts.deployment.contracts;
    const ids = seriesIds ?? [...(await this.market.listSeries()).keys()];
    await Promise.all(
      ids.map(async (id) => {
        const [longs, shorts] = await Promise.all([
          publicClient.readContract({
            address: c.ledger,
            abi: optionLedgerAbi,
            functionName: "balanceOf",
            args: [this.solver, id],
            blockNumber,
          }),
          publicClient.readContract({
            address: c.ledger,
            abi: optionLedgerAbi,
            functionName: "shortBalanceOf",
            args: [this.solver, id],
            blockNumber,
          }),
        ]);
        this.inventory.setPosition(id, longs, shorts);
      }),
    );
    const [weth, usdc] = await Promise.all([
      publicClient.readContract({
        address: c.weth,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [this.solver],
        blockNumber,
      }),
      publicClient.readContract({
        address: c.usdc,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [this.solver],
        blockNumber,
      }),
    ]);
    this.inventory.cash = { weth, usdc };
  }

  /**
   * The database belongs to one deployment on one chain. Its identity is the chain id, the settlement
   * address and the hash of the deployment's first block (after `deployment.block`): a devnet restarted from scratch reuses the same
   * addresses, but not the same block hashes. A database from another chain would hold fills and orders
   * that never happened there, so the solver refuses to start on it.
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
   * aborts first (the API's time budget), nothing is reserved and the request is declined.
   */
  async quote(request: QuoteRequest, signal?: AbortSignal): Promise<FirmQuote> {
    this.killSwitch.assertQuoting();
    if (request.amount <= 0n) throw new QuoteDeclined(ErrorCode.SizeInvalid, "amount must be positive");
    const maxOrder = BigInt(Math.round(this.config.limits.maxOrderSize * 1e6)) * 10n ** 12n;
    if (request.amount > maxOrder) {
      throw new QuoteDeclined(
        ErrorCode.SizeTooLarge,
        `amount above the maximum order of ${this.config.limits.maxOrderSize}`,
      );
    }
    const now = await this.#chainNow();
    const terms = await this.#liveSeries(request.seriesId, now);
    const { spot } = await this.#marketNow();
    const userBuys = request.side === "buy";
    const valuation = valueOption(terms, spot.price, now, this.surface, this.config.pricing.rate, this.units);
    const premiumAsset = terms.isCall ? this.opts.deployment.contracts.weth : this.opts.deployment.contracts.usdc;
    const decimals = terms.isCall ? this.units.underlyingDecimals : this.units.quoteDecimals;
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
        toxicWidenBps: this.strategy === "router" ? this.toxicity.widenBps(request.requester) : 0,
        pricing: this.config.pricing,
        skew: this.config.skew,
      });
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
          limits: this.config.limits,
        });
      const decision = await routeQuote(
        {
          userBuys,
          amount: request.amount,
          capacity: this.#meaningful(capacity(projected)),
          solverPerOption: price.quote,
          reservationPerOption: price.reservation,
          decimals,
          toxic: this.toxicity.ammOnly(request.requester),
          gas: this.#gasCosts(terms, spot.price),
          params: {
            improvementShare: this.config.router.improvementShare,
            safetyBps: this.config.router.safetyBps,
            slippageBps: 50,
          },
          strategy: this.strategy,
        },
        amm,
      );
      if (signal?.aborted) throw new QuoteDeclined(ErrorCode.BudgetExceeded, "no answer within the time budget");
      // From here to the reservation nothing awaits, so no other quote can take the same headroom.
      const fresh = this.#meaningful(capacity());
      if (decision.internalAmount > fresh.amount) {
        if (attempt < MAX_ROUTE_ATTEMPTS) continue;
        throw new QuoteDeclined(fresh.limitedBy ?? ErrorCode.NoLiquidity, "limits are taken by open quotes");
      }
      return this.#commit(request, terms, decision, { now, spot, premiumAsset, model: price.model }, signal);
    }
  }

  async #commit(
    request: QuoteRequest,
    terms: SeriesTerms,
    d: RouteDecision,
    ctx: { now: number; spot: Spot; premiumAsset: Address; model: number },
    signal?: AbortSignal,
  ): Promise<FirmQuote> {
    const quote: FirmQuote = {
      quoteId: `0x${randomBytes(32).toString("hex")}` as Hex,
      requester: request.requester,
      seriesId: request.seriesId,
      side: request.side,
      amount: request.amount,
      route: d.route,
      reason: d.reason,
      premiumAsset: ctx.premiumAsset,
      premium: d.premium,
      limitPremium: d.limitPremium,
      ammReferencePremium: d.ammReferencePremium,
      internalAmount: d.internalAmount,
      internalPremium: d.internalPremium,
      mintAmount: d.mintAmount,
      ammAmount: d.ammAmount,
      ammPremium: d.ammPremium,
      ammBound: d.ammBound,
      internalReference: d.internalReference,
      solverEdge: d.solverEdge,
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

  getQuote(quoteId: string): (FirmQuote & { status: string }) | undefined {
    return getQuote(this.store, quoteId, (id) => this.#premiumAsset(id));
  }

  listQuotes(opts: Parameters<typeof listQuotes>[2] = {}) {
    return listQuotes(this.store, (id) => this.#premiumAsset(id), opts);
  }

  // ------------------------------------------------------------------ orders

  /**
   * Accepts a signed intent for an open quote after checking that it matches the quote, is signed by the
   * requester (EOA or EIP-1271) for this settlement and chain, and uses a fresh nonce. Settlement follows
   * asynchronously; the order's status tells how it went.
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
      throw new OrderRejected(ErrorCode.QuoteExpired, `quote is ${quote.status}`);
    }
    const now = await this.#chainNow();
    if (now > quote.validUntil) {
      this.#expire(quote.quoteId);
      throw new OrderRejected(ErrorCode.QuoteExpired, "quote expired", {
        details: { validUntil: quote.validUntil, now },
      });
    }
    const params = this.#checkIntent(intent, quote, now);
    const domain = settlementDomain(this.opts.clients.chain.id, this.opts.deployment.contracts.settlement);
    const orderHash = hashTypedData({ domain, types: intentTypes, primaryType: "Intent", message: intent });
    if (getOrder(this.store, orderHash))
      throw new OrderRejected(ErrorCode.OrderDuplicate, "order already accepted", { details: { orderHash } });
    const { publicClient } = this.opts.clients;
    const valid = await this.#chain(() =>
      publicClient.verifyTypedData({
        address: intent.user,
        domain,
        types: intentTypes,
        primaryType: "Intent",
        message: intent,
        signature,
      }),
    );
    if (!valid) throw new OrderRejected(ErrorCode.SignatureInvalid, "signature is not the requester's");
    const used = await this.#chain(() =>
      publicClient.readContract({
        address: this.opts.deployment.contracts.settlement,
        abi: optionSettlementAbi,
        functionName: "isNonceUsed",
        args: [intent.user, intent.nonce],
      }),
    );
    if (used) throw new OrderRejected(ErrorCode.NonceUsed, "nonce already used or cancelled");

    const record: OrderRecord = {
      orderHash,
      quoteId: quote.quoteId,
      user: intent.user,
      intent,
      signature,
      params,
      status: "accepted",
      txHash: null,
      error: null,
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

  /** The fill parameters for an intent that matches its quote; throws QUOTE_MISMATCH otherwise. */
  #checkIntent(intent: Intent, quote: FirmQuote, now: number): FillParams {
    const mismatch = (what: string) =>
      new OrderRejected(ErrorCode.QuoteMismatch, `intent does not match the quote: ${what}`);
    if (intent.user.toLowerCase() !== quote.requester.toLowerCase()) throw mismatch("user is not the requester");
    if (intent.seriesId !== quote.seriesId) throw mismatch("seriesId");
    if (intent.side !== SIDE_CODE[quote.side]) throw mismatch("side");
    if (intent.amount !== quote.amount) throw mismatch("amount");
    if (intent.recipient === zeroAddress) throw mismatch("recipient is zero");
    if (intent.exclusiveSolver !== zeroAddress && intent.exclusiveSolver.toLowerCase() !== this.solver.toLowerCase()) {
      throw mismatch("exclusiveSolver is another solver");
    }
    if (intent.deadline < BigInt(now)) throw mismatch("deadline has passed");
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
   * the kill switch's conditions, and send accepted orders.
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
    expireQuotes(this.store, now);
    this.killSwitch.checkOracle(spot.updatedAt, now);
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
    this.killSwitch.checkDrawdown(this.pnl.drawdown(this.equityUsd(spot.price, now), spot.price), now);
    await this.submitter.flush();
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
    const now = await this.market.chainTime();
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
      const used = await publicClient.readContract({
        address: c.settlement,
        abi: optionSettlementAbi,
        functionName: "isNonceUsed",
        args: [order.intent.user, order.intent.nonce],
        blockNumber: block,
      });
      const quote = this.getQuote(order.quoteId);
      if (used) this.#onFailed(order, ErrorCode.NonceUsed, "nonce used without a fill by this solver (cancelled)");
      else if (!quote || quote.validUntil < now || order.intent.deadline < BigInt(now))
        this.#onFailed(order, ErrorCode.QuoteExpired, "quote expired while the solver was down");
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

  /** WETH and USDC (cash and locked collateral) and the book at model value, in USD. Gas (native ETH) is
   * tracked apart, as a cost. */
  equityUsd(spot: number, now: number): number {
    const locked = this.inventory.locked();
    const { weth, usdc } = this.inventory.cash;
    const w = 10 ** this.units.underlyingDecimals;
    const u = 10 ** this.units.quoteDecimals;
    const book = this.inventory.greeks(spot, now, this.surface, this.config.pricing.rate).valueUsd;
    return (Number(weth + locked.weth) / w) * spot + Number(usdc + locked.usdc) / u + book;
  }

  // ------------------------------------------------------------------ submitter hooks

  #onSubmitted(order: OrderRecord, txHash: Hex, params: FillParams): void {
    updateOrder(this.store, order.orderHash, {
      status: "submitted",
      txHash,
      params,
      at: Math.floor(Date.now() / 1000),
    });
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
    const gasUsed = receipt.gasUsed * receipt.effectiveGasPrice;
    const fresh = this.store.transaction(() => {
      const inserted = insertFill(this.store, {
        orderHash: order.orderHash,
        txHash: receipt.transactionHash,
        block: Number(receipt.blockNumber),
        logIndex: e.logIndex,
        user: e.user,
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
      });
    // Release the reservation and book the fill in one synchronous step, so capacity never double-counts.
    this.reservations.release(order.quoteId);
    if (fresh && e.internalAmount > 0n) {
      const side = (["buy", "sellToClose", "sellToOpen"] as const)[e.side]!;
      const mint = side === "buy" ? order.params.mintAmount : 0n;
      const fee = (e.internalPremium * BigInt(this.#fee.bps)) / 10_000n;
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
      this.pnl.recordFill({
        userBuys: side === "buy",
        premiumUsd: this.#usd(terms, e.internalPremium, quote?.spot ?? 0),
        modelUsd: this.#usd(
          terms,
          BigInt(
            Math.round(
              (quote?.modelValue ?? 0) *
                toOptions(e.internalAmount) *
                10 ** (terms.isCall ? this.units.underlyingDecimals : this.units.quoteDecimals),
            ),
          ),
          quote?.spot ?? 0,
        ),
        feeUsd: this.#usd(terms, fee, quote?.spot ?? 0),
        gasUsd: (Number(gasUsed) / 1e18) * (quote?.spot ?? 0),
      });
      this.killSwitch.recordFill(timestamp);
    } else if (fresh) {
      this.pnl.recordFill({
        userBuys: true,
        premiumUsd: 0,
        modelUsd: 0,
        feeUsd: 0,
        gasUsd: (Number(gasUsed) / 1e18) * (quote?.spot ?? 0),
      });
    }
    this.log
      .child({ orderHash: order.orderHash })
      .info({ tx: receipt.transactionHash, premium: e.premium.toString() }, "filled");
    this.#emitOrder(order.orderHash);
  }

  #onFailed(order: OrderRecord, code: ErrorCode, reason: string): void {
    this.store.transaction(() => {
      updateOrder(this.store, order.orderHash, {
        status: "failed",
        error: `${code}: ${reason}`,
        at: Math.floor(Date.now() / 1000),
      });
      setQuoteStatus(this.store, order.quoteId, "failed");
      deleteReservation(this.store, order.quoteId);
    });
    this.reservations.release(order.quoteId);
    this.log.child({ orderHash: order.orderHash }).warn({ code, reason }, "order failed");
    this.#emitOrder(order.orderHash);
  }

  // ------------------------------------------------------------------ helpers

  #expire(quoteId: string): void {
    setQuoteStatus(this.store, quoteId, "expired");
    deleteReservation(this.store, quoteId);
    this.reservations.release(quoteId);
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
    if (terms.expiry <= now) throw new QuoteDeclined(ErrorCode.SeriesExpired, "series has expired");
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

  #usd(terms: SeriesTerms, amount: bigint, spot: number): number {
    return terms.isCall
      ? (Number(amount) / 10 ** this.units.underlyingDecimals) * spot
      : Number(amount) / 10 ** this.units.quoteDecimals;
  }

  #premiumAsset(seriesId: bigint): Address {
    const c = this.opts.deployment.contracts;
    return decodeSeriesId(seriesId).isCall ? c.weth : c.usdc;
  }

  /** Fills recorded since a chain timestamp (for status views and the fill-burst check). */
  fillsSince(timestamp: number): number {
    return fillCount(this.store, timestamp);
  }
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
