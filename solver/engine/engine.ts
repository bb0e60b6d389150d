import type { Address, Hex } from "viem";
import type { SignatureVerifier } from "../chain/signatures.js";
import type { ChainReads } from "../chain/solverChain.js";
import type { Config, Deployment, Limits, VolSlice } from "../config/schema.js";
import type { Logger } from "../log.js";
import type { Market } from "../market/market.js";
import type { KillSwitch } from "../risk/killSwitch.js";
import { internalizeFirst, type RoutingStrategy } from "../router/strategies.js";
import { fillCount } from "../store/fills.js";
import { getOrder, type OrderEvent, orderEvents, ordersOf } from "../store/orders.js";
import type { OrderRecord, QuoteRequest, SignedQuote } from "../types.js";
import type { EngineContext } from "./context.js";
import type { FillBook } from "./fillBook.js";
import type { Hedger } from "./hedge/hedger.js";
import { Housekeeping } from "./housekeeping.js";
import { OrderDesk, type SignedOrder } from "./orders.js";
import type { PnlTracker } from "./pnl.js";
import { type LiveValuation, PnlViews } from "./pnlViews.js";
import type { CapitalFlows, Keeper, OrderSubmitter } from "./ports.js";
import { type QuoteDeps, quote } from "./quote/flow.js";
import type { QuoteSigner } from "./quote/sign.js";
import { quoteById, quotesWhere } from "./records.js";
import { readBook, recover, syncInventory } from "./recovery.js";
import { latestSnapshot, type MarketSnapshot } from "./snapshot.js";
import type { StepClock } from "./stepClock.js";

export type { SignedOrder } from "./orders.js";

/** Everything the engine works with, built outside it (`buildEngine` on a chain; fakes in unit tests). */
export interface EngineParts {
  ctx: EngineContext;
  chain: ChainReads;
  submitter: OrderSubmitter;
  keeper: Keeper;
  fills: FillBook;
  signer: QuoteSigner;
  pnl: PnlTracker;
  capital: CapitalFlows;
  /** The routing policy; the simulation also runs the two baselines. */
  strategy?: RoutingStrategy;
  /** Delta hedging on the spot venue; absent without a venue in the deployment. */
  hedger?: Hedger;
}

/**
 * The solver: every request goes through `quote` (resolve → price → capacity → route → accounts → reserve
 * → sign, in `quote/`), every order through `acceptOrder` (`orders.ts`); fills are booked by `fillBook.ts`,
 * start-up is `recovery.ts`, periodic work `housekeeping.ts`, PnL `pnlViews.ts`. This class only wires them.
 */
export class Engine {
  readonly ctx: EngineContext;
  readonly strategy: RoutingStrategy;
  readonly submitter: OrderSubmitter;
  readonly keeper: Keeper;
  readonly chain: ChainReads;
  readonly hedger: Hedger | null;
  readonly #parts: EngineParts;
  readonly #quoting: QuoteDeps;
  readonly #orders: OrderDesk;
  readonly #pnl: PnlViews;
  readonly #housekeeping: Housekeeping;

  constructor(parts: EngineParts) {
    const { ctx, chain, submitter, keeper } = parts;
    this.#parts = parts;
    this.ctx = ctx;
    this.chain = chain;
    this.submitter = submitter;
    this.keeper = keeper;
    this.strategy = parts.strategy ?? internalizeFirst;
    this.#quoting = { ctx, strategy: this.strategy, signer: parts.signer };
    this.#orders = new OrderDesk(ctx, chain, submitter, parts.fills);
    this.#pnl = new PnlViews(ctx, chain, parts.pnl);
    this.hedger = parts.hedger ?? null;
    this.#housekeeping = new Housekeeping(ctx, {
      submitter,
      keeper,
      capital: parts.capital,
      pnl: this.#pnl,
      hedger: parts.hedger,
    });
  }

  // ------------------------------------------------------------------ the context, read-only

  get config(): Config {
    return this.ctx.config;
  }
  get deployment(): Deployment {
    return this.ctx.deployment;
  }
  get chainId(): number {
    return this.ctx.chainId;
  }
  get solver(): Address {
    return this.ctx.solver;
  }
  get market(): Market {
    return this.ctx.market;
  }
  get killSwitch(): KillSwitch {
    return this.ctx.killSwitch;
  }
  get store() {
    return this.ctx.store;
  }
  get log(): Logger {
    return this.ctx.log;
  }
  get events() {
    return this.ctx.events;
  }
  get assets() {
    return this.ctx.pair.assets;
  }
  get units() {
    return this.ctx.units;
  }
  get inventory() {
    return this.ctx.book.inventory;
  }
  get reservations() {
    return this.ctx.book.reservations;
  }
  get surface() {
    return this.ctx.book.surface;
  }
  get toxicity() {
    return this.ctx.book.toxicity;
  }
  /** The risk limits in force: the config's, until the operator sets new ones (`setLimits`). */
  get limits(): Limits {
    return this.ctx.book.limits.current;
  }
  /** Signature checks as the settlement does them (ECDSA, or EIP-1271 for a contract wallet). */
  get signatures(): SignatureVerifier {
    return { isValid: (signer, digest, signature) => this.chain.signatureValid(signer, digest, signature) };
  }

  // ------------------------------------------------------------------ operator calls, validated and logged

  /** Sets the solver's own smile for an expiry (validated by the caller's schema), logged. */
  setVol(expiry: number, slice: VolSlice): void {
    this.log.warn({ expiry, previous: this.surface.slice(expiry), slice }, "vol slice changed by the operator");
    this.surface.set(expiry, slice);
  }

  /** Replaces risk limits at run time: validated as the config is, logged, never written into the config. */
  setLimits(patch: Partial<Limits>): Limits {
    return this.ctx.book.limits.set(patch);
  }

  // ------------------------------------------------------------------ the flows

  init(): Promise<void> {
    return recover(this.#parts);
  }

  quote(request: QuoteRequest, signal?: AbortSignal, clock?: StepClock): Promise<SignedQuote> {
    return quote(this.#quoting, request, signal, clock);
  }

  acceptOrder(order: SignedOrder): Promise<OrderRecord> {
    return this.#orders.accept(order);
  }

  cancelOrder(orderHash: Hex): OrderRecord {
    return this.#orders.cancel(orderHash);
  }

  tick(): Promise<void> {
    return this.#housekeeping.tick();
  }

  // ------------------------------------------------------------------ records and views

  getQuote(quoteId: string) {
    return quoteById(this.ctx, quoteId);
  }
  listQuotes(opts: Parameters<typeof quotesWhere>[1] = {}) {
    return quotesWhere(this.ctx, opts);
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
  /** Fills recorded since a chain timestamp (for status views and the fill-burst check). */
  fillsSince(timestamp: number): number {
    return fillCount(this.store, timestamp);
  }
  valuationNow() {
    return this.#pnl.valuationNow();
  }
  /** The latest market state as one snapshot (chain time, the oracle's spot, the solver's surface). */
  snapshot(): Promise<MarketSnapshot> {
    return latestSnapshot(this.ctx);
  }
  pnlNow(v?: LiveValuation) {
    return this.#pnl.now(v);
  }
  /** WETH held at the first start plus WETH capital moved since: what the hedger does not count as delta. */
  baselineWeth(): bigint {
    return this.#pnl.baselineWeth();
  }
  get reference() {
    return this.ctx.reference;
  }
  /** The block the solver's PnL is measured from (its first start), when recorded. */
  get pnlStartBlock(): number | undefined {
    return this.#pnl.tracker.startHoldings.block;
  }

  pnlAt(block: bigint) {
    return this.#pnl.at(block);
  }
  /** The solver's positions and cash as the chain has them at `block` (default: latest). */
  readBook(block?: bigint, seriesIds?: bigint[]) {
    return readBook(this.ctx, this.chain, block, seriesIds);
  }
  /** Rebuilds positions and cash from chain balances (the truth) at `block` (default: latest). */
  syncInventory(seriesIds?: bigint[], block?: bigint): Promise<void> {
    return syncInventory(this.ctx, this.chain, seriesIds, block);
  }
}
